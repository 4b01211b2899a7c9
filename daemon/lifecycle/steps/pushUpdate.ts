import { pushUpdate as push } from '../../workflow/pushUpdate';
import { ok } from '../runSession';
import { pushIntent } from './pushIntent';
import type { Step } from './step';

/** Sends the update through Jamf Pro (or follows the plan already running for this Mac). */
export const pushUpdate: Step<'pushUpdate'> = (session, input, signal) =>
  session.jamfStep(async () => {
    const { deps } = session;
    // Subscribe to the Mac's log before anything is sent, so no acknowledgement is missed.
    await session.watch(signal);
    const client = await session.jamf();
    const send = async (computer: typeof input.computer) => push(client, {
      workflow: input.workflow,
      computer,
      target: input.target,
      intent: pushIntent(session, input.installNow),
      existingPlanId: input.planId ?? deps.status.view.planId,
      serverVersion: await session.serverVersion(signal),
      now: deps.now,
      // On disk before anything else happens: a run killed now finds the plan and follows it.
      onPlanCreated: (planId) => deps.status.write({ planId }),
      signal,
    });
    let pushed;
    try {
      pushed = await send(input.computer);
    } catch (error) {
      // A remembered computer id Jamf Pro no longer knows: looked up again, pushed once more.
      const again = await session.recheckComputer(error, input.computer, signal);
      if (!again) throw error;
      pushed = await send(again);
    }
    if (pushed.followedExisting) deps.log.info('following the plan that is already running for this Mac', { planId: pushed.planId });
    deps.log.info('update pushed', { planId: pushed.planId, updateAction: pushed.updateAction, enforceAt: pushed.enforceAt });
    return ok(pushed);
  });
