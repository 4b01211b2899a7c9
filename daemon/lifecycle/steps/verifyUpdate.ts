import { verifyUpdate as verify } from '../../workflow/verifyUpdate';
import { fail, ok } from '../runSession';
import type { Step } from './step';

/** Waits, within the admin's timeouts, until the plan and the Mac's log show the update acted on. */
export const verifyUpdate: Step<'verifyUpdate'> = (session, input, signal) =>
  session.jamfStep(async () => {
    const { settings, deps } = session;
    const r = await verify(
      { client: await session.jamf(), watch: await session.watch(signal), sleep: deps.sleep, now: deps.now },
      { planId: input.planId, ...(input.workflow ? { workflow: input.workflow } : {}), scheduledUntil: input.enforceAt ? new Date(input.enforceAt) : null, timeouts: { noProgressMs: settings.MDMTimeoutNoProgress * 60_000, totalMs: settings.MDMTimeoutTotal * 60_000 }, signal },
    );
    return r.ok ? ok({ evidence: r.evidence, scheduled: r.scheduled === true }) : fail(r.failure);
  });
