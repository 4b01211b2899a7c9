import type { JamfClient } from '../jamf/jamfClient';
import { readPlan } from '../jamf/softwareUpdatePlans';
import { planErrorAdvice } from './planErrorAdvice';
import type { MacProgressEvent, MacProgressWatch, MdmWorkflow } from './contracts';
import type { WorkflowFailure } from './failureReason';

export interface VerifyDeps {
  readonly client: JamfClient;
  readonly watch: MacProgressWatch;
  /** Resolves after `ms`, or early when the signal aborts (then it must not reject). */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly now: () => Date;
}

export interface VerifyInput {
  readonly planId: string | null;
  readonly timeouts: { readonly noProgressMs: number; readonly totalMs: number };
  /** First plan poll interval; it grows ×1.5 up to `maxPollMs`. */
  readonly pollMs?: number;
  readonly maxPollMs?: number;
  readonly signal?: AbortSignal;
  /** The update path in use; only `ddm` makes a DeclarativeManagement error fatal (see mdmRefusal). */
  readonly workflow?: MdmWorkflow;
  /**
   * A DDM plan that enforces the install at this time: once Jamf Pro reports it scheduled
   * (it waits at DDMPlanScheduled / WaitingToStartDDMUpdate until the Mac starts), the push is
   * done — a run never waits days for macOS to install at the enforcement time.
   */
  readonly scheduledUntil?: Date | null;
}

/** The plan states in which a DDM plan waits for its enforcement time (Jamf's enum, reference §4.9). */
export const DDM_SCHEDULED_STATES: readonly string[] = ['DDMPlanScheduled', 'WaitingToStartDDMUpdate'];

/**
 * Whether an MDM answer seen in the Mac's log means the Mac refused the update (docs/decisions.md
 * "Which MDM answers fail verification"). Only `Error` / `CommandFormatError` for the command that
 * carries the update: `ScheduleOSUpdate` (plans and legacy), or `DeclarativeManagement` on the DDM
 * path. `NotNow` is never a refusal: a busy Mac answers it to any command and mdmclient runs the
 * command later (real line: test/fixtures/macos/log-stream/mdm-command-notnow-profilelist-26.txt).
 * Errors for other commands (an InstallApplication, a profile) say nothing about the update.
 * super (push_macos_mdm()) stops on any `[Error` line except DeclarativeManagement ones on
 * macOS 13 and older; superd is narrower on purpose: ignoring an unrelated error cannot make a
 * run succeed, since success still needs the plan completed or the restart pending.
 */
export function mdmRefusal(event: MacProgressEvent, workflow?: MdmWorkflow): boolean {
  if (event.kind !== 'mdm-command' || event.status !== 'error') return false;
  if (event.command === 'ScheduleOSUpdate') return true;
  return event.command === 'DeclarativeManagement' && workflow === 'ddm';
}

export type VerifyResult = { ok: true; evidence: string; scheduled?: boolean } | { ok: false; failure: WorkflowFailure };

/**
 * Waits until the Mac really acted on the update: the plan completed, or the Mac reports the
 * update prepared and its restart pending. Fails on a terminal plan state (with Jamf's reasons
 * as advice), an MDM error from the Mac, or no progress in time. Polls the plan with back-off
 * and wakes early on every event from `log stream`; there is no fixed sleep.
 */
export async function verifyUpdate(deps: VerifyDeps, input: VerifyInput): Promise<VerifyResult> {
  const started = deps.now().getTime();
  let lastProgress = started;
  let pollMs = input.pollMs ?? 10_000;
  const maxPollMs = input.maxPollMs ?? 60_000;
  let lastState: string | undefined;
  const pending: MacProgressEvent[] = [];
  let wake: AbortController = new AbortController();
  deps.watch.onEvent((e) => {
    pending.push(e);
    wake.abort();
  });
  const prepared = { download: false, prepare: false };
  /** Answers that did not fail the run, named if it times out (they may explain it). */
  const otherAnswers = new Set<string>();
  const alsoSeen = () => (otherAnswers.size > 0 ? ` The Mac's log also showed: ${[...otherAnswers].join('; ')}.` : '');

  for (;;) {
    if (input.signal?.aborted) return { ok: false, failure: { reason: 'verification-timeout', message: 'superd stopped before the Mac acted on the update.' } };
    for (const e of pending.splice(0)) {
      // A NotNow or an unrelated error is no progress: the no-progress limit keeps running.
      if (e.kind !== 'mdm-command' || e.status === 'acknowledged') lastProgress = deps.now().getTime();
      if (mdmRefusal(e, input.workflow)) {
        return { ok: false, failure: { reason: 'push-rejected', message: `The Mac refused the update: ${e.kind === 'mdm-command' ? (e.detail ?? e.command) : ''}. Check the MDM profile and the bootstrap token.` } };
      }
      if (e.kind === 'mdm-command' && e.status !== 'acknowledged' && e.detail) otherAnswers.add(e.detail);
      if (e.kind === 'update-error') return { ok: false, failure: { reason: 'plan-failed', message: `softwareupdate on the Mac reported: ${e.message}` } };
      if (e.kind === 'download-progress') prepared.download = true;
      if (e.kind === 'prepare-progress') prepared.prepare = true;
      if (e.kind === 'restart-pending') return { ok: true, evidence: 'the Mac prepared the update and its restart is pending' };
    }
    if (input.planId !== null) {
      const plan = await readPlan(deps.client, input.planId, input.signal);
      const state = plan.status?.state;
      if (state !== lastState) {
        lastState = state;
        lastProgress = deps.now().getTime();
      }
      if (state === 'PlanCompleted') return { ok: true, evidence: `plan ${input.planId} completed` };
      if (state && DDM_SCHEDULED_STATES.includes(state) && input.scheduledUntil && deps.now().getTime() < input.scheduledUntil.getTime()) {
        return { ok: true, scheduled: true, evidence: `Jamf Pro plan ${input.planId} is scheduled (${state}); macOS installs the update at ${input.scheduledUntil.toISOString()}` };
      }
      if (state === 'PlanFailed' || state === 'PlanCanceled' || state === 'PlanException') {
        return { ok: false, failure: { reason: 'plan-failed', message: `Jamf Pro plan ${input.planId} ended ${state}. ${planErrorAdvice(plan.status?.errorReasons ?? [])}` } };
      }
    }
    const now = deps.now().getTime();
    if (now - lastProgress >= input.timeouts.noProgressMs) {
      return { ok: false, failure: { reason: 'verification-timeout', message: `No progress on the update for ${Math.round(input.timeouts.noProgressMs / 60_000)} minutes (last plan state ${lastState ?? 'unknown'}). Check that the Mac is online and checking in to Jamf Pro; MDMTimeoutNoProgress sets this limit.${alsoSeen()}` } };
    }
    if (now - started >= input.timeouts.totalMs) {
      return { ok: false, failure: { reason: 'verification-timeout', message: `The update was not prepared within ${Math.round(input.timeouts.totalMs / 60_000)} minutes (downloaded: ${prepared.download ? 'yes' : 'no'}). MDMTimeoutTotal sets this limit.${alsoSeen()}` } };
    }
    const untilTimeout = Math.min(lastProgress + input.timeouts.noProgressMs, started + input.timeouts.totalMs) - now;
    const waitMs = input.planId !== null ? Math.min(pollMs, untilTimeout) : untilTimeout;
    if (pending.length === 0) {
      wake = new AbortController();
      await deps.sleep(Math.max(waitMs, 0), wake.signal);
    }
    pollMs = Math.min(Math.round(pollMs * 1.5), maxPollMs);
  }
}
