/**
 * A stopped or killed `superd run` leaves no `log stream` behind (real processes, from dist/,
 * which npm test builds first; a bare jest on a fresh clone skips these with a reason). The
 * fake `log stream` notes its pid in <root>/.fake/streams/ (test/sim/mac/runtime/cmd-log.js).
 *
 * The runs are dist/test/sim/mac/superdProcess.js: superd's own `run` in a process of its own
 * with the fake Mac's short commands inside it (one Node start instead of about twenty); the
 * `log stream` superd spawns itself stays a real child, as on a Mac. The daemon is
 * dist/daemon/cli/main.js, its worker that same superdProcess.js (SUPERD_DAEMON_WORKER), started
 * by the daemon in its own process group. (test/workflow/runKilled.test.ts keeps a run whose every
 * fake command is a process.)
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseLockRecord } from '../../daemon/host/lockFile';
import { hostPath, superdPaths } from '../../daemon/host/paths';
import { updateStatus } from '../../daemon/status/statusFile';
import { RUN_LOCK } from '../../daemon/schedule/runLock';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';
import { mdmIdleLines } from '../sim/mac';
import { until } from '../helpers/waitFor';

const MAIN = path.join(__dirname, '../../dist/daemon/cli/main.js');
/** superd's `run` in its own process, the fake Mac's commands inside it (see the header). */
const FAKES_INSIDE = path.join(__dirname, '../../dist/test/sim/mac/superdProcess.js');
const withBuild = existsSync(MAIN) && existsSync(FAKES_INSIDE) ? describe : describe.skip;

let w: RunWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** Running, and not a zombie waiting to be reaped (Linux /proc, where these tests run). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const streamPids = (root: string) => {
  const dir = path.join(root, '.fake', 'streams');
  return existsSync(dir) ? readdirSync(dir).map(Number).filter((p) => Number.isInteger(p) && p > 1) : [];
};

/** A real `superd run`, inside its run (plan created) with its `log stream` running. */
async function runWithStream() {
  w = await openRunWorld({ sim: { now: Date.now } as never });
  const rw = w;
  await rw.saveClient();
  const planned = new Promise<void>((resolve) => rw.sim.events.once('plan', () => resolve()));
  const child = spawn(process.execPath, [FAKES_INSIDE, 'run'], {
    env: { PATH: process.env.PATH, SUPERD_ROOT: rw.mac.root, NODE_EXTRA_CA_CERTS: rw.sim.caFile },
    stdio: 'ignore',
  });
  const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  await planned;
  await until(() => streamPids(rw.mac.root).some(running), () => 'the run to start its log stream');
  const streams = streamPids(rw.mac.root).filter(running);
  return { rw, child, ended, streams };
}

withBuild('children die with superd run (real processes)', () => {
  test.each(['SIGTERM', 'SIGINT'] as const)('%s: the run stops its log stream, frees the run lock, and ends by the signal', async (signal) => {
    const { rw, child, ended, streams } = await runWithStream();
    expect(streams.length).toBeGreaterThan(0);
    child.kill(signal);
    expect(await ended).toBe(signal);
    await until(() => !streams.some(running), () => `the log stream(s) ${streams.filter(running).join(', ')} to end`);
    expect(existsSync(hostPath(RUN_LOCK, rw.mac.root))).toBe(false);
  }, 180_000);

  test('kill -9: the run cannot stop it; the log stream ends at its next entry (its output pipe is closed)', async () => {
    // The documented limit (docs/decisions.md "Children die with superd"): nothing runs in a
    // process killed with SIGKILL. `log stream` then dies of the closed pipe when it next writes.
    const { rw, child, ended, streams } = await runWithStream();
    child.kill('SIGKILL');
    expect(await ended).toBe('SIGKILL');
    rw.mac.emitLog(mdmIdleLines()); // matches superd's predicate (ManagedClient, HTTPUtil)
    await until(() => !streams.some(running), () => `the log stream(s) ${streams.filter(running).join(', ')} to end after their next entry`);
  }, 180_000);

  test("kill -9 of a daemon's run worker: the daemon ends what the worker left in its process group (its log stream) at once", async () => {
    w = await openRunWorld({ sim: { now: Date.now } as never });
    const rw = w;
    await rw.saveClient();
    // A retry that is due now: the daemon's first tick starts a run worker.
    await updateStatus(rw.mac.root, { nextAttempt: new Date(Date.now() - 60_000).toISOString() });
    const planned = new Promise<void>((resolve) => rw.sim.events.once('plan', () => resolve()));
    // The longest tick: no second worker (whose log lines would end an orphaned stream by a closed pipe) while this test looks.
    const daemon = spawn(process.execPath, [MAIN, 'daemon', '--tick-seconds=60'], {
      env: { PATH: process.env.PATH, SUPERD_ROOT: rw.mac.root, NODE_EXTRA_CA_CERTS: rw.sim.caFile, SUPERD_DAEMON_WORKER: FAKES_INSIDE },
      stdio: 'ignore',
    });
    const daemonExit = new Promise<number | null>((resolve) => daemon.once('exit', (code) => resolve(code)));
    try {
      await planned;
      await until(() => streamPids(rw.mac.root).some(running), () => 'the worker to start its log stream');
      const streams = streamPids(rw.mac.root).filter(running);
      const worker = parseLockRecord(readFileSync(hostPath(RUN_LOCK, rw.mac.root), 'utf8'))!;
      expect(worker.holder).toBe('superd run (started by the daemon)');
      const unifiedLog = path.join(rw.mac.root, '.fake', 'unified.log');
      const sizeAtKill = existsSync(unifiedLog) ? statSync(unifiedLog).size : 0;
      process.kill(worker.pid, 'SIGKILL');
      await until(() => !streams.some(running), () => `the log stream(s) ${streams.filter(running).join(', ')} to end`);
      // Killed by the daemon, not ended of a write to a closed pipe: the fake `log stream` removes
      // its pid file when it ends itself (test/sim/mac/runtime/cmd-log.js, finish) and cannot when
      // killed with SIGKILL, as the daemon kills the worker's group. On a busy machine the coupled
      // Mac's late MDM lines (which the stream's predicate passes) can reach a stream before the
      // daemon does, and then either ending is right; the proof is asserted whenever none came.
      const since = existsSync(unifiedLog) ? readFileSync(unifiedLog).subarray(sizeAtKill).toString('utf8') : '';
      const streamDir = path.join(rw.mac.root, '.fake', 'streams');
      if (!/ManagedClient/.test(since)) expect(streams.filter((pid) => !existsSync(path.join(streamDir, String(pid))))).toEqual([]);
      // The daemon logs the worker's end after it has ended the worker's group, and on a busy
      // machine that line lands after the stream is gone: wait for it rather than read once.
      const daemonLog = (): string => readFileSync(hostPath(path.posix.join(superdPaths.logs, 'superd.log'), rw.mac.root), 'utf8');
      await until(() => /run worker exited -?\d+/.test(daemonLog()), () => `the daemon to log the worker's end; log: ${daemonLog()}`);
      expect(daemonLog()).toMatch(/run worker exited 137/);
    } finally {
      daemon.kill('SIGTERM');
      expect(await daemonExit).toBe(0);
    }
  }, 180_000);
});
