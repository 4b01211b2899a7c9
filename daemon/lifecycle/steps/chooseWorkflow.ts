import { versionAtLeast } from '../../version';
import { chooseWorkflow as choose } from '../../workflow/chooseWorkflow';
import { fail, ok } from '../runSession';
import type { Step } from './step';

/** Plans, legacy or DDM, from the setting, the server's version and its feature toggle. */
export const chooseWorkflow: Step<'chooseWorkflow'> = (session, { host }, signal) =>
  session.jamfStep(async () => {
    const version = await session.serverVersion(signal);
    // Remembered for 7 days (status/jamfFacts.ts). A 403 here is a missing privilege, named,
    // never a silent fall back to the legacy endpoint.
    const toggle = versionAtLeast(version, '10.48.0') ? await session.featureToggle(signal) : null;
    const choice = choose({ setting: session.settings.MDMWorkflow, jamfVersion: version, featureToggleOn: toggle, macOSVersion: host.macOSVersion });
    return 'failure' in choice ? fail(choice.failure) : ok(choice.workflow);
  });
