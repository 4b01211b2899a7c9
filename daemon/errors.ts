/**
 * superd's typed errors. Code branches on `error.code`, never on message text.
 * Messages say what is wrong and how to fix it; they never contain a secret.
 */

/** Exit statuses (sysexits), design.md §10. */
export const ExitStatus = {
  ok: 0,
  usage: 64,
  internal: 70,
  tempFailure: 75,
  credentialsRejected: 77,
  config: 78,
} as const;
export type ExitStatusValue = (typeof ExitStatus)[keyof typeof ExitStatus];

export class SuperdError extends Error {
  readonly code: string = 'SUPERD_ERR';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SuperdError';
  }
}

/** One problem found while reading or validating settings. */
export interface ConfigIssue {
  /** The option (`--auth-jamf-client`) or key (`AuthJamfCustomURL`) or file the issue is about. */
  subject: string;
  message: string;
}

/**
 * Invalid settings. `source` decides the exit status: bad command-line options are a usage
 * error (64); a bad profile, saved settings file or missing Jamf server is a configuration
 * error (78).
 */
export class ConfigError extends SuperdError {
  override readonly code = 'SUPERD_ERR_CONFIG';
  constructor(
    readonly issues: readonly ConfigIssue[],
    readonly source: 'options' | 'configuration',
  ) {
    super(issues.map((i) => `${i.subject}: ${i.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** A macOS command exited in a way its adapter could not accept. Never carries stdin. */
export class CommandError extends SuperdError {
  override readonly code: string = 'SUPERD_ERR_COMMAND';
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
    message?: string,
  ) {
    super(message ?? `${command} failed with exit status ${exitCode ?? 'none'}${stderr ? `: ${firstLine(stderr)}` : ''}`);
    this.name = 'CommandError';
  }
}

export class CommandNotFoundError extends CommandError {
  override readonly code = 'SUPERD_ERR_COMMAND_NOT_FOUND';
  constructor(command: string) {
    super(command, null, '', `${command} was not found; superd needs it on macOS (is SUPERD_ROOT set correctly?)`);
    this.name = 'CommandNotFoundError';
  }
}

export class CommandTimeoutError extends CommandError {
  override readonly code = 'SUPERD_ERR_COMMAND_TIMEOUT';
  constructor(command: string, readonly timeoutMs: number) {
    super(command, null, '', `${command} did not finish within ${timeoutMs} ms and was stopped`);
    this.name = 'CommandTimeoutError';
  }
}

export class CommandAbortedError extends CommandError {
  override readonly code = 'SUPERD_ERR_COMMAND_ABORTED';
  constructor(command: string) {
    super(command, null, '', `${command} was cancelled`);
    this.name = 'CommandAbortedError';
  }
}

/** Jamf Pro answered with an HTTP status the caller could not accept. */
export class JamfHttpError extends SuperdError {
  override readonly code: string = 'SUPERD_ERR_JAMF_HTTP';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly statusCode: number,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'JamfHttpError';
  }
}

/** Jamf Pro refused the credentials (token request failed, or 401 after one re-authentication). */
export class JamfAuthError extends SuperdError {
  override readonly code = 'SUPERD_ERR_JAMF_AUTH';
  constructor(message: string, readonly statusCode?: number) {
    super(message);
    this.name = 'JamfAuthError';
  }
}

/** The Jamf Pro server could not be reached at all (DNS, TLS, connection, timeout). */
export class JamfUnreachableError extends SuperdError {
  override readonly code = 'SUPERD_ERR_JAMF_UNREACHABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JamfUnreachableError';
  }
}

/** A local or Jamf credential failed validation; `reason` is a stable, named cause. */
export class AuthError extends SuperdError {
  override readonly code = 'SUPERD_ERR_AUTH';
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

/** A temporary failure: the run is deferred and a retry is scheduled. */
export class DeferredError extends SuperdError {
  override readonly code = 'SUPERD_ERR_DEFERRED';
  constructor(message: string, readonly nextAttempt: Date, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeferredError';
  }
}

/** A bug in superd. */
export class InternalError extends SuperdError {
  override readonly code = 'SUPERD_ERR_INTERNAL';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InternalError';
  }
}

/** The one place that maps an error to the process exit status. */
export function exitStatusFor(error: unknown): ExitStatusValue {
  if (!(error instanceof SuperdError)) return ExitStatus.internal;
  switch (error.code) {
    case 'SUPERD_ERR_CONFIG':
      return (error as ConfigError).source === 'options' ? ExitStatus.usage : ExitStatus.config;
    case 'SUPERD_ERR_AUTH':
    case 'SUPERD_ERR_JAMF_AUTH':
    case 'SUPERD_ERR_JAMF_PRIVILEGE':
      return ExitStatus.credentialsRejected;
    case 'SUPERD_ERR_DEFERRED':
    case 'SUPERD_ERR_JAMF_UNREACHABLE':
    case 'SUPERD_ERR_JAMF_HTTP':
    case 'SUPERD_ERR_COMMAND':
    case 'SUPERD_ERR_COMMAND_TIMEOUT':
    case 'SUPERD_ERR_COMMAND_ABORTED':
      return ExitStatus.tempFailure;
    case 'SUPERD_ERR_COMMAND_NOT_FOUND':
    case 'SUPERD_ERR_JAMF_ENDPOINT_UNAVAILABLE':
    case 'SUPERD_ERR_DOCTOR_DIFFERS':
      return ExitStatus.config;
    default:
      return ExitStatus.internal;
  }
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
}

/**
 * Jamf Pro refused a call because the account or API client lacks a privilege (HTTP 403).
 * `privileges` are the exact Jamf Pro privilege strings the call needs; at least one is missing.
 */
export class JamfPrivilegeError extends JamfHttpError {
  override readonly code = 'SUPERD_ERR_JAMF_PRIVILEGE';
  constructor(method: string, path: string, readonly privileges: readonly string[], message: string) {
    super(method, path, 403, message);
    this.name = 'JamfPrivilegeError';
  }
}

/** The Jamf Pro server's version does not offer an endpoint (too old for it, or it was removed). */
export class JamfEndpointUnavailableError extends JamfHttpError {
  override readonly code = 'SUPERD_ERR_JAMF_ENDPOINT_UNAVAILABLE';
  constructor(
    method: string,
    path: string,
    readonly serverVersion: string | undefined,
    readonly requirement: { readonly since?: string; readonly removedIn?: string },
    message: string,
  ) {
    super(method, path, 404, message);
    this.name = 'JamfEndpointUnavailableError';
  }
}

/**
 * `superd doctor` found macOS command output that superd's parsers do not accept: this Mac is
 * not a configuration superd can rely on (exit 78). Checks that were skipped do not count.
 */
export class DoctorChecksDifferError extends SuperdError {
  override readonly code = 'SUPERD_ERR_DOCTOR_DIFFERS';
  constructor(readonly checkIds: readonly string[]) {
    super(`superd doctor: ${checkIds.length} check(s) differ from what superd expects: ${checkIds.join(', ')}`);
    this.name = 'DoctorChecksDifferError';
  }
}
