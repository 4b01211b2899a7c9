/**
 * The waiting daemon's cost (issue 7): resident memory after 10 s idle and CPU time over 60 s
 * idle, under a fake Mac with nothing due. Linux /proc figures; targets < 60 MB, < 100 ms/min.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createFakeMac } from '../test/sim/mac';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

/** utime + stime of a process, in ms (clock ticks of 10 ms on Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export async function benchDaemon(): Promise<string[]> {
  const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
  const mac = await createFakeMac({ users: [{ name: 'jdoe', password: 'x-password', admin: true, secureToken: true }] });
  const main = path.resolve(__dirname, '../daemon/cli/main.js');
  const child = spawn(process.execPath, [main, 'daemon'], { env: { PATH: process.env.PATH, SUPERD_ROOT: mac.root }, stdio: 'ignore' });
  try {
    await sleep(10_000);
    const rss = rssMb(child.pid!);
    const cpuStart = cpuMs(child.pid!);
    await sleep(idleSeconds * 1000);
    const cpuPerMinute = ((cpuMs(child.pid!) - cpuStart) / idleSeconds) * 60;
    return [
      `Idle daemon (superd daemon under a fake Mac, nothing due), Node ${process.version}:`,
      `  resident memory after 10 s idle   ${rss.toFixed(1).padStart(6)} MB   (target < 60 MB; bare Node ≈ 41 MB here)`,
      `  CPU time per idle minute          ${cpuPerMinute.toFixed(0).padStart(6)} ms   (over ${idleSeconds} s; target < 100 ms)`,
    ];
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await mac.cleanup();
  }
}
