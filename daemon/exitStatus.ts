/**
 * The one place superd chooses a process exit status (sysexits, design.md §10). Errors carry
 * stable codes (daemon/errors.ts), runs end with an outcome (daemon/lifecycle/runTypes.ts), a
 * heartbeat with a vault status: each is mapped to a number here and nowhere else.
 */
import { SuperdError, type ConfigError } from './errors';

export const ExitStatus = {
  /** Done, or nothing to do. */
  ok: 0,
  /** Invalid options: nothing was saved. */
  usage: 64,
  /** Another superd run or daemon holds the lock. */
  alreadyRunning: 69,
  /** Internal error: a defect in superd. */
  internal: 70,
  /** Temporary failure: a retry is scheduled (its time is in `superd status`). */
  tempFailure: 75,
  /** Credentials rejected, or short of privileges, and no failover applies. */
  credentialsRejected: 77,
  /** Invalid configuration (profile, saved settings, missing Jamf Pro server). */
  config: 78,
} as const;
export type ExitStatusValue = (typeof ExitStatus)[keyof typeof ExitStatus];

/** What each error code means for the exit status. A code not listed is a defect (70). */
const BY_CODE: Readonly<Record<string, ExitStatusValue>> = {
  SUPERD_ERR_AUTH: ExitStatus.credentialsRejected,
  SUPERD_ERR_JAMF_AUTH: ExitStatus.credentialsRejected,
  SUPERD_ERR_JAMF_PRIVILEGE: ExitStatus.credentialsRejected,
  SUPERD_ERR_JAMF_UNREACHABLE: ExitStatus.tempFailure,
  SUPERD_ERR_JAMF_HTTP: ExitStatus.tempFailure,
  SUPERD_ERR_JAMF_RESPONSE: ExitStatus.tempFailure,
  SUPERD_ERR_COMMAND: ExitStatus.tempFailure,
  SUPERD_ERR_COMMAND_TIMEOUT: ExitStatus.tempFailure,
  SUPERD_ERR_COMMAND_ABORTED: ExitStatus.tempFailure,
  SUPERD_ERR_COMMAND_NOT_FOUND: ExitStatus.config,
  SUPERD_ERR_JAMF_ENDPOINT_UNAVAILABLE: ExitStatus.config,
  // superd's own refusal of a named Jamf Pro object (no such account, a locked or directory one).
  SUPERD_ERR_JAMF_TARGET: ExitStatus.credentialsRejected,
  // superd doctor saw a command answer in a form superd's parser does not expect.
  SUPERD_ERR_DOCTOR_DIFFERS: ExitStatus.config,
  SUPERD_ERR_ALREADY_RUNNING: ExitStatus.alreadyRunning,
  SUPERD_ERR_LOCK: ExitStatus.tempFailure,
  // Fleet rotation waits for the Macs: run again later to continue.
  SUPERD_ERR_FLEET_NOT_READY: ExitStatus.tempFailure,
  SUPERD_ERR_INTERNAL: ExitStatus.internal,
  SUPERD_ERR_STEP_FAILED: ExitStatus.internal,
};

/** The exit status an error means. Anything that is not a superd error is a defect (70). */
export function exitStatusFor(error: unknown): ExitStatusValue {
  if (!(error instanceof SuperdError)) return ExitStatus.internal;
  if (error.code === 'SUPERD_ERR_CONFIG') return (error as ConfigError).source === 'options' ? ExitStatus.usage : ExitStatus.config;
  return BY_CODE[error.code] ?? ExitStatus.internal;
}

/** The error codes this module knows (a test checks every coded error class is listed). */
export function mappedErrorCodes(): readonly string[] {
  return ['SUPERD_ERR_CONFIG', ...Object.keys(BY_CODE)];
}

/** How a run ended, as far as the exit status is concerned (see RunOutcome). */
export type OutcomeForExit =
  | { readonly result: 'up-to-date' | 'verified' | 'installed-locally' | 'scheduled' | 'test-mode' | 'update-check-disabled' | 'handed-off' }
  | { readonly result: 'deferred' }
  | { readonly result: 'failed'; readonly needs: 'configuration' | 'credentials' }
  | { readonly result: 'crashed' };

export function exitStatusForOutcome(outcome: OutcomeForExit): ExitStatusValue {
  switch (outcome.result) {
    case 'deferred':
      return ExitStatus.tempFailure;
    case 'failed':
      return outcome.needs === 'credentials' ? ExitStatus.credentialsRejected : ExitStatus.config;
    case 'crashed':
      return ExitStatus.internal;
    default:
      return ExitStatus.ok;
  }
}

/** `superd credentials heartbeat`: Success 0, unreachable 75, unknown 70, any refusal 77. */
export function exitStatusForHeartbeat(status: string): ExitStatusValue {
  if (status === 'Success') return ExitStatus.ok;
  if (status === 'UnableToConnect') return ExitStatus.tempFailure;
  if (status === 'UnknownError') return ExitStatus.internal;
  return ExitStatus.credentialsRejected;
}
