import { verifyUpdate as verify, type VerifyProgress } from '../../workflow/verifyUpdate';
import { fail, ok, type RunSession } from '../runSession';
import type { Step } from './step';

/** Waits, within the admin's timeouts, until the plan and the Mac's log show the update acted on. */
export const verifyUpdate: Step<'verifyUpdate'> = (session, input, signal) =>
  session.jamfStep(async () => {
    const { settings, deps } = session;
    const r = await verify(
      { client: await session.jamf(), watch: await session.watch(signal), sleep: deps.sleep, now: deps.now },
      {
        planId: input.planId,
        ...(input.workflow ? { workflow: input.workflow } : {}),
        scheduledUntil: input.enforceAt ? new Date(input.enforceAt) : null,
        downloadOnly: input.updateAction === 'DOWNLOAD_ONLY',
        timeouts: { noProgressMs: settings.MDMTimeoutNoProgress * 60_000, totalMs: settings.MDMTimeoutTotal * 60_000 },
        onProgress: progressReporter(session),
        signal,
      },
    );
    if (r.ok) return ok({ evidence: r.evidence, scheduled: r.scheduled === true });
    // Handed to the recovery path now: a retry it chooses may replace this plan (pushUpdate.ts).
    if (r.failure.reason === 'plan-failed' && input.planId !== null) session.failedPlans.add(input.planId);
    return fail(r.failure);
  });

/**
 * Every change of progress is logged; the status shows it too, rewritten when the plan state
 * changes or a percentage crosses a tenth (not on every percent).
 */
function progressReporter(session: RunSession): (p: VerifyProgress) => void {
  let written = '';
  return (p) => {
    session.deps.log.info('progress', { planState: p.planState, downloaded: p.downloadPercent, prepared: p.preparePercent });
    const tenth = (n: number | null) => (n === null ? '-' : String(Math.floor(n / 10)));
    const key = `${p.planState}|${tenth(p.downloadPercent)}|${tenth(p.preparePercent)}`;
    if (key === written) return;
    written = key;
    void session.deps.status.write({ stateText: progressText(p) });
  };
}

export function progressText(p: VerifyProgress): string {
  const parts = [p.planState ? `Jamf Pro plan ${p.planState}` : null, p.downloadPercent !== null ? `downloaded ${p.downloadPercent}%` : null, p.preparePercent !== null ? `prepared ${p.preparePercent}%` : null].filter(Boolean);
  return `Waiting for this Mac to act on the update${parts.length ? `: ${parts.join(', ')}` : ''}`;
}
