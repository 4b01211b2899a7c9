import type { Dispatcher } from 'undici';
import { assertValid, loadSettings, type LoadedSettings } from '../../config/loadSettings';
import { credentialOptions, type CredentialOption } from '../../config/credentialOptions';
import { createRunCommand, reportingRunCommand, type RunCommand } from '../../host/runCommand';
import { hostPath, superdPaths, superdRoot } from '../../host/paths';
import { createLogger, redactText, SecretRegistry, type SuperdLogger } from '../../log';
import type { RunOutcome } from '../../lifecycle/runTypes';
import { runInvocation } from '../../lifecycle/runInvocation';
import { configFingerprint } from '../../schedule/deferral';
import { readStatus, updateStatus } from '../../status/statusFile';
import { failureStatus } from '../../lifecycle/runStatus';
import { settingsSchema, type Settings } from '../../config/schema';
import { readSecretsFromStdin } from '../readSecretsFromStdin';
import type { Output } from '../output';
import { exitStatusForOutcome } from '../../exitStatus';
import { AlreadyRunningError, LockError } from '../../errors';
import { withRunLock } from '../../schedule/runLock';

/**
 * What a test (or the demo) may replace in a run. Production passes nothing: the real clock,
 * real timers, and an undici Agent that trusts the system CAs.
 */
export interface RunDependencies {
  readonly dispatcher?: Dispatcher;
  readonly now?: () => Date;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** How long to wait on a slow macOS command before going on without it (default: real time). */
  readonly commandWait?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly stdin?: NodeJS.ReadableStream;
  readonly env?: NodeJS.ProcessEnv;
  /** Runs the macOS commands (tests: the fake Mac in-process); default createRunCommand(root). */
  readonly runCommand?: RunCommand;
}

/**
 * `superd [run] [OPTIONS]`: parses and validates the settings, reads secrets from stdin, opens the
 * log, then hands the invocation to the lifecycle (daemon/lifecycle/runInvocation.ts: credentials,
 * settings, hand-off or one run). Says how it ended and returns the exit status of design.md §10.
 */
export async function runCommand(argv: readonly string[], output: Output, deps: RunDependencies = {}): Promise<number> {
  const root = superdRoot(deps.env);
  // Every secret is registered before the first log line, so no transport can see it.
  const registry = new SecretRegistry();
  let loaded: LoadedSettings | null = null;
  let logger: SuperdLogger | null = null;
  try {
    loaded = await loadSettings(argv, root);
    for (const w of loaded.warnings) output.err(`superd: warning: ${w.subject} ${w.message}`);
    for (const n of loaded.notices) output.err(`superd: note: ${n.subject}: ${n.message}`);
    assertValid(loaded);
    await readSecretsFromStdin(loaded.credentials, deps.stdin);
    for (const [option, value] of Object.entries(loaded.credentials)) {
      if (credentialOptions[option as CredentialOption].secret) registry.registerSecret(value);
    }
    logger = openLogger(root, registry, deps, loaded);
    for (const w of loaded.warnings) logger.child('config').warn(`${w.subject} ${w.message}`);
    for (const n of loaded.notices) logger.child('config').info(`${n.subject}: ${n.message}`);
    const baseRun = deps.runCommand ?? createRunCommand(root);
    // --verbose-mode: every macOS command is logged (debug), as every Jamf Pro request is.
    const hostLog = logger.child('host');
    const run = loaded.settings.VerboseMode ? reportingRunCommand(baseRun, (e) => hostLog.debug('command', { ...e })) : baseRun;
    const invocation = {
      root,
      run,
      loaded,
      logger,
      registerSecret: (secret: string) => registry.registerSecret(secret),
      output,
      env: deps.env ?? process.env,
      dispatcher: deps.dispatcher,
      now: deps.now ?? (() => new Date()),
      sleep: deps.sleep ?? abortableSleep,
      commandWait: deps.commandWait ?? abortableSleep,
    };
    // One run at a time: nothing is changed (keychain, settings, status) without the run lock.
    const result = await withRunLock(root, () => runInvocation(invocation), { env: invocation.env });
    if (result.kind === 'done') return 0;
    output.out(describeOutcome(result.outcome));
    return exitStatusForOutcome(result.outcome);
  } catch (error) {
    logger ??= openLogger(root, registry, deps, null);
    // No run lock (another run holds it): the status is that run's; this one only says why it stopped.
    if (error instanceof AlreadyRunningError || error instanceof LockError) {
      logger.child('lifecycle').warn('this run did not get the run lock and changed nothing', { code: error.code, holderPid: error instanceof AlreadyRunningError ? error.pid : null });
      throw error;
    }
    await recordFailure(root, error, { registry, logger, settings: loaded?.settings ?? null, now: deps.now ?? (() => new Date()) });
    throw error;
  } finally {
    await logger?.close();
  }
}

function openLogger(root: string, registry: SecretRegistry, deps: RunDependencies, loaded: LoadedSettings | null): SuperdLogger {
  return createLogger({
    dir: hostPath(superdPaths.folder, root),
    format: loaded?.settings.LogFormat ?? 'text',
    console: false,
    unifiedLog: 'auto',
    level: loaded?.settings.VerboseMode ? 'debug' : 'info',
    registry,
    now: deps.now,
  });
}

/**
 * An invocation that failed before (or outside) the workflow still leaves its outcome where
 * admins look: the log, and `lastError` (with a next attempt for a temporary failure) in status.
 * Best effort: recording must never hide the error itself.
 */
async function recordFailure(
  root: string,
  error: unknown,
  ctx: { registry: SecretRegistry; logger: SuperdLogger; settings: Settings | null; now: () => Date },
): Promise<void> {
  const message = redactText(error instanceof Error ? error.message : String(error), ctx.registry).slice(0, 2000);
  try {
    const now = ctx.now();
    const change = failureStatus(error, message, {
      now,
      previous: await readStatus(root),
      configHash: ctx.settings ? configFingerprint(ctx.settings) : 'unknown',
      // Settings that failed to load: the schema's default error timer (an hour).
      deferralErrorMinutes: ctx.settings?.DeferralTimerError ?? ctx.settings?.DeferralTimerDefault ?? settingsSchema.DeferralTimerDefault.default ?? 60,
    });
    await updateStatus(root, change, now);
    ctx.logger.child('lifecycle').error('the run failed', { code: change.lastError?.code, message, nextAttempt: change.nextAttempt });
  } catch (recordError) {
    ctx.logger.child('lifecycle').warn('could not record the failure in status', { error: recordError instanceof Error ? recordError.message : String(recordError) });
  }
}

/** A timer that ends early, without rejecting, when the signal aborts. */
function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** One line for the admin (or the Jamf Pro policy log) saying how the run ended. */
export function describeOutcome(outcome: RunOutcome): string {
  switch (outcome.result) {
    case 'up-to-date':
      return 'superd: macOS is up to date; nothing to do.';
    case 'verified':
      return `superd: the update was pushed through Jamf Pro and this Mac acted on it (${outcome.evidence}).`;
    case 'installed-locally':
      return 'superd: the update was installed with a local credential; the Mac restarts to finish it.';
    case 'deferred':
      return `superd: ${outcome.failure.message} (${outcome.failure.reason}). Next attempt at ${outcome.nextAttempt}; see superd status.`;
    case 'failed':
      return `superd: ${outcome.failure.message} (${outcome.failure.reason}). An administrator must fix this; see superd status.`;
    case 'crashed':
      return `superd: internal error: ${outcome.message}`;
    case 'scheduled':
      return `superd: ${outcome.evidence}. macOS shows its own notices until then; superd checks again at that time.`;
    case 'test-mode':
      return `superd: TestMode: nothing was sent to Jamf Pro and nothing restarts. superd would send:\n${outcome.request}`;
    case 'update-check-disabled':
      return 'superd: WorkflowDisableUpdateCheck is set: superd looked for no macOS update and pushed nothing.';
  }
}
