import type { FailureReason } from '../workflow/failureReason';
import type { DecideInput, RecoveryDecision } from './runTypes';

/** Failures no retry can fix: the admin must change the Mac, the profile or the server. */
const NEEDS_CONFIGURATION: readonly FailureReason[] = ['not-apple-silicon', 'macos-too-old', 'jamf-server-missing'];
/**
 * Rejected credentials are not retried on a timer: repeating a wrong password can lock the
 * account out (the heartbeat behaves the same way). A new credential starts a new run.
 */
const NEEDS_CREDENTIALS: readonly FailureReason[] = ['credentials-rejected', 'privileges-missing', 'no-credentials'];

/**
 * What to do after a failure. Pure. Every failure that is neither a configuration nor a
 * credential problem is deferred to the error timer; a run that already failed over never
 * fails over again.
 */
export function decideRecovery(input: DecideInput): RecoveryDecision {
  const reason = input.failure.reason;
  if (NEEDS_CONFIGURATION.includes(reason)) return { action: 'fatal', reason: `${reason} needs an administrator`, exitStatus: 78 };
  if (NEEDS_CREDENTIALS.includes(reason)) return { action: 'fatal', reason: `${reason}: save a working credential`, exitStatus: 77 };
  return { action: 'defer', reason: input.failedOver ? 'already failed over in this run' : 'retry after the error deferral timer' };
}
