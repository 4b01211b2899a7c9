import { readMacOSVersion } from '../../host/sw_vers';
import { compareVersions } from '../../version';
import type { UpdateTarget } from '../../workflow/contracts';
import { pushUpdate as push } from '../../workflow/pushUpdate';
import { fail, ok, type RunSession } from '../runSession';
import type { PushResult } from '../runTypes';
import { lookForTarget } from './findTarget';
import { pushIntent } from './pushIntent';
import type { Step } from './step';

/**
 * Sends the update through Jamf Pro, or follows the plan on record for it. A resumed run (this
 * process never looked for the update) first reads the Mac's version and softwareupdate's offer
 * again: a Mac already on the target is done, and an update no longer offered is only followed.
 * Never two plans for one target: see workflow/pushUpdate.ts and docs/decisions.md.
 */
export const pushUpdate: Step<'pushUpdate'> = (session, input, signal) =>
  session.jamfStep(async () => {
    const { deps } = session;
    const recheck = session.targetLookedUp ? { target: input.target, offered: true } : await lookAgain(session, input.target, signal);
    if (recheck === 'installed') return ok(nothingToPush(input.target));
    const target = recheck.target;
    // Subscribe to the Mac's log before anything is sent, so no acknowledgement is missed.
    await session.watch(signal);
    const client = await session.jamf();
    const send = async (computer: typeof input.computer) => push(client, {
      workflow: input.workflow,
      computer,
      target,
      intent: pushIntent(session, input.installNow),
      existingPlanId: input.planId ?? deps.status.view.planId,
      recordedTarget: deps.status.view.planTargetVersion,
      mayReplace: (planId) => session.failedPlans.has(planId),
      mayCreate: recheck.offered,
      serverVersion: await session.serverVersion(signal),
      now: deps.now,
      // On disk before the request: a run killed before Jamf Pro answers knows a plan may exist.
      onPlanRequested: (version) => deps.status.write({ planId: null, planTargetVersion: version }),
      // On disk before anything else happens: a run killed now finds the plan and follows it.
      onPlanCreated: (planId) => deps.status.write({ planId, planTargetVersion: target.version }),
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
    if ('refused' in pushed) {
      session.failedPlans.add(pushed.planId);
      deps.log.warn('the plan on record for this update ended without installing it; not creating another', { planId: pushed.planId, target: target.version });
      return fail(pushed.failure);
    }
    if ('nothingToPush' in pushed) {
      deps.log.info('softwareupdate no longer offers the update and no plan is on record for it: nothing to push', { target: target.version });
      return ok(nothingToPush(target));
    }
    if (pushed.completed) deps.log.info('the plan on record for this update already completed: verifying it, nothing is sent', { planId: pushed.planId });
    else if (pushed.followedExisting) deps.log.info('following the plan that is already running for this Mac', { planId: pushed.planId });
    else deps.log.info('update pushed', { planId: pushed.planId, updateAction: pushed.updateAction, enforceAt: pushed.enforceAt });
    const result: PushResult = { planId: pushed.planId, followedExisting: pushed.followedExisting, updateAction: pushed.updateAction, enforceAt: pushed.enforceAt, ...(target !== input.target ? { target } : {}) };
    return ok(result);
  });

function nothingToPush(target: UpdateTarget): PushResult {
  return { planId: null, followedExisting: false, updateAction: 'NONE', enforceAt: null, target, nothingToPush: true };
}

/**
 * A resumed push looks again before it creates anything: the Mac's version (it may have
 * installed the update meanwhile) and softwareupdate's offer (a newer update may replace the
 * target; none offered means a plan may be followed but none created).
 */
async function lookAgain(session: RunSession, target: UpdateTarget, signal: AbortSignal): Promise<'installed' | { target: UpdateTarget; offered: boolean }> {
  const { deps } = session;
  const installed = (await readMacOSVersion(deps.run, signal)).productVersion;
  session.macOSVersion = installed;
  if (compareVersions(installed, target.version) >= 0) {
    deps.log.info('resumed: this Mac already runs the target macOS; nothing to push', { installed, target: target.version });
    return 'installed';
  }
  const offered = await lookForTarget(session, installed, signal);
  deps.log.info('resumed: looked for the update again before pushing', { installed, target: target.version, offered: offered?.version ?? null });
  if (offered === null) return { target, offered: false };
  return { target: offered.version === target.version ? target : offered, offered: true };
}
