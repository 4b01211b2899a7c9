/**
 * superd's typed errors, every one of them here, each with a stable `SUPERD_ERR_*` code. Code
 * branches on `error.code`, never on message text. Messages say what is wrong and how to fix
 * it; they never contain a secret. Which exit status an error means is decided in one place:
 * daemon/exitStatus.ts.
 */

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

/**
 * A file superd reads or writes as root is not a regular file (a symbolic link, a FIFO, a
 * device, a folder) or is larger than superd ever expects (daemon/host/safeFile.ts). A
 * configuration error (78) where it is a profile; superd's own damaged files are moved aside.
 */
export class UnsafeFileError extends ConfigError {
  constructor(
    readonly file: string,
    readonly reason: 'symbolic-link' | 'not-regular' | 'too-large',
    message: string,
  ) {
    super([{ subject: file, message }], 'configuration');
    this.name = 'UnsafeFileError';
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
  /** The failure below HTTP (`ECONNRESET`, `timeout`, `CERT_HAS_EXPIRED`…), when known (jamf/refusal.ts). */
  readonly failureCode: string | undefined;
  constructor(message: string, options?: { cause?: unknown; failureCode?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'JamfUnreachableError';
    this.failureCode = options?.failureCode;
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

/** A bug in superd. */
export class InternalError extends SuperdError {
  override readonly code = 'SUPERD_ERR_INTERNAL';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InternalError';
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

/** A command line superd cannot make sense of: exit 64. */
export class UsageError extends ConfigError {
  constructor(message: string) {
    super([{ subject: 'usage', message }], 'options');
    this.name = 'UsageError';
  }
}

/** Another superd run or daemon holds the lock (exit 69). */
export class AlreadyRunningError extends SuperdError {
  override readonly code = 'SUPERD_ERR_ALREADY_RUNNING';
  constructor(
    readonly pid: number,
    file: string,
    what = 'superd daemon',
    advice = 'only one instance may run. Stop it with: sudo launchctl bootout system/com.github.superd',
  ) {
    super(`${what} is already running (pid ${pid}, lock ${file}); ${advice}`);
    this.name = 'AlreadyRunningError';
  }
}

/** A lock file could not be taken for a reason other than another live holder. */
export class LockError extends SuperdError {
  override readonly code = 'SUPERD_ERR_LOCK';
  constructor(message: string) {
    super(message);
    this.name = 'LockError';
  }
}

/**
 * Jamf Pro answered 2xx, but with a body superd cannot use (no plan id, wrong types, HTML).
 * A server fault, never a rejection: the run is retried later.
 */
export class JamfResponseError extends SuperdError {
  override readonly code = 'SUPERD_ERR_JAMF_RESPONSE';
  constructor(readonly method: string, readonly path: string, message: string) {
    super(message);
    this.name = 'JamfResponseError';
  }
}

/**
 * Jamf Pro has no such object (an account or API client named on the command line), or the
 * object cannot be acted on as asked (a directory account, a locked-out account).
 */
export class JamfTargetError extends SuperdError {
  override readonly code = 'SUPERD_ERR_JAMF_TARGET';
  constructor(message: string) {
    super(message);
    this.name = 'JamfTargetError';
  }
}

/** A step of a multi-step procedure (rotation) failed; the report holds the underlying error. */
export class StepFailedError extends SuperdError {
  override readonly code = 'SUPERD_ERR_STEP_FAILED';
  constructor(readonly step: string) {
    super(`step ${step} failed`);
    this.name = 'StepFailedError';
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

/**
 * `superd jamf-client rotate-secret --fleet`: the Macs do not yet all report the same working API
 * client, so rotating now could leave one with only a dead secret. Temporary: run again later.
 */
export class FleetNotReadyError extends SuperdError {
  override readonly code = 'SUPERD_ERR_FLEET_NOT_READY';
  constructor(message: string) {
    super(message);
    this.name = 'FleetNotReadyError';
  }
}
