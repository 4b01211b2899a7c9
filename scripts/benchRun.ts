/**
 * macOS commands one run starts (issue 19), counted from the fake Mac's invocation log
 * (`.fake/invocations.jsonl`, every command superd ran). The steady state: a saved Jamf API
 * client, nothing to install (the Mac is on the version Apple and Jamf Pro offer), the second
 * run in the same world, so nothing is done for the first time. Budget ≤ 10 commands. A run
 * that pushes an update is counted beside it, for reference.
 */
import { KeychainSecretStore, SUPERD_KEYCHAIN } from '../daemon/auth/keychainSecretStore';
import type { Output } from '../daemon/cli/output';
import { createRunCommand } from '../daemon/host/runCommand';
import type { Invocation } from '../test/sim/mac';
import { budgetLine } from './benchBudget';
import { openPushWorld } from './pushWorld';

const COMMAND_BUDGET = 10;
const quiet: Output = { out: () => undefined, err: (t) => process.stderr.write(`${t}\n`) };

/** `security find-generic-password` (a keychain read) apart from every other command. */
function summary(commands: Invocation[]): string {
  const byName = new Map<string, number>();
  for (const c of commands) {
    const name = c.command === '/usr/bin/security' ? `security ${c.argv[0] ?? ''}` : `${c.command.split('/').pop()} ${c.argv[0] ?? ''}`.trim();
    byName.set(name, (byName.get(name) ?? 0) + 1);
  }
  return [...byName].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name)).join(', ');
}

async function commandsOfSecondRun(upToDate: boolean): Promise<{ commands: Invocation[]; status: number }> {
  const world = await openPushWorld();
  try {
    const store = new KeychainSecretStore({ run: createRunCommand(world.mac.root), ...SUPERD_KEYCHAIN });
    await store.set('jamf_client', world.fx.superdClient.clientId);
    await store.set('jamf_secret', world.fx.superdClient.clientSecret);
    if (upToDate) {
      world.mac.update({ macOS: { productVersion: '15.6', buildVersion: '24G84' }, availableUpdates: [] });
      world.sim.control.updateComputer(world.fx.computer.id, { osVersion: '15.6', osBuild: '24G84' });
    }
    await world.run([], quiet);
    const before = world.mac.invocations().length;
    const status = await world.run([], quiet);
    return { commands: world.mac.invocations().slice(before), status };
  } finally {
    await world.close();
  }
}

/** The first run of a push world: a saved client, 15.6 offered to a Mac on 15.5, pushed through Jamf Pro. */
async function commandsOfPush(): Promise<{ commands: Invocation[]; status: number }> {
  const world = await openPushWorld();
  try {
    const store = new KeychainSecretStore({ run: createRunCommand(world.mac.root), ...SUPERD_KEYCHAIN });
    await store.set('jamf_client', world.fx.superdClient.clientId);
    await store.set('jamf_secret', world.fx.superdClient.clientSecret);
    const before = world.mac.invocations().length;
    const status = await world.run([], quiet);
    return { commands: world.mac.invocations().slice(before), status };
  } finally {
    await world.close();
  }
}

export async function benchRun(): Promise<string[]> {
  const steady = await commandsOfSecondRun(true);
  const push = await commandsOfPush();
  if (steady.status !== 0 || push.status !== 0) throw new Error(`a counted run failed (exit ${steady.status} / ${push.status})`);
  const reads = (c: Invocation[]) => c.filter((i) => i.command === '/usr/bin/security' && i.argv[0] === 'find-generic-password').length;
  return [
    'macOS commands per run (fake Mac invocation log; saved Jamf API client):',
    budgetLine('steady state, up to date', steady.commands.length, COMMAND_BUDGET, `${reads(steady.commands)} keychain reads: ${summary(steady.commands)}`, ''),
    `  a run that pushes 15.6        ${String(push.commands.length).padStart(3)}  (for reference; ${reads(push.commands)} keychain reads): ${summary(push.commands)}`,
  ];
}
