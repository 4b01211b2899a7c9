/**
 * `npm run bench`: measurements, never pass/fail timings inside tests.
 * Cold start: `superd --version` and `superd status --json` beside a bare `node -e 0`,
 * median of repeated runs on this machine (target: within 3× of bare Node); the Jamf Pro cost
 * of one push (benchPush.ts); the idle daemon's memory and CPU (benchDaemon.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { benchDaemon } from './benchDaemon';
import { benchPush } from './benchPush';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const cli = path.resolve(__dirname, '../daemon/cli/main.js');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function timeCommand(args: string[], env: NodeJS.ProcessEnv): number {
  // One untimed run fills Node's compile cache, as on a Mac after the first launch.
  spawnSync(process.execPath, args, { env, stdio: 'ignore' });
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { env, stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
    samples.push(ms);
  }
  return median(samples);
}

function coldStart(): void {
  const root = mkdtempSync(path.join(tmpdir(), 'superd-bench-'));
  try {
    const env = { ...process.env, SUPERD_ROOT: root };
    const bare = timeCommand(['-e', '0'], env);
    const rows: Array<[string, number]> = [
      ['node -e 0', bare],
      ['superd --version', timeCommand([cli, '--version'], env)],
      ['superd status --json', timeCommand([cli, 'status', '--json'], env)],
    ];
    console.log(`Cold start (median of ${RUNS} runs, Node ${process.version}, target ≤ 3.0× bare Node):`);
    for (const [name, ms] of rows) {
      console.log(`  ${name.padEnd(24)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / bare).toFixed(2)}×`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function benchAll(): Promise<void> {
  coldStart();
  for (const line of await benchPush()) console.log(line);
  for (const line of await benchDaemon()) console.log(line);
}

benchAll().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
