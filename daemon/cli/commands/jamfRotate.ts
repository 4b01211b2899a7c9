/**
 * `superd jamf-account rotate …` and `superd jamf-client rotate-secret …`. Secrets come from
 * standard input, one per line: the privileged secret, then the new password with
 * `--new-password-stdin`. Never from the arguments.
 */
import type { Dispatcher } from 'undici';
import { KeychainSecretStore, SUPERD_KEYCHAIN } from '../../auth/keychainSecretStore';
import type { SecretStore } from '../../auth/secretStore';
import { loadSettings } from '../../config/loadSettings';
import { runHeartbeat } from '../../credentials/heartbeat';
import { DEFAULT_RULES, checkRules, generatePassword, type CharacterSet, type PasswordRules } from '../../credentials/passwordGenerator';
import { rotateAccountPassword, rotateClientSecret, type RotationReport } from '../../credentials/rotation';
import { ExitStatus, exitStatusFor } from '../../exitStatus';
import { createRunCommand } from '../../host/runCommand';
import { superdRoot } from '../../host/paths';
import { normaliseJamfUrl } from '../../jamf/baseUrl';
import { createJamfAgent } from '../../jamf/jamfAgent';
import type { RunDependencies } from './run';
import type { Output } from '../output';
import { BOOLEAN_FLAGS, VALUE_FLAGS, parseFlags, privilegedFrom, stdinLines, type Flags } from '../privilegedOptions';
import { UsageError } from '../../errors';
import { checkSecretFile, writeSecretFile } from '../../credentials/secretFile';
import { commandWord } from '../argumentName';
import { jamfClientFleetCommand, jamfClientSaveCommand, type FleetDependencies } from './jamfClientFleet';

export function rulesFrom(flags: Flags): PasswordRules {
  const rules: PasswordRules = {
    length: flags.length === undefined ? DEFAULT_RULES.length : Number(flags.length),
    sets: flags.sets === undefined ? DEFAULT_RULES.sets : (flags.sets.split(',') as CharacterSet[]),
    minPerSet: flags['min-per-set'] === undefined ? DEFAULT_RULES.minPerSet : Number(flags['min-per-set']),
    exclude: flags.exclude ?? '',
  };
  const unknown = rules.sets.filter((s) => !['upper', 'lower', 'digit', 'symbol'].includes(s));
  if (unknown.length > 0) throw new UsageError(`--sets: expected a comma list of upper, lower, digit, symbol; got ${unknown.join(', ')}`);
  const problem = checkRules(rules);
  if (problem) throw new UsageError(`password rules: ${problem}`);
  return rules;
}

function render(report: RotationReport, json: boolean): string {
  if (json) return JSON.stringify({ target: report.target, steps: report.steps, status: report.status }, null, 2);
  return [...report.steps.map((s) => `${s.outcome.padEnd(7)} ${s.step}: ${s.detail}`), `Result: ${report.status}`].join('\n');
}

/**
 * When superd's own saved credential was rotated: the heartbeat runs at once with the new one
 * and is recorded like a scheduled one (clearing a pause left by the old credential).
 */
async function heartbeatIfOwn(report: RotationReport, root: string, store: SecretStore, dispatcher: Dispatcher, deps: RunDependencies): Promise<void> {
  if (report.status !== 'rotated' || !report.steps.some((s) => s.step === 'update-keychain' && s.outcome === 'ok')) return;
  try {
    const { settings } = await loadSettings([], root);
    const result = await runHeartbeat({ root, store, dispatcher, customUrl: settings.AuthJamfCustomURL ?? null, workflow: settings.MDMWorkflow, now: deps.now ?? (() => new Date()), registerSecret: () => undefined });
    report.steps.push({ step: 'heartbeat', outcome: result.status === 'Success' ? 'ok' : 'failed', detail: `${result.status}: ${result.message}` });
  } catch (error) {
    report.steps.push({ step: 'heartbeat', outcome: 'failed', detail: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * 0 when rotated or skipped; otherwise the failed step's typed error decides (75 for an
 * unreachable or failing server, 78 for a missing endpoint, 77 for a refusal), and a refusal
 * superd made itself (no such account, a directory or locked account) is 77.
 */
function exitFor(report: RotationReport): number {
  if (report.status !== 'failed') return ExitStatus.ok;
  return exitStatusFor(report.failure);
}

export async function jamfAccountCommand(args: readonly string[], output: Output, deps: RunDependencies = {}): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'rotate') throw new UsageError(`superd jamf-account takes the subcommand rotate; got ${commandWord(sub)}`);
  const flags = parseFlags(rest, [...VALUE_FLAGS.filter((f) => f !== 'client-id'), ...BOOLEAN_FLAGS]);
  if (!flags.url) throw new UsageError('--url=https://… (the Jamf Pro server) is required');
  const url = normaliseJamfUrl(flags.url, '--url');
  const target = flags['target-account'];
  if (!target) throw new UsageError('--target-account=NAME is required');
  if (Boolean(flags.generate) === Boolean(flags['new-password-stdin'])) throw new UsageError('give exactly one of --generate and --new-password-stdin');
  const ifOlder = flags['if-older-than'] === undefined ? null : Number(flags['if-older-than']);
  if (ifOlder !== null && (!Number.isInteger(ifOlder) || ifOlder < 0)) throw new UsageError('--if-older-than expects a whole number of days');
  const rules = flags.generate ? rulesFrom(flags) : null;
  const root = superdRoot(deps.env);
  const store = new KeychainSecretStore({ run: deps.runCommand ?? createRunCommand(root), ...SUPERD_KEYCHAIN });
  const own = (await store.get('jamf_account')) === target;
  if (flags['password-file']) checkSecretFile(flags['password-file']);
  if (flags.generate && !own && !flags['show-password'] && !flags['password-file']) {
    throw new UsageError(`"${target}" is not superd's own saved account, so the generated password must go somewhere: add --password-file=PATH (written with mode 0600) or --show-password`);
  }
  const lines = await stdinLines(deps.stdin ?? process.stdin);
  const privilegedSecret = lines[0];
  if (!privilegedSecret) throw new UsageError('the privileged secret is expected on the first line of standard input');
  const newPassword = rules ? generatePassword(rules) : lines[1];
  if (!newPassword) throw new UsageError('--new-password-stdin expects the new password on the second line of standard input');
  if (newPassword.length < 10) throw new UsageError("the new password is shorter than Jamf Pro's minimum of 10 characters");
  const dispatcher = deps.dispatcher ?? createJamfAgent();
  try {
    const report = await rotateAccountPassword(
      { baseUrl: url, dispatcher, privileged: privilegedFrom(flags, privilegedSecret), store, now: deps.now ?? (() => new Date()), registerSecret: () => undefined },
      { targetAccount: target, newPassword, ifOlderThanDays: ifOlder },
    );
    await heartbeatIfOwn(report, root, store, dispatcher, deps);
    if (report.status === 'rotated' && flags['password-file']) writeSecretFile(flags['password-file'], newPassword);
    output.out(render(report, Boolean(flags.json)));
    if (report.status === 'rotated' && flags.generate && flags['show-password']) output.out(`New password: ${newPassword}`);
    return exitFor(report);
  } finally {
    if (!deps.dispatcher) await dispatcher.close();
  }
}

export async function jamfClientCommand(args: readonly string[], output: Output, deps: FleetDependencies = {}): Promise<number> {
  const [sub, ...rest] = args;
  // Fleet rotation (docs/fleet-rotation.md): a Mac receives a secret; an admin rotates for the fleet.
  if (sub === 'save') return jamfClientSaveCommand(rest, output, deps);
  if (sub === 'rotate-secret' && rest.includes('--fleet')) return jamfClientFleetCommand(rest.filter((a) => a !== '--fleet'), output, deps);
  if (sub !== 'rotate-secret') throw new UsageError(`superd jamf-client takes the subcommand rotate-secret or save; got ${commandWord(sub)}`);
  const flags = parseFlags(rest, ['url', 'client-id', 'privileged-client', 'privileged-account', 'password-file', 'show-password', 'json']);
  if (!flags.url) throw new UsageError('--url=https://… (the Jamf Pro server) is required');
  const url = normaliseJamfUrl(flags.url, '--url');
  const clientId = flags['client-id'];
  if (!clientId) throw new UsageError('--client-id=ID is required');
  const root = superdRoot(deps.env);
  const store = new KeychainSecretStore({ run: deps.runCommand ?? createRunCommand(root), ...SUPERD_KEYCHAIN });
  const own = (await store.get('jamf_client')) === clientId;
  if (flags['password-file']) checkSecretFile(flags['password-file']);
  if (!own && !flags['show-password'] && !flags['password-file']) {
    throw new UsageError(`${clientId} is not superd's own saved API client, so the new secret must go somewhere: add --password-file=PATH (mode 0600) or --show-password`);
  }
  const lines = await stdinLines(deps.stdin ?? process.stdin);
  if (!lines[0]) throw new UsageError('the privileged secret is expected on the first line of standard input');
  const dispatcher = deps.dispatcher ?? createJamfAgent();
  try {
    const report = await rotateClientSecret(
      { baseUrl: url, dispatcher, privileged: privilegedFrom(flags, lines[0]), store, now: deps.now ?? (() => new Date()), registerSecret: () => undefined },
      { clientId },
    );
    await heartbeatIfOwn(report, root, store, dispatcher, deps);
    // The old secret stops working once a new one is issued, so the new one is kept even when
    // verification failed: written to the file asked for, never lost silently.
    if (report.newSecret && flags['password-file']) writeSecretFile(flags['password-file'], report.newSecret);
    output.out(render(report, Boolean(flags.json)));
    if (report.newSecret && report.status === 'rotated' && flags['show-password']) output.out(`New secret: ${report.newSecret}`);
    return exitFor(report);
  } finally {
    if (!deps.dispatcher) await dispatcher.close();
  }
}
