/**
 * Why a run could not finish through its chosen path. One vocabulary, shared by the workflow
 * (which reports a reason), the failover decision (which maps reasons to the admin's
 * `AuthMDMFailoverToUser` types) and the status file (which shows the code).
 *
 * Each reason is a stable code: tests, extension attributes and the admin guide use it.
 */
export const FAILURE_REASONS = {
  // Host and configuration (no failover: fixing them needs the admin).
  'not-apple-silicon': 'This Mac is not Apple silicon; the MDM and credential workflows need Apple silicon.',
  'macos-too-old': 'The MDM update workflow needs macOS 11.5 or later.',
  'jamf-server-missing': 'No Jamf Pro server is configured (AuthJamfCustomURL or jss_url).',
  'super-daemon-loaded': "super's LaunchDaemon (com.macjutsu.super) is loaded; superd does not push updates beside it.",
  'no-credentials': 'No authentication method is saved; save one with --auth-jamf-client= and --auth-jamf-secret= (or another --auth-* method).',
  // MDM service (failover type NOSERVICE).
  'mdm-not-enrolled': 'This Mac is not enrolled in MDM.',
  'mdm-service-unavailable': 'The Jamf Pro server or its MDM service cannot be reached.',
  'credentials-rejected': 'Jamf Pro rejected the saved API credentials.',
  'privileges-missing': 'The Jamf Pro credential lacks a privilege the workflow needs.',
  'computer-not-found': 'This Mac could not be found in Jamf Pro.',
  // Bootstrap token (failover type BOOTSTRAP).
  'bootstrap-missing': 'The bootstrap token is not escrowed to Jamf Pro.',
  'bootstrap-invalid': 'The escrowed bootstrap token is not valid for this Mac.',
  // The push and its outcome (generic MDM failure: ALWAYS, and deadline/install-now types).
  'push-rejected': 'Jamf Pro refused the update command.',
  'plan-failed': 'The managed software update plan ended in a failure state.',
  'verification-timeout': 'The Mac showed no progress on the update in time.',
  // Local paths.
  'local-auth-failed': 'macOS rejected the local credential for the update.',
  'local-install-failed': 'softwareupdate could not install the update.',
  'user-auth-cancelled': 'The user cancelled the password dialog.',
  'user-auth-timeout': 'The user did not answer the password dialog in time.',
  'user-auth-failed': 'The user entered a wrong password too many times.',
  'no-console-user': 'Nobody is logged in to show the password dialog to.',
  'user-not-volume-owner': 'The logged-in user is not a volume owner with a secure token.',
} as const;

export type FailureReason = keyof typeof FAILURE_REASONS;

/** The failure a step of the workflow reports; `message` is plain advice for the admin. */
export interface WorkflowFailure {
  readonly reason: FailureReason;
  readonly message: string;
  /** Jamf Pro's `Retry-After` on the answer that failed (a 503 or 429): the next attempt waits at least this long. */
  readonly retryAfterSeconds?: number;
}

export function isFailureReason(value: string): value is FailureReason {
  return Object.hasOwn(FAILURE_REASONS, value);
}
