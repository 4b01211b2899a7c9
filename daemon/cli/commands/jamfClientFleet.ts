/**
 * The two `superd jamf-client` commands of fleet-safe rotation (docs/fleet-rotation.md):
 * - `save --slot=primary|secondary --client-id=ID`: on a Mac, run by the Jamf Pro policy that
 *   distributes a secret; the secret on the first line of standard input, never in argv.
 * - `rotate-secret --fleet …`: on an admin's machine or a vault, the privileged secret on the
 *   first line of standard input.
 */
import type { Dispatcher } from 'undici';
import { saveClientSlot } from '../../auth/clientSlotSave';
import { KeychainSecretStore, SUPERD_KEYCHAIN } from '../../auth/keychainSecretStore';
import type { ClientSlot } from '../../auth/secondaryClient';
import { loadSettings } from '../../config/loadSettings';
import { rotateFleetClient, type FleetRotationReport } from '../../credentials/fleetRotation';
import { UsageError } from '../../errors';
import { ExitStatus, exitStatusFor } from '../../exitStatus';
import { hostPath, superdPaths, superdRoot } from '../../host/paths';
import { createRunCommand } from '../../host/runCommand';
import { normaliseJamfUrl } from '../../jamf/baseUrl';
import { createJamfAgent } from '../../jamf/jamfAgent';
import { createLogger, SecretRegistry } from '../../log';
import type { Output } from '../output';
import { parseFlags, privilegedFrom, stdinLines } from '../privilegedOptions';
import type { RunDependencies } from './run';

type AnyFlags = Record<string, string | boolean | undefined>;

/** `superd jamf-client save --slot=primary|secondary --client-id=ID [--json]`, the secret on stdin. */
export async function jamfClientSaveCommand(args: readonly string[], output: Output, deps: RunDependencies = {}): Promise<number> {
  const flags = parseFlags(args, ['slot', 'client-id', 'json']) as AnyFlags;
  const slot = flags.slot;
  if (slot !== 'primary' && slot !== 'secondary') throw new UsageError(`--slot: expected primary or secondary; got ${JSON.stringify(slot ?? '')}`);
  const clientId = flags['client-id'];
  if (typeof clientId !== 'string' || !/^[A-Za-z0-9-]{1,128}$/.test(clientId)) throw new UsageError('--client-id=ID is required (the API client id Jamf Pro shows, letters, digits and dashes)');
  const secret = (await stdinLines(deps.stdin ?? process.stdin))[0];
  if (!secret) throw new UsageError('the client secret is expected on the first line of standard input (never as an argument)');
  const root = superdRoot(deps.env);
  const { settings } = await loadSettings([], root);
  const registry = new SecretRegistry();
  registry.registerSecret(secret);
  const logger = createLogger({ dir: hostPath(superdPaths.folder, root), format: settings.LogFormat, console: false, unifiedLog: 'auto', level: settings.VerboseMode ? 'debug' : 'info', registry, now: deps.now });
  const log = logger.child('auth');
  const dispatcher: Dispatcher = deps.dispatcher ?? createJamfAgent();
  try {
    const result = await saveClientSlot({
      root,
      store: new KeychainSecretStore({ run: deps.runCommand ?? createRunCommand(root), ...SUPERD_KEYCHAIN }),
      settings,
      dispatcher,
      now: deps.now ?? (() => new Date()),
      registerSecret: (s) => registry.registerSecret(s),
      warn: (m) => {
        log.warn(m);
        output.err(`superd: warning: ${m}`);
      },
    }, slot as ClientSlot, clientId, secret);
    const line = `API client ${clientId} checked with Jamf Pro ${result.serverVersion} and ${result.unchanged ? 'already saved' : 'saved'} as the ${result.slot} client; superd uses it first from now on.`;
    log.info(line, { slot: result.slot, clientId });
    output.out(flags.json ? JSON.stringify({ slot: result.slot, clientId, saved: !result.unchanged, serverVersion: result.serverVersion }, null, 2) : line);
    return ExitStatus.ok;
  } catch (error) {
    log.error(`API client ${clientId} (${slot}) was not saved: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  } finally {
    if (!deps.dispatcher) await dispatcher.close();
    await logger.close();
  }
}

export interface FleetDependencies extends RunDependencies {
  /** How the command waits between polls of the fleet (tests: the simulated clock). */
  readonly fleetSleep?: (ms: number) => Promise<void>;
}

function positive(flags: AnyFlags, name: string, fallback: number, max: number): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`--${name} expects a whole number from 0 to ${max}; got ${JSON.stringify(raw)}`);
  return n;
}

function render(report: FleetRotationReport, json: boolean): string {
  if (json) return JSON.stringify({ status: report.status, distributing: report.distributing, steps: report.steps }, null, 2);
  return [...report.steps.map((s) => `${s.outcome.padEnd(7)} ${s.step}: ${s.detail}`), `Result: ${report.status}`].join('\n');
}

/**
 * `superd jamf-client rotate-secret --fleet --url=URL --primary-client=ID --secondary-client=ID
 * --policy-id=ID [--script-id=ID] [--ea-name=NAME] [--wait-minutes=60] [--poll-seconds=60]
 * (--privileged-client=ID | --privileged-account=NAME) [--json]`.
 * Exit 0 when the fleet reports the rotated client working; 75 while waiting (run again).
 */
export async function jamfClientFleetCommand(args: readonly string[], output: Output, deps: FleetDependencies = {}): Promise<number> {
  const flags = parseFlags(args, ['url', 'primary-client', 'secondary-client', 'policy-id', 'script-id', 'ea-name', 'wait-minutes', 'poll-seconds', 'privileged-client', 'privileged-account', 'json']) as AnyFlags;
  if (typeof flags.url !== 'string') throw new UsageError('--url=https://… (the Jamf Pro server) is required');
  const url = normaliseJamfUrl(flags.url, '--url');
  const primary = flags['primary-client'];
  const secondary = flags['secondary-client'];
  if (typeof primary !== 'string' || typeof secondary !== 'string') throw new UsageError('--primary-client=ID and --secondary-client=ID (the two API clients every Mac holds) are required');
  if (primary === secondary) throw new UsageError('--primary-client and --secondary-client must name two different API clients');
  const policyId = flags['policy-id'];
  if (typeof policyId !== 'string' || !/^\d+$/.test(policyId)) throw new UsageError('--policy-id=ID (the numeric id of the policy that hands the secret to the Macs) is required');
  const scriptId = flags['script-id'];
  if (scriptId !== undefined && (typeof scriptId !== 'string' || !/^\d+$/.test(scriptId))) throw new UsageError('--script-id expects the numeric id of a script of that policy');
  const eaName = typeof flags['ea-name'] === 'string' ? flags['ea-name'] : 'superd jamf client';
  const waitMinutes = positive(flags, 'wait-minutes', 60, 7 * 24 * 60);
  const pollSeconds = Math.max(1, positive(flags, 'poll-seconds', 60, 86_400));
  const lines = await stdinLines(deps.stdin ?? process.stdin);
  if (!lines[0]) throw new UsageError('the privileged secret is expected on the first line of standard input');
  const privileged = privilegedFrom(flags as Parameters<typeof privilegedFrom>[0], lines[0]);
  const dispatcher = deps.dispatcher ?? createJamfAgent();
  const json = Boolean(flags.json);
  try {
    const report = await rotateFleetClient(
      {
        baseUrl: url,
        dispatcher,
        privileged,
        now: deps.now ?? (() => new Date()),
        sleep: deps.fleetSleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
        registerSecret: () => undefined,
        // Waiting can take long: without --json each step is printed as it ends.
        ...(!json && { onStep: (s) => output.out(`${s.outcome.padEnd(7)} ${s.step}: ${s.detail}`) }),
      },
      { primaryClientId: primary, secondaryClientId: secondary, policyId, scriptId: scriptId ?? null, eaName, waitMs: waitMinutes * 60_000, pollMs: pollSeconds * 1000 },
    );
    output.out(json ? render(report, true) : `Result: ${report.status}`);
    return report.status === 'confirmed' ? ExitStatus.ok : exitStatusFor(report.failure);
  } finally {
    if (!deps.dispatcher) await dispatcher.close();
  }
}
