import { KeychainSecretStore, SUPERD_KEYCHAIN } from '../../auth/keychainSecretStore';
import { loadSettings } from '../../config/loadSettings';
import { runHeartbeat } from '../../credentials/heartbeat';
import { exitStatusForHeartbeat } from '../../exitStatus';
import { createRunCommand } from '../../host/runCommand';
import { hostPath, superdPaths, superdRoot } from '../../host/paths';
import { credentialSecrets } from '../../jamf/credentials';
import { createLogger, SecretRegistry } from '../../log';
import { createJamfAgent } from '../../jamf/jamfAgent';
import type { RunDependencies } from './run';
import type { Output } from '../output';
import { namesPrivileged, parseFlags, privilegedFrom, stdinLines } from '../privilegedOptions';
import { UsageError } from '../../errors';
import { commandWord } from '../argumentName';

/**
 * `superd credentials heartbeat [--json] [--privileged-client=ID | --privileged-account=NAME]`:
 * validates the saved Jamf Pro credential now. With a privileged credential (its secret on the
 * first line of standard input), a rejected Jamf Pro account is looked up to tell a lockout from
 * a wrong password or a disabled account.
 */
export async function credentialsCommand(args: readonly string[], output: Output, deps: RunDependencies = {}): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'heartbeat') throw new UsageError(`superd credentials takes the subcommand heartbeat; got ${commandWord(sub)}`);
  const flags = parseFlags(rest, ['json', 'privileged-client', 'privileged-account']);
  let privileged = null;
  if (namesPrivileged(flags)) {
    const secret = (await stdinLines(deps.stdin ?? process.stdin))[0];
    if (!secret) throw new UsageError(`--${flags['privileged-client'] ? 'privileged-client' : 'privileged-account'}: its secret is expected on the first line of standard input`);
    privileged = privilegedFrom(flags, secret);
  }
  const root = superdRoot(deps.env);
  const { settings } = await loadSettings([], root);
  // The daemon discards a worker's output, so the result also goes to superd's log; every secret
  // is registered with the redactor before anything is logged.
  const registry = new SecretRegistry();
  if (privileged) for (const s of credentialSecrets(privileged)) registry.registerSecret(s);
  const logger = createLogger({
    dir: hostPath(superdPaths.folder, root),
    format: settings.LogFormat,
    console: false,
    unifiedLog: 'auto',
    level: settings.VerboseMode ? 'debug' : 'info',
    registry,
    now: deps.now,
  });
  const dispatcher = deps.dispatcher ?? createJamfAgent();
  try {
    const result = await runHeartbeat({
      root,
      store: new KeychainSecretStore({ run: deps.runCommand ?? createRunCommand(root), ...SUPERD_KEYCHAIN }),
      dispatcher,
      customUrl: settings.AuthJamfCustomURL ?? null,
      workflow: settings.MDMWorkflow,
      now: deps.now ?? (() => new Date()),
      registerSecret: (secret) => registry.registerSecret(secret),
      privileged,
    });
    const log = logger.child('heartbeat');
    const line = `Heartbeat ${result.status}${result.skipped ? ' (not sent: paused after a failure)' : ''}: ${result.message}`;
    if (result.status === 'Success') log.info(line);
    else if (result.status === 'UnableToConnect') log.warn(line);
    else log.error(line);
    output.out(flags.json ? JSON.stringify(result, null, 2) : `Heartbeat: ${result.status} at ${result.checkedAt}${result.skipped ? ' (not sent: paused after a failure)' : ''}\n${result.message}`);
    return exitStatusForHeartbeat(result.status);
  } finally {
    if (!deps.dispatcher) await dispatcher.close();
    await logger.close();
  }
}
