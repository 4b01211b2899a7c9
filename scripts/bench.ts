/**
 * `npm run bench`: measurements, never pass/fail timings inside tests.
 * Cold start: `superd --version` and `superd status --json` (with a status file superd wrote)
 * beside a bare `node -e 0`, median of repeated runs in this same run (budget: status ≤ 1.5× bare
 * Node); the Jamf Pro requests of a heartbeat and of a verified push beside issue 18's budgets
 * (benchPush.ts); the macOS commands of a steady-state run
 * (benchRun.ts); the idle daemon's memory and CPU beside an idle bare Node (benchDaemon.ts).
 * Each budget line says PASS or OVER; the load average is printed because the machine is shared.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { updateStatus } from '../daemon/status/statusFile';
import { benchDaemon } from './benchDaemon';
import { benchPush } from './benchPush';
import { benchRun } from './benchRun';
import { budgetLine, median } from './benchBudget';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const cli = path.resolve(__dirname, '../daemon/cli/main.js');

/** Budgets (issue 19): `superd status --json` within 1.5× a bare `node -e 0`; `--version` within 3×. */
const STATUS_BUDGET = 1.5;
const VERSION_BUDGET = 3.0;

/**
 * Median wall time of each command, the commands taking turns (bare, superd, bare, superd…) so
 * that a busy moment of this shared machine falls on all of them alike.
 */
function timeCommands(commands: ReadonlyArray<readonly string[]>, env: NodeJS.ProcessEnv): number[] {
  // One untimed run each fills Node's compile cache, as on a Mac after the first launch.
  for (const args of commands) spawnSync(process.execPath, args, { env, stdio: 'ignore' });
  const samples: number[][] = commands.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    commands.forEach((args, n) => {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, args, { env, stdio: 'ignore' });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
      samples[n]!.push(ms);
    });
  }
  return samples.map(median);
}

async function coldStart(): Promise<string[]> {
  const root = mkdtempSync(path.join(tmpdir(), 'superd-bench-'));
  try {
    // A status file as a Mac has it after a few runs, written by superd's own writer.
    await updateStatus(root, {
      state: 'done', stateText: 'macOS is up to date', authMethod: 'jamf-client', computerId: '12',
      heartbeat: { status: 'OK', checkedAt: new Date().toISOString() }, targetVersion: '15.6',
      targetFirstSeen: { version: '15.6', at: new Date(Date.now() - 86_400_000).toISOString() },
      lastError: null, nextAttempt: new Date(Date.now() + 4 * 3600_000).toISOString(),
    });
    const env = { ...process.env, SUPERD_ROOT: root };
    const [bare = 0, version = 0, status = 0] = timeCommands([['-e', '0'], [cli, '--version'], [cli, 'status', '--json']], env);
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    return [
      `Cold start (median of ${RUNS} runs each, Node ${process.version}; a status file superd wrote is present):`,
      `  node -e 0 (bare Node)      ${ms(bare).padStart(9)}`,
      budgetLine('superd --version', version / bare, VERSION_BUDGET, `${ms(version)} vs bare ${ms(bare)}`),
      budgetLine('superd status --json', status / bare, STATUS_BUDGET, `${ms(status)} vs bare ${ms(bare)}`),
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function benchAll(): Promise<void> {
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`Load average at start: ${load()} (2 cores shared; figures are medians)`);
  for (const line of await coldStart()) console.log(line);
  for (const line of await benchRun()) console.log(line);
  for (const line of await benchPush()) console.log(line);
  for (const line of await benchDaemon()) console.log(line);
  console.log(`Load average at end: ${load()}`);
}

benchAll().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
