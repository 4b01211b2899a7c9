import type { Dispatcher } from 'undici';
import { saveSettings, type LoadedSettings } from '../config/loadSettings';
import { credentialOptions, type CredentialOption } from '../config/credentialOptions';
import type { RunCommand } from '../host/runCommand';
import type { SuperdLogger } from '../log';
import { applyCredentialOptions, deleteAllCredentials, superCredentials, type CredentialChange } from '../auth/applyCredentialOptions';
import { loadSavedAuth, readOnce, type SavedAuth } from '../auth/savedAuth';
import { KeychainSecretStore, SUPER_KEYCHAIN, SUPERD_KEYCHAIN } from '../auth/keychainSecretStore';
import { createJamfAgent } from '../jamf/jamfAgent';
import { configFingerprint } from '../schedule/deferral';
import { daemonLoaded, handOffToDaemon, shouldHandOff, STARTED_BY_DAEMON_ENV } from '../schedule/handOff';
import { readStatus, updateStatus } from '../status/statusFile';
import { startMacProgressWatch } from '../workflow/macProgressWatch';
import type { RunOutcome } from './runTypes';
import { bindSteps, runWorkflow } from './runWorkflow';
import { RunSession } from './runSession';
import { runSteps } from './steps';
import { createStatusWriter } from './statusWriter';

/** Where an invocation tells the admin what happened (the command's stdout and stderr). */
export interface InvocationOutput {
  out(text: string): void;
  err(text: string): void;
}

/** Everything one `superd run` invocation holds once its settings and secrets are read. */
export interface Invocation {
  readonly root: string;
  readonly run: RunCommand;
  readonly loaded: LoadedSettings;
  readonly logger: SuperdLogger;
  readonly registerSecret: (secret: string) => void;
  readonly output: InvocationOutput;
  readonly env: NodeJS.ProcessEnv;
  readonly dispatcher?: Dispatcher;
  readonly now: () => Date;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly commandWait: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** How an invocation ended: a run of the workflow, or an exit before it (0, nothing else to do). */
export type InvocationResult = { readonly kind: 'ran'; readonly outcome: RunOutcome } | { readonly kind: 'done' };

/**
 * After parsing: delete-all, or apply the credential options and save the settings, then hand
 * the run to the daemon (a Jamf Pro policy) or run the update workflow once here.
 */
export async function runInvocation(inv: Invocation): Promise<InvocationResult> {
  const store = new KeychainSecretStore({ run: inv.run, ...SUPERD_KEYCHAIN });
  if (inv.loaded.actions.deleteAll) {
    await deleteAll(inv, store);
    return { kind: 'done' };
  }
  const { given, preread } = await credentialsToApply(inv, store);
  const dispatcher = inv.dispatcher ?? createJamfAgent();
  try {
    const changed = await applyAndSave(inv, store, dispatcher, given);
    if (await handedToDaemon(inv)) return { kind: 'done' };
    return { kind: 'ran', outcome: await runUpdateWorkflow(inv, store, dispatcher, changed, preread) };
  } finally {
    if (!inv.dispatcher) await dispatcher.close();
  }
}

async function deleteAll(inv: Invocation, store: KeychainSecretStore): Promise<void> {
  const removed = await deleteAllCredentials(store, inv.run);
  await updateStatus(inv.root, { authMethod: null }, inv.now());
  inv.logger.child('auth').info('deleted every saved credential', { removed });
  inv.output.out(removed.length > 0 ? `superd: removed ${removed.join(', ')}.` : 'superd: no saved credential to remove.');
}

/**
 * The credential options this invocation applies: the ones given, or super's with
 * `--auth-migrate-from-super`. Without options, superd's saved method is read once for the whole
 * run (`preread`); super's items only when superd has none (the hint), never superd's items twice.
 */
async function credentialsToApply(inv: Invocation, store: KeychainSecretStore): Promise<{ given: Record<string, string>; preread: SavedAuth | null | undefined }> {
  const authLog = inv.logger.child('auth');
  const superStore = new KeychainSecretStore({ run: inv.run, ...SUPER_KEYCHAIN });
  let given: Record<string, string> = inv.loaded.credentials;
  let preread: SavedAuth | null | undefined;
  if (inv.loaded.actions.migrateFromSuper) {
    const fromSuper = await superCredentials(superStore, store);
    if (fromSuper === null) {
      inv.output.err('superd: warning: --auth-migrate-from-super: nothing to migrate (superd already has a saved method, or super saved none).');
    } else if (Object.keys(given).length === 0) {
      authLog.info("migrating super's saved credential", { options: Object.keys(fromSuper) });
      for (const [option, value] of Object.entries(fromSuper)) if (credentialOptions[option as CredentialOption].secret) inv.registerSecret(value);
      given = fromSuper;
    }
  } else if (Object.keys(given).length === 0) {
    const ownOnce = readOnce(store);
    preread = await loadSavedAuth(ownOnce, undefined, (await readStatus(inv.root)).authMethod);
    if (preread === null && (await superCredentials(superStore, ownOnce)) !== null) {
      inv.output.err("superd: warning: super's saved credentials were found and superd has none: run superd --auth-migrate-from-super to validate and keep them.");
    }
  }
  // TestMode changes no credential: options that would save one are validated as options only.
  if (inv.loaded.settings.TestMode && Object.keys(given).length > 0) {
    authLog.info('TestMode: the credential options were not applied; nothing was saved', { options: Object.keys(given) });
    inv.output.err('superd: note: TestMode: credential options are not applied, so nothing in the keychain changes.');
    given = {};
  }
  return { given, preread };
}

/** Validates and saves the given credential (if any), then the settings. */
async function applyAndSave(inv: Invocation, store: KeychainSecretStore, dispatcher: Dispatcher, given: Record<string, string>): Promise<CredentialChange | null> {
  const authLog = inv.logger.child('auth');
  const changed = await applyCredentialOptions(
    {
      root: inv.root,
      run: inv.run,
      store,
      settings: inv.loaded.settings,
      dispatcher,
      now: inv.now,
      registerSecret: inv.registerSecret,
      warn: (m) => {
        authLog.warn(m);
        inv.output.err(`superd: warning: ${m}`);
      },
    },
    given,
  );
  if (changed) {
    authLog.info('credential validated and saved', { method: changed.method, replaced: changed.removed });
    await updateStatus(inv.root, { authMethod: changed.method }, inv.now());
  }
  await saveSettings(inv.loaded.toSave, inv.root);
  inv.logger.child('config').info('settings validated and saved', { fromJamfPolicy: inv.loaded.fromJamfPolicy, credentialsGiven: Object.keys(inv.loaded.credentials) });
  return changed;
}

/** A Jamf Pro policy should not wait for an update: the daemon takes the run over. */
async function handedToDaemon(inv: Invocation): Promise<boolean> {
  const startedByDaemon = inv.env[STARTED_BY_DAEMON_ENV] === '1';
  if (!inv.loaded.fromJamfPolicy || startedByDaemon) return false;
  if (!shouldHandOff({ fromJamfPolicy: true, startedByDaemon, daemonLoaded: await daemonLoaded(inv.run) })) return false;
  const handed = await handOffToDaemon(inv.run, inv.root, inv.now());
  inv.logger.child('daemon').info('handed the run to the daemon', { result: handed });
  inv.output.out(handed === 'requested'
    ? 'superd: settings saved; the superd daemon runs the update workflow now (see superd status).'
    : 'superd: settings saved; the superd daemon is already running the update workflow (see superd status).');
  return true;
}

async function runUpdateWorkflow(
  inv: Invocation,
  store: KeychainSecretStore,
  dispatcher: Dispatcher,
  changed: CredentialChange | null,
  preread: SavedAuth | null | undefined,
): Promise<RunOutcome> {
  const { root, loaded, now } = inv;
  const status = createStatusWriter(root, await readStatus(root), now);
  const session = new RunSession({
    root,
    run: inv.run,
    settings: loaded.settings,
    configHash: configFingerprint(loaded.settings),
    store,
    dispatcher,
    startWatch: startMacProgressWatch(root),
    now,
    sleep: inv.sleep,
    commandWait: inv.commandWait,
    registerSecret: inv.registerSecret,
    log: inv.logger.child('workflow'),
    status,
    justValidated: changed,
  });
  // Nothing was saved since the read above: the session uses it rather than reading the keychain again.
  if (preread !== undefined && !changed) session.useSaved(preread);
  try {
    return await runWorkflow({
      root,
      input: {
        configHash: configFingerprint(loaded.settings),
        installNow: loaded.settings.WorkflowInstallNow,
        testMode: loaded.settings.TestMode === true,
        updateCheckDisabled: loaded.settings.WorkflowDisableUpdateCheck === true,
      },
      actors: bindSteps(runSteps, session),
      status,
      log: inv.logger.child('lifecycle'),
      now,
    });
  } finally {
    await session.close();
  }
}
