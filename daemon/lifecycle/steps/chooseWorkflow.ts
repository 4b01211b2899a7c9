import { readFeatureToggleState } from '../../jamf/softwareUpdatePlans';
import { versionAtLeast } from '../../version';
import { chooseWorkflow as choose } from '../../workflow/chooseWorkflow';
import { fail, ok } from '../runSession';
import type { Step } from './step';

/** Plans, legacy or DDM, from the setting, the server's version and its feature toggle. */
export const chooseWorkflow: Step<'chooseWorkflow'> = (session, { host }, signal) =>
  session.jamfStep(async () => {
    const client = await session.jamf();
    const version = await session.serverVersion(signal);
    // A 403 here is a missing privilege, named, never a silent fall back to the legacy endpoint.
    const toggle = versionAtLeast(version, '10.48.0') ? await readFeatureToggleState(client, signal) : null;
    const choice = choose({ setting: session.settings.MDMWorkflow, jamfVersion: version, featureToggleOn: toggle, macOSVersion: host.macOSVersion });
    return 'failure' in choice ? fail(choice.failure) : ok(choice.workflow);
  });
