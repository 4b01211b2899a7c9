import type { Dispatcher } from 'undici';
import { assertValid, loadSettings, saveSettings, type LoadedSettings } from '../../config/loadSettings';
import { credentialOptions, type CredentialOption } from '../../config/credentialOptions';
import { createRunCommand, reportingRunCommand, type RunCommand } from '../../host/runCommand';
import { hostPath, superdPaths, superdRoot } from '../../host/paths';
import { createLogger, redactText, SecretRegistry, type SuperdLogger } from '../../log';
import type { RunOutcome } from '../../lifecycle/runTypes';
import { runWorkflow } from '../../lifecycle/runWorkflow';
import { RunSession } from '../../lifecycle/runSession';
import { runSteps } from '../../lifecycle/steps';
import { createStatusWriter } from '../../lifecycle/statusWriter';
import { bindSteps } from '../../lifecycle/runWorkflow';
import { applyCredentialOptions, deleteAllCredentials, superCredentials } from '../../auth/applyCredentialOptions';
import { loadSavedAuth, readOnce, type SavedAuth } from '../../auth/savedAuth';
import { KeychainSecretStore, SUPER_KEYCHAIN, SUPERD_KEYCHAIN } from '../../auth/keychainSecretStore';
import { createJamfAgent } from '../../jamf/jamfAgent';
import { configFingerprint } from '../../schedule/deferral';
import { readStatus, updateStatus } from '../../status/statusFile';
import { failureStatus } from '../../lifecycle/runStatus';
import { settingsSchema, type Settings } from '../../config/schema';
import { startMacProgressWatch } from '../../workflow/macProgressWatch';
import { daemonLoaded, handOffToDaemon, shouldHandOff, STARTED_BY_DAEMON_ENV } from '../../schedule/handOff';
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

/** Everything one run holds; passed to the steps so none of them reads globals. */
export interface RunEnvironment {
  readonly root: string;
  readonly run: RunCommand;
  readonly loaded: LoadedSettings;
  readonly logger: SuperdLogger;
  readonly registry: SecretRegistry;
  readonly output: Output;
  readonly deps: RunDependencies;
}

/**
 * `superd [run] [OPTIONS]`: validates the settings, applies credential options, saves, then
 * runs the update workflow once (or hands it to the daemon when a Jamf Pro policy started it).
 * Returns the exit status of design.md §10.
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
    const env: RunEnvironment = { root, run, loaded, logger, registry, output, deps };
    // One run at a time: nothing is changed (keychain, settings, status) without the run lock.
    return await withRunLock(root, () => runOnce(env), { env: deps.env ?? process.env });
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

async function runOnce(env: RunEnvironment): Promise<number> {
  const { loaded, root, logger, deps } = env;
  const now = deps.now ?? (() => new Date());
  const store = new KeychainSecretStore({ run: env.run, ...SUPERD_KEYCHAIN });
  const authLog = logger.child('auth');

  if (loaded.actions.deleteAll) {
    const removed = await deleteAllCredentials(store, env.run);
    await updateStatus(root, { authMethod: null }, now());
    authLog.info('deleted every saved credential', { removed });
    env.output.out(removed.length > 0 ? `superd: removed ${removed.join(', ')}.` : 'superd: no saved credential to remove.');
    return 0;
  }

  let given = loaded.credentials;
  let preread: SavedAuth | null | undefined;
  const superStore = new KeychainSecretStore({ run: env.run, ...SUPER_KEYCHAIN });
  if (loaded.actions.migrateFromSuper) {
    const fromSuper = await superCredentials(superStore, store);
    if (fromSuper === null) {
      env.output.err('superd: warning: --auth-migrate-from-super: nothing to migrate (superd already has a saved method, or super saved none).');
    } else if (Object.keys(given).length === 0) {
      authLog.info("migrating super's saved credential", { options: Object.keys(fromSuper) });
      for (const [option, value] of Object.entries(fromSuper)) if (credentialOptions[option as CredentialOption].secret) env.registry.registerSecret(value);
      given = fromSuper;
    }
  } else if (Object.keys(given).length === 0) {
    // superd's saved method, read once for the whole run (the session below uses it); super's
    // items only when superd has none saved (the hint), without reading superd's items again.
    const ownOnce = readOnce(store);
    preread = await loadSavedAuth(ownOnce);
    if (preread === null && (await superCredentials(superStore, ownOnce)) !== null) {
      env.output.err("superd: warning: super's saved credentials were found and superd has none: run superd --auth-migrate-from-super to validate and keep them.");
    }
  }

  const dispatcher = deps.dispatcher ?? createJamfAgent();
  try {
    // TestMode changes no credential: options that would save one are validated as options only.
    if (loaded.settings.TestMode && Object.keys(given).length > 0) {
      authLog.info('TestMode: the credential options were not applied; nothing was saved', { options: Object.keys(given) });
      env.output.err('superd: note: TestMode: credential options are not applied, so nothing in the keychain changes.');
      given = {};
    }
    const changed = await applyCredentialOptions(
      { root, run: env.run, store, settings: loaded.settings, dispatcher, now, registerSecret: (s) => env.registry.registerSecret(s), warn: (m) => { authLog.warn(m); env.output.err(`superd: warning: ${m}`); } },
      given,
    );
    if (changed) {
      authLog.info('credential validated and saved', { method: changed.method, replaced: changed.removed });
      await updateStatus(root, { authMethod: changed.method }, now());
    }
    await saveSettings(loaded.toSave, root);
    logger.child('config').info('settings validated and saved', { fromJamfPolicy: loaded.fromJamfPolicy, credentialsGiven: Object.keys(loaded.credentials) });

    // A Jamf Pro policy should not wait for an update: the daemon takes the run over.
    const startedByDaemon = (deps.env ?? process.env)[STARTED_BY_DAEMON_ENV] === '1';
    if (loaded.fromJamfPolicy && !startedByDaemon && shouldHandOff({ fromJamfPolicy: true, startedByDaemon, daemonLoaded: await daemonLoaded(env.run) })) {
      const handed = await handOffToDaemon(env.run, root, now());
      logger.child('daemon').info('handed the run to the daemon', { result: handed });
      env.output.out(handed === 'requested'
        ? 'superd: settings saved; the superd daemon runs the update workflow now (see superd status).'
        : 'superd: settings saved; the superd daemon is already running the update workflow (see superd status).');
      return 0;
    }

    const status = createStatusWriter(root, await readStatus(root), now);
    const session = new RunSession({
      root,
      run: env.run,
      settings: loaded.settings,
      configHash: configFingerprint(loaded.settings),
      store,
      dispatcher,
      startWatch: startMacProgressWatch(root),
      now,
      sleep: deps.sleep ?? abortableSleep,
      commandWait: deps.commandWait ?? abortableSleep,
      registerSecret: (s) => env.registry.registerSecret(s),
      log: logger.child('workflow'),
      status,
      justValidated: changed,
    });
    // Nothing was saved since the read above: the session uses it rather than reading the keychain again.
    if (preread !== undefined && !changed) session.useSaved(preread);
    let outcome: RunOutcome;
    try {
      outcome = await runWorkflow({
        root,
        input: {
          configHash: configFingerprint(loaded.settings),
          installNow: loaded.settings.WorkflowInstallNow,
          testMode: loaded.settings.TestMode === true,
          updateCheckDisabled: loaded.settings.WorkflowDisableUpdateCheck === true,
        },
        actors: bindSteps(runSteps, session),
        status,
        log: logger.child('lifecycle'),
        now,
      });
    } finally {
      await session.close();
    }
    env.output.out(describeOutcome(outcome));
    return exitStatusForOutcome(outcome);
  } finally {
    if (!deps.dispatcher) await dispatcher.close();
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
