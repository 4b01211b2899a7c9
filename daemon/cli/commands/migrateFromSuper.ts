import { applyCredentialOptions, type CredentialChangeContext } from '../../auth/applyCredentialOptions';
import { KeychainSecretStore, SUPER_KEYCHAIN, SUPERD_KEYCHAIN } from '../../auth/keychainSecretStore';
import { credentialOptions, type CredentialOption } from '../../config/credentialOptions';
import { assertValid, loadSettings, saveSettings } from '../../config/loadSettings';
import { readPlistDict } from '../../config/readPlist';
import { hostPath, superdPaths, superdRoot } from '../../host/paths';
import { createRunCommand } from '../../host/runCommand';
import { createJamfAgent } from '../../jamf/jamfAgent';
import { createLogger, SecretRegistry } from '../../log';
import { migrateFromSuper, undoMigrateFromSuper } from '../../migration/superMigration';
import { updateStatus } from '../../status/statusFile';
import type { Output } from '../output';
import { UsageError } from '../../errors';
import { ExitStatus } from '../../exitStatus';
import type { RunDependencies } from './run';
import { optionName } from '../argumentName';

/**
 * `superd migrate-from-super [--undo]`: hands this Mac from super to superd (or back). Prints
 * what it did, one line each, and logs the same to superd's log. Exit 0 also when there was
 * nothing to do; a rejected super credential exits 77 with nothing of super touched.
 */
export async function migrateFromSuperCommand(args: readonly string[], output: Output, deps: RunDependencies = {}): Promise<number> {
  const unknown = args.filter((a) => a !== '--undo');
  if (unknown.length > 0) throw new UsageError(`superd migrate-from-super takes only --undo; got ${unknown.map((a) => optionName(a, args.indexOf(a) + 1)).join(', ')}`);
  const undo = args.includes('--undo');
  const root = superdRoot(deps.env);
  const loaded = await loadSettings([], root);
  assertValid(loaded);
  const registry = new SecretRegistry();
  const logger = createLogger({
    dir: hostPath(superdPaths.folder, root),
    format: loaded.settings.LogFormat,
    console: false,
    unifiedLog: 'auto',
    level: loaded.settings.VerboseMode ? 'debug' : 'info',
    registry,
    now: deps.now,
  });
  const log = logger.child('migration');
  const run = deps.runCommand ?? createRunCommand(root);
  const now = deps.now ?? (() => new Date());
  const store = new KeychainSecretStore({ run, ...SUPERD_KEYCHAIN });
  const dispatcher = deps.dispatcher ?? createJamfAgent();
  const warn = (m: string) => {
    log.warn(m);
    output.err(`superd: warning: ${m}`);
  };
  const ctx: CredentialChangeContext = { root, run, store, settings: loaded.settings, dispatcher, now, registerSecret: (s) => registry.registerSecret(s), warn };
  try {
    const migration = {
      root,
      run,
      store,
      superStore: new KeychainSecretStore({ run, ...SUPER_KEYCHAIN }),
      async saveCredential(given: Record<string, string>) {
        // super's secrets are registered before anything can log them.
        for (const [option, value] of Object.entries(given)) if (credentialOptions[option as CredentialOption].secret) registry.registerSecret(value);
        const changed = await applyCredentialOptions(ctx, given);
        if (!changed) return null;
        await updateStatus(root, { authMethod: changed.method }, now());
        return changed.method;
      },
      readSavedSettings: () => readPlistDict(hostPath(superdPaths.savedSettings, root)),
      saveSettings: (values: Record<string, unknown>) => saveSettings(values, root),
      now,
      sleep: deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    };
    const report = undo ? await undoMigrateFromSuper(migration) : await migrateFromSuper(migration);
    for (const w of report.warnings) warn(w);
    for (const line of report.lines) {
      log.info(`migrate-from-super${undo ? ' --undo' : ''}: ${line}`);
      output.out(`superd: ${line}`);
    }
    return ExitStatus.ok;
  } catch (error) {
    log.error(`migrate-from-super${undo ? ' --undo' : ''} failed: ${(error as Error).message}`);
    throw error;
  } finally {
    if (!deps.dispatcher) await dispatcher.close();
    await logger.close();
  }
}
