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
  /**
   * Wait before the first plan poll, and between polls; it grows ×1.5 up to `maxPollMs`. Never
   * below {@link MIN_POLL_MS}: a smaller value is raised to it (the request budget, issue 18).
   */
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
  /**
   * The push only downloads (DOWNLOAD_ONLY): the update prepared is the end, no restart follows.
   */
  readonly downloadOnly?: boolean;
  /** Told each time the progress changes (plan state, download or preparation percentage). */
  readonly onProgress?: (progress: VerifyProgress) => void;
}

/** What superd knows of the update's progress while it waits: shown by `superd status`, logged. */
export interface VerifyProgress {
  readonly planState: string | null;
  readonly downloadPercent: number | null;
  readonly preparePercent: number | null;
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

/** Plan polls are at least this far apart on the run's clock (issue 18: at most one per 30 s). */
export const MIN_POLL_MS = 30_000;
/** Default ceiling of the poll back-off. */
export const MAX_POLL_MS = 120_000;

/** The waits between the blank push and each plan poll: 30 s, then ×1.5 up to the ceiling. */
export function pollWaits(count: number, pollMs = MIN_POLL_MS, maxPollMs = MAX_POLL_MS): number[] {
  const waits: number[] = [];
  let wait = Math.max(pollMs, MIN_POLL_MS);
  const ceiling = Math.max(maxPollMs, wait);
  for (let i = 0; i < count; i++) {
    waits.push(wait);
    wait = Math.min(Math.round(wait * 1.5), ceiling);
  }
  return waits;
}

export type VerifyResult = { ok: true; evidence: string; scheduled?: boolean } | { ok: false; failure: WorkflowFailure };

/**
 * Waits until the Mac really acted on the update: the plan completed, or the Mac reports the
 * update prepared and its restart pending. Fails on a terminal plan state (with Jamf's reasons
 * as advice), an MDM error from the Mac, or no progress in time. Polls the plan with back-off
 * (the first poll {@link MIN_POLL_MS} after the push, then ×1.5 up to `maxPollMs`). An event from
 * `log stream` wakes it early to read what the Mac said (a refusal, the restart pending), never
 * to poll: a poll is sent only when its time has come, so a burst of log lines costs Jamf Pro
 * nothing (issue 18 saw three polls within 10 ms).
 */
export async function verifyUpdate(deps: VerifyDeps, input: VerifyInput): Promise<VerifyResult> {
  const started = deps.now().getTime();
  let lastProgress = started;
  let pollMs = Math.max(input.pollMs ?? MIN_POLL_MS, MIN_POLL_MS);
  const maxPollMs = Math.max(input.maxPollMs ?? MAX_POLL_MS, pollMs);
  // The plan was just created: its state is known to be new, so the first poll waits too.
  let nextPollAt = started + pollMs;
  let lastState: string | undefined;
  const pending: MacProgressEvent[] = [];
  let wake: AbortController = new AbortController();
  deps.watch.onEvent((e) => {
    pending.push(e);
    wake.abort();
  });
  const prepared = { download: false, prepare: false };
  let progress: VerifyProgress = { planState: null, downloadPercent: null, preparePercent: null };
  const report = (change: Partial<VerifyProgress>) => {
    const next = { ...progress, ...change };
    if (next.planState === progress.planState && next.downloadPercent === progress.downloadPercent && next.preparePercent === progress.preparePercent) return;
    progress = next;
    input.onProgress?.(progress);
  };
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
      if (e.kind === 'download-progress') {
        prepared.download = true;
        report({ downloadPercent: Math.floor(e.percent) });
      }
      if (e.kind === 'prepare-progress') {
        prepared.prepare = true;
        report({ preparePercent: Math.floor(e.percent) });
        if (input.downloadOnly && e.percent >= 100) return { ok: true, evidence: 'the Mac downloaded and prepared the update (download only: nothing installs)' };
      }
      if (e.kind === 'restart-pending') return { ok: true, evidence: 'the Mac prepared the update and its restart is pending' };
    }
    if (input.planId !== null && deps.now().getTime() >= nextPollAt) {
      const plan = await readPlan(deps.client, input.planId, input.signal);
      pollMs = Math.min(Math.round(pollMs * 1.5), maxPollMs);
      nextPollAt = deps.now().getTime() + pollMs;
      const state = plan.status?.state;
      if (state !== lastState) {
        lastState = state;
        report({ planState: state ?? null });
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
    const waitMs = input.planId !== null ? Math.min(nextPollAt - now, untilTimeout) : untilTimeout;
    if (pending.length === 0) {
      wake = new AbortController();
      await deps.sleep(Math.max(waitMs, 0), wake.signal);
    }
  }
}
