/**
 * `npm run demo`: superd's main job on this machine. It starts the Jamf Pro simulator and a
 * fake Apple silicon Mac (coupled, so what Jamf Pro does to the device shows up in the Mac's
 * unified log), saves an API client credential the way a Jamf Pro policy would, and runs the
 * whole workflow: each step with its timing, the Jamf Pro requests made, and the verified result.
 * Time inside the run is the simulator's clock, so Jamf Pro's minutes of plan progress pass at once.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { statusCommand } from '../daemon/cli/commands/status';
import type { Output } from '../daemon/cli/output';
import { openPushWorld } from './pushWorld';

const started = process.hrtime.bigint();
const elapsed = () => `${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0).padStart(5)} ms`;
const step = (text: string) => console.log(`[${elapsed()}] ${text}`);
const indent: Output = {
  out: (t) => console.log(t.replace(/^/gm, '           | ')),
  err: (t) => console.log(t.replace(/^/gm, '           ! ')),
};

async function demo(): Promise<number> {
  step('Starting the Jamf Pro simulator (11.30.0, HTTPS on 127.0.0.1) with an API role and client for superd,');
  step('and a fake Apple silicon Mac (macOS 15.5, macOS 15.6 offered) under a temporary SUPERD_ROOT');
  const world = await openPushWorld();
  const { sim, fx, mac, computer } = world;
  step(`Jamf Pro at ${sim.url}; computer ${computer.id} "${computer.name}" (UDID ${computer.udid}); SUPERD_ROOT=${mac.root}`);
  let printed = 0;
  const printRequests = () => {
    for (const r of sim.requests.slice(printed)) console.log(`           > ${r.method} ${r.path} → ${r.status}`);
    printed = sim.requests.length;
  };
  sim.events.on('plan', (e: { planId: string; state: string }) => step(`Jamf Pro plan ${e.planId.slice(0, 8)}… is now ${e.state}`));

  try {
    step('superd run, as a Jamf Pro policy calls it: "/" "Mac-042" "jdoe", then one option per parameter; the secret on standard input');
    const status = await world.run(['/', 'Mac-042', 'jdoe', `--auth-jamf-client=${fx.superdClient.clientId}`, '--auth-jamf-secret=-', '--deferral-timer-error=30', '--mdm-workflow=auto', ''], indent);
    step(`superd run exited ${status}. Its steps, from logs/superd.log (waits for Jamf Pro are skipped, not slept):`);
    const log = await readFile(path.join(mac.root, 'Library/Management/superd/logs/superd.log'), 'utf8');
    for (const line of log.split('\n').filter((l) => l.includes('[lifecycle]'))) console.log(`           | ${line}`);
    step(`Jamf Pro saw ${sim.requests.length} requests:`);
    printRequests();

    step('superd status --json');
    await statusCommand(['--json'], indent);

    const commands = mac.invocations().map((i) => `${i.command} ${i.argv.join(' ')}`);
    step(`macOS commands superd ran (${commands.length}); none carries a secret:`);
    for (const c of commands) console.log(`           | ${c}`);
    step(status === 0 ? 'Done: the update was pushed and verified.' : `Done with exit status ${status}.`);
    return status;
  } finally {
    await world.close();
  }
}

demo().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 70;
  },
);
