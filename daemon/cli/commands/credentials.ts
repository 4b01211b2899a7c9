import { KeychainSecretStore, SUPERD_KEYCHAIN } from '../../auth/keychainSecretStore';
import { loadSettings } from '../../config/loadSettings';
import { heartbeatExitStatus, runHeartbeat } from '../../credentials/heartbeat';
import { createRunCommand } from '../../host/runCommand';
import { superdRoot } from '../../host/paths';
import { createJamfAgent } from '../../jamf/jamfAgent';
import type { RunDependencies } from './run';
import type { Output } from '../main';
import { UsageError } from '../usageError';

/** `superd credentials heartbeat [--json]`: validates the saved Jamf Pro credential now. */
export async function credentialsCommand(args: readonly string[], output: Output, deps: RunDependencies = {}): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'heartbeat') throw new UsageError(`superd credentials takes the subcommand heartbeat; got ${sub === undefined ? 'nothing' : JSON.stringify(sub)}`);
  const unknown = rest.filter((a) => a !== '--json');
  if (unknown.length > 0) throw new UsageError(`superd credentials heartbeat takes only --json; got ${unknown.map((a) => JSON.stringify(a.split('=')[0])).join(', ')}`);
  const root = superdRoot(deps.env);
  const { settings } = await loadSettings([], root);
  const dispatcher = deps.dispatcher ?? createJamfAgent();
  try {
    const result = await runHeartbeat({
      root,
      store: new KeychainSecretStore({ run: createRunCommand(root), ...SUPERD_KEYCHAIN }),
      dispatcher,
      customUrl: settings.AuthJamfCustomURL ?? null,
      workflow: settings.MDMWorkflow,
      now: deps.now ?? (() => new Date()),
      registerSecret: () => undefined, // nothing here logs; messages are built without secrets
    });
    output.out(rest.includes('--json') ? JSON.stringify(result, null, 2) : `Heartbeat: ${result.status} at ${result.checkedAt}${result.skipped ? ' (not sent: paused after a failure)' : ''}\n${result.message}`);
    return heartbeatExitStatus(result.status);
  } finally {
    if (!deps.dispatcher) await dispatcher.close();
  }
}
