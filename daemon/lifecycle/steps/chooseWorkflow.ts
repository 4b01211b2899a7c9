import { versionAtLeast } from '../../version';
import { chooseWorkflow as choose } from '../../workflow/chooseWorkflow';
import { fail, ok } from '../runSession';
import type { Step } from './step';

/** Plans, legacy or DDM, from the setting, the server, its feature toggle and the computer's DDM state. */
export const chooseWorkflow: Step<'chooseWorkflow'> = (session, { host, computer }, signal) =>
  session.jamfStep(async () => {
    const version = await session.serverVersion(signal);
    // Remembered for 7 days (status/jamfFacts.ts). A 403 here is a missing privilege, named,
    // never a silent fall back to the legacy endpoint.
    const toggle = versionAtLeast(version, '10.48.0') ? await session.featureToggle(signal) : null;
    const choice = choose({
      setting: session.settings.MDMWorkflow,
      jamfVersion: version,
      featureToggleOn: toggle,
      macOSVersion: host.macOSVersion,
      declarativeManagement: computer?.declarativeManagement ?? null,
    });
    if ('failure' in choice) return fail(choice.failure);
    if (choice.why) session.deps.log.info(`update path: ${choice.workflow} (${choice.why})`, { workflow: choice.workflow });
    return ok(choice.workflow);
  });
