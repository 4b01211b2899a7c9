/**
 * The waiting daemon's cost (issues 7 and 19): resident memory after 10 s idle beside an idle
 * bare Node started at the same moment (budget ≤ 1.25×), and CPU time over 60 s idle, under a
 * fake Mac with nothing due and a status file superd wrote (the daemon reads it every tick).
 * Linux /proc figures; medians of BENCH_DAEMON_RUNS pairs (default 3).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { writePlistAtomically } from '../daemon/config/writePlist';
import { hostPath, superdPaths } from '../daemon/host/paths';
import { updateStatus } from '../daemon/status/statusFile';
import { createFakeMac, type FakeMac } from '../test/sim/mac';
import { budgetLine, median } from './benchBudget';

const RSS_BUDGET = 1.25;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A /proc/<pid>/status field in MB: VmRSS (all resident pages), RssAnon (private memory), RssFile (mapped files, mostly Node's own binary). */
function statusMb(pid: number, field: 'VmRSS' | 'RssAnon' | 'RssFile'): number {
  const kb = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}
const rssMb = (pid: number) => statusMb(pid, 'VmRSS');

/** utime + stime of a process, in ms (clock ticks of 10 ms on Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A fake Mac where superd has run before: Jamf API client saved, heartbeat fresh, next attempt hours away. */
async function steadyMac(savedSettings: boolean): Promise<FakeMac> {
  const mac = await createFakeMac({ users: [{ name: 'jdoe', password: 'x-password', admin: true, secureToken: true }] });
  await updateStatus(mac.root, {
    state: 'done', stateText: 'macOS is up to date', authMethod: 'jamf-client', computerId: '12',
    heartbeat: { status: 'OK', checkedAt: new Date().toISOString() },
    nextAttempt: new Date(Date.now() + 4 * 3600_000).toISOString(),
  });
  // The settings a run saves when it was given options (superd's own XML plist): the daemon reads them at start.
  if (savedSettings) await writePlistAtomically(hostPath(superdPaths.savedSettings, mac.root), { DeferralTimerDefault: 120 });
  return mac;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

export async function benchDaemon(): Promise<string[]> {
  const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
  const pairs = Number(process.env.BENCH_DAEMON_RUNS ?? 3);
  const main = path.resolve(__dirname, '../daemon/cli/main.js');
  const macs: FakeMac[] = [];
  const withSettings: FakeMac[] = [];
  const children: ChildProcess[] = [];
  const startDaemon = (mac: FakeMac) => spawn(process.execPath, [main, 'daemon'], { env: { PATH: process.env.PATH, SUPERD_ROOT: mac.root }, stdio: 'ignore' });
  try {
    for (let i = 0; i < pairs; i++) macs.push(await steadyMac(false));
    for (let i = 0; i < pairs; i++) withSettings.push(await steadyMac(true));
    const daemons = macs.map(startDaemon);
    const settingsDaemons = withSettings.map(startDaemon);
    children.push(...settingsDaemons);
    // The same Node, idle on a timer like the daemon: what any Node process costs here.
    const bares = macs.map(() => spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)'], { stdio: 'ignore' }));
    children.push(...daemons, ...bares);
    await sleep(10_000);
    const daemonRss = median(daemons.map((c) => rssMb(c.pid!)));
    const bareRss = median(bares.map((c) => rssMb(c.pid!)));
    const settingsRss = median(settingsDaemons.map((c) => rssMb(c.pid!)));
    // Where the difference lies: private memory (heap, buffers) or pages of the Node binary that
    // more code paths touched (clean, shared with any other process of that binary, reclaimable).
    const anon = (list: ChildProcess[]) => median(list.map((c) => statusMb(c.pid!, 'RssAnon')));
    const file = (list: ChildProcess[]) => median(list.map((c) => statusMb(c.pid!, 'RssFile')));
    const split = `private ${anon(daemons).toFixed(1)} MB vs ${anon(bares).toFixed(1)} MB, Node binary and other files ${file(daemons).toFixed(1)} MB vs ${file(bares).toFixed(1)} MB`;
    for (const c of [...bares, ...settingsDaemons]) await stop(c);
    for (const c of daemons.slice(1)) await stop(c);
    const first = daemons[0]!;
    const cpuStart = cpuMs(first.pid!);
    await sleep(idleSeconds * 1000);
    const cpuPerMinute = ((cpuMs(first.pid!) - cpuStart) / idleSeconds) * 60;
    return [
      `Idle daemon (superd daemon under a fake Mac, nothing due, status file present), Node ${process.version}, median of ${pairs}:`,
      budgetLine('resident memory, 10 s idle', daemonRss / bareRss, RSS_BUDGET, `${daemonRss.toFixed(1)} MB vs idle bare Node ${bareRss.toFixed(1)} MB`),
      `    (${split})`,
      budgetLine('  …with saved settings', settingsRss / bareRss, RSS_BUDGET, `${settingsRss.toFixed(1)} MB: reading a settings plist at start loads the plist library (not yet lean)`),
      `  CPU time per idle minute   ${cpuPerMinute.toFixed(0).padStart(6)} ms   (over ${idleSeconds} s; target < 100 ms)`,
    ];
  } finally {
    for (const c of children) await stop(c);
    for (const mac of [...macs, ...withSettings]) await mac.cleanup();
  }
}
