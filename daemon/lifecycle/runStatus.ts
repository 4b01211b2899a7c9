/**
 * What a run writes to the status plist, as pure functions of the machine's context and
 * outcome (or, for an invocation that failed before the machine ran, of its error). The run's
 * status writer (statusWriter.ts) puts them on disk.
 */
import { JamfHttpError, SuperdError } from '../errors';
import { ExitStatus, exitStatusFor } from '../exitStatus';
import type { RunState, StatusRecord } from '../status/statusFile';
import { scheduleRetry } from '../schedule/deferral';
import type { WorkflowFailure } from '../workflow/failureReason';
import type { RunContext, RunOutcome } from './runTypes';

export const STATE_TEXT: Record<string, string> = {
  checkingHost: 'Checking this Mac',
  findingTarget: 'Looking for macOS updates',
  selectingAuth: 'Choosing the saved authentication method',
  validatingCredentials: 'Validating the saved credentials',
  resolvingComputer: 'Finding this Mac in Jamf Pro',
  checkingPreconditions: 'Checking MDM enrollment and the bootstrap token',
  choosingWorkflow: 'Choosing the Jamf Pro update workflow',
  pushing: 'Asking Jamf Pro to send the update',
  verifying: 'Waiting for this Mac to act on the update',
  installingLocally: 'Installing the update with a local credential',
  deciding: 'Deciding how to recover from a failure',
  authenticatingUser: 'Asking the logged-in user to authenticate',
  reescrowing: 'Escrowing the bootstrap token again',
  deferring: 'Scheduling the next attempt',
};

/** The status while a state works: only what this run has learnt (a value not known yet keeps the saved one). */
export function activeStatus(state: string, c: RunContext, machineSnapshot: string | null): Partial<StatusRecord> {
  // Only what this run has learnt: a value not known yet keeps the one a previous run saved
  // (the computer id and the plan id are read back by later steps).
  const change: Partial<StatusRecord> = { state: 'running', stateText: STATE_TEXT[state] ?? state, machineSnapshot };
  if (c.authMethod) change.authMethod = c.authMethod;
  if (c.computer) change.computerId = c.computer.id;
  if (c.target) change.targetVersion = c.target.version;
  if (c.planId) change.planId = c.planId;
  return change;
}

export function finalStatus(outcome: RunOutcome, c: RunContext, at: Date): Partial<StatusRecord> {
  const base: Partial<StatusRecord> = { machineSnapshot: null };
  if (c.authMethod) base.authMethod = c.authMethod;
  if (c.computer) base.computerId = c.computer.id;
  if (c.target) base.targetVersion = c.target.version;
  if (c.push) {
    base.updateAction = c.push.updateAction;
    base.enforceAt = c.push.enforceAt;
  }
  const success = (state: RunState, stateText: string): Partial<StatusRecord> => ({ ...base, state, stateText, nextAttempt: null, lastError: null, errorStreak: null });
  switch (outcome.result) {
    case 'up-to-date':
      return { ...success('done', 'macOS is up to date'), ...NO_PLAN };
    case 'verified':
      return success(c.target?.restartRequired === false ? 'done' : 'waiting-restart', `macOS ${c.target?.version ?? ''} is prepared: ${outcome.evidence}`.trim());
    case 'installed-locally':
      return { ...success('waiting-restart', `macOS ${c.target?.version ?? ''} installed with a local credential; restarting`), ...NO_PLAN };
    case 'deferred':
      return { ...base, ...planHandled(outcome.failure), state: 'deferred', stateText: `Retrying at ${outcome.nextAttempt}`, nextAttempt: outcome.nextAttempt, lastError: { code: outcome.failure.reason, message: outcome.failure.message, at: at.toISOString() } };
    case 'failed':
      return { ...base, ...planHandled(outcome.failure), state: 'error', stateText: 'Needs an administrator', nextAttempt: null, lastError: { code: outcome.failure.reason, message: outcome.failure.message, at: at.toISOString() } };
    case 'crashed':
      return { ...base, state: 'error', stateText: 'Internal error', nextAttempt: null, lastError: { code: 'internal', message: outcome.message, at: at.toISOString() } };
    case 'scheduled':
      // The daemon comes back at the enforcement time (a little after) to verify the install.
      return { ...success('scheduled', `macOS ${c.target?.version ?? ''} is scheduled: ${outcome.evidence}`), nextAttempt: new Date(Date.parse(outcome.enforceAt) + VERIFY_AFTER_ENFORCEMENT_MS).toISOString() };
    case 'test-mode':
      return { ...base, state: 'done', stateText: `TestMode: nothing was sent. superd would send ${outcome.request}`.slice(0, 2000), nextAttempt: null, lastError: null, errorStreak: null };
    case 'update-check-disabled':
      return { ...success('done', 'WorkflowDisableUpdateCheck is set: no update was looked for, nothing pushed') };
  }
}

const NO_PLAN = { planId: null, planTargetVersion: null } as const;

/**
 * A failed plan whose failure reached the recovery path, which chose a retry or an administrator:
 * its record is dropped, so the next attempt may create a new plan for the target (the only way
 * a second plan for one target is ever created, docs/decisions.md). Any other failure keeps the
 * record: the plan may still be running, and the next run follows it.
 */
function planHandled(failure: WorkflowFailure): Partial<StatusRecord> {
  return failure.reason === 'plan-failed' ? NO_PLAN : {};
}

/** After a DDM enforcement time, how long macOS gets to start the install before superd checks. */
export const VERIFY_AFTER_ENFORCEMENT_MS = 15 * 60_000;

/**
 * The status after an invocation that failed outside the machine: invalid options or profile,
 * a credential refused or short of privileges while being saved, Jamf Pro unreachable. Every
 * failure leaves its `lastError`; a temporary one (exit 75) also its next attempt, backing off
 * like a run's; anything else needs an administrator, so nothing is retried until the
 * configuration changes. `message` must already be redacted.
 */
export function failureStatus(
  error: unknown,
  message: string,
  input: { now: Date; previous: StatusRecord; configHash: string; deferralErrorMinutes: number },
): Partial<StatusRecord> {
  const code = error instanceof SuperdError ? error.code : 'SUPERD_ERR_INTERNAL';
  const lastError = { code, message, at: input.now.toISOString() };
  if (exitStatusFor(error) === ExitStatus.tempFailure) {
    const next = scheduleRetry({ now: input.now, failureCode: code, configHash: input.configHash, previous: input.previous.errorStreak, deferralErrorMinutes: input.deferralErrorMinutes, serverDelayMs: retryAfterMs(error) });
    const nextAttempt = next.nextAttempt.toISOString();
    return { state: 'deferred', stateText: `Retrying at ${nextAttempt}`, nextAttempt, errorStreak: next.streak, lastError, machineSnapshot: null };
  }
  return { state: 'error', stateText: 'Needs an administrator', nextAttempt: null, lastError, machineSnapshot: null };
}

/** The delay Jamf Pro asked for with `Retry-After` (a floor under the jittered retry), if any. */
function retryAfterMs(error: unknown): number | undefined {
  return error instanceof JamfHttpError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : undefined;
}
