/**
 * One run at a time, with real processes (from dist/, which npm test builds first; a bare jest
 * on a fresh clone skips these with a reason). The holder of the run lock is frozen with
 * SIGSTOP once it is inside its run (its plan was created), so the second run meets a lock
 * that is certainly held, however slow the machine: nothing here depends on timing.
 *
 * Every superd here is a real process; the lock lies between them. A run that must get inside
 * its run (a lock holder, a daemon's worker) is dist/test/sim/mac/superdProcess.js: superd's
 * own `run` with the fake Mac's commands inside that process, one Node start instead of about
 * twenty. The runs that meet the held lock and every daemon are dist/daemon/cli/main.js itself.
 * (test/workflow/runKilled.test.ts keeps a run whose every fake command is a process.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseLockRecord } from '../../daemon/host/lockFile';
import { hostPath, superdPaths } from '../../daemon/host/paths';
import { RUN_LOCK, RUN_LOCK_WAIT_ENV } from '../../daemon/schedule/runLock';
import { updateStatus } from '../../daemon/status/statusFile';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';
import { makeTempRoot } from '../helpers/tempRoot';
import { until, within } from '../helpers/waitFor';

const MAIN = path.join(__dirname, '../../dist/daemon/cli/main.js');
/** superd's `run` in its own process, the fake Mac's commands inside it (see the header). */
const FAKES_INSIDE = path.join(__dirname, '../../dist/test/sim/mac/superdProcess.js');
const withBuild = existsSync(MAIN) && existsSync(FAKES_INSIDE) ? describe : describe.skip;

let w: RunWorld | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGCONT');
      c.kill('SIGKILL');
    }
  }
  await w?.close();
  w = undefined;
});

interface Proc {
  readonly child: ChildProcess;
  readonly exit: Promise<number | null>;
  readonly signal: Promise<NodeJS.Signals | null>;
  stdout(): string;
  stderr(): string;
}

function superd(args: string[], env: NodeJS.ProcessEnv, stdin?: string, entry = MAIN): Proc {
  let out = '';
  let err = '';
  const child = spawn(process.execPath, [entry, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin!.end(stdin ?? '');
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('close', (code, signal) => resolve([code, signal])));
  return { child, exit: closed.then(([code]) => code), signal: closed.then(([, signal]) => signal), stdout: () => out, stderr: () => err };
}

/**
 * A world for real superd processes against the Jamf Pro simulator (real clock). What this
 * process does itself (saving the client, the run after) runs the fake commands in process.
 */
async function world(): Promise<RunWorld & { env: NodeJS.ProcessEnv; log(): string; snapshot(): { keychain: string; status: string; settings: string } }> {
  const opened = await openRunWorld({ sim: { now: Date.now } as never });
  w = opened;
  await opened.saveClient();
  const read = (p: string) => (existsSync(hostPath(p, opened.mac.root)) ? readFileSync(hostPath(p, opened.mac.root), 'utf8') : '');
  return Object.assign(opened, {
    // The second run gives up at once: the first is frozen, so waiting longer changes nothing.
    // A daemon's workers are superd's `run` with the fake commands inside (see the header).
    env: { SUPERD_ROOT: opened.mac.root, NODE_EXTRA_CA_CERTS: opened.sim.caFile, [RUN_LOCK_WAIT_ENV]: '0', SUPERD_DAEMON_WORKER: FAKES_INSIDE },
    /** superd's log file (the daemon's lines and its workers'), or '' before there is one. */
    log: () => read(path.posix.join(superdPaths.logs, 'superd.log')),
    snapshot: () => ({ keychain: JSON.stringify(opened.mac.keychain()), status: read(superdPaths.status), settings: read(superdPaths.savedSettings) }),
  });
}

const planCreated = (rw: RunWorld) => new Promise<void>((resolve) => rw.sim.events.once('plan', () => resolve()));
const runLockHolder = (rw: RunWorld) => parseLockRecord(readFileSync(hostPath(RUN_LOCK, rw.mac.root), 'utf8'));

withBuild('one run at a time (real processes)', () => {
  test('two `superd run`s: the first works; the second (--auth-delete-all) exits 69, names the first, and deletes nothing', async () => {
    const rw = await world();
    const planned = planCreated(rw);
    const first = superd(['run'], rw.env, undefined, FAKES_INSIDE);
    await within(planned, () => `the first run to create its plan; its stderr: ${first.stderr()}`);
    first.child.kill('SIGSTOP'); // inside its run, holding the lock
    expect(runLockHolder(rw)).toMatchObject({ pid: first.child.pid, holder: 'superd run' });
    const before = rw.snapshot();
    expect(JSON.parse(before.keychain)).toHaveLength(2);

    const second = superd(['run', '--auth-delete-all'], rw.env);
    expect(await within(second.exit, () => `the second run to meet the held lock; its stderr: ${second.stderr()}`)).toBe(69);
    expect(second.stderr()).toMatch(new RegExp(`another superd run since \\S+ is already running \\(pid ${first.child.pid}, lock .*run\\.lock\\).*changed nothing`));
    expect(second.stderr()).toMatch(/SUPERD_ERR_ALREADY_RUNNING/);
    expect(second.stdout()).toBe('');
    // Nothing deleted or rewritten: the keychain, the status and the saved settings are the first run's.
    expect(rw.snapshot()).toEqual(before);

    // The first goes on where it was; stopped (SIGTERM), it frees the lock on its way out.
    first.child.kill('SIGCONT');
    first.child.kill('SIGTERM');
    expect(await within(first.signal, () => `the first run to end on SIGTERM; its stderr: ${first.stderr()}`)).toBe('SIGTERM');
    expect(existsSync(hostPath(RUN_LOCK, rw.mac.root))).toBe(false);
    // Its work was not spoiled: the next run (in this process, on the simulator's clock) follows its plan to the end.
    const next = await rw.run();
    expect(next.stdout).toMatch(/this Mac acted on it/);
    expect(next.status).toBe(0);
    expect(rw.mac.keychain()).toHaveLength(2);
    expect(rw.sim.control.plans()).toHaveLength(1);
  }, 180_000);

  test("a daemon worker beside a manual run: the worker exits 69 and the daemon's log says why; nothing changes", async () => {
    const rw = await world();
    const planned = planCreated(rw);
    const manual = superd(['run'], rw.env, undefined, FAKES_INSIDE);
    await within(planned, () => `the manual run to create its plan; its stderr: ${manual.stderr()}`);
    manual.child.kill('SIGSTOP');
    const before = rw.snapshot();
    // The manual run's status says it is inside a run: the daemon resumes it at once (a worker).
    const daemon = superd(['daemon', '--tick-seconds=1'], rw.env);
    await until(() => /run worker exited \d+/.test(rw.log()), () => `the daemon worker to end; daemon stderr: ${daemon.stderr()}; log: ${rw.log()}`);
    expect(rw.log()).toMatch(/run worker exited 69/);
    expect(rw.log()).toMatch(new RegExp(`another superd run since \\S+ is already running \\(pid ${manual.child.pid}`));
    expect(rw.snapshot()).toEqual(before);

    manual.child.kill('SIGCONT');
    manual.child.kill('SIGTERM');
    expect(await within(manual.signal, () => `the manual run to end on SIGTERM; its stderr: ${manual.stderr()}`)).toBe('SIGTERM');
    daemon.child.kill('SIGTERM');
    expect(await within(daemon.exit, () => `the daemon to end; its stderr: ${daemon.stderr()}; superd.log: ${rw.log()}`)).toBe(0);
    expect(rw.sim.control.plans()).toHaveLength(1);
    expect(existsSync(hostPath(RUN_LOCK, rw.mac.root))).toBe(false);
  }, 180_000);

  test('a manual run beside a daemon worker: the manual run exits 69 naming the worker; stopping the daemon stops the worker and frees the lock', async () => {
    const rw = await world();
    // A retry that is due now: the daemon's first tick starts a run worker.
    await updateStatus(rw.mac.root, { nextAttempt: new Date(Date.now() - 60_000).toISOString() });
    const planned = planCreated(rw);
    const daemon = superd(['daemon', '--tick-seconds=1'], rw.env);
    const context = () => `daemon stderr: ${daemon.stderr()}; superd.log: ${rw.log()}`;
    await within(planned, () => `the daemon's worker to create its plan; ${context()}`);
    const worker = runLockHolder(rw)!;
    expect(worker.holder).toBe('superd run (started by the daemon)');
    process.kill(worker.pid, 'SIGSTOP');
    try {
      const manual = superd(['run'], rw.env);
      expect(await within(manual.exit, () => `the manual run to meet the held lock; its stderr: ${manual.stderr()}; ${context()}`)).toBe(69);
      expect(manual.stderr()).toMatch(new RegExp(`another superd run \\(started by the daemon\\) since \\S+ is already running \\(pid ${worker.pid}`));
    } finally {
      process.kill(worker.pid, 'SIGCONT');
    }
    // Stopping the daemon stops its worker, which frees the lock.
    daemon.child.kill('SIGTERM');
    expect(await within(daemon.exit, () => `the daemon to stop its worker and end; ${context()}`)).toBe(0);
    expect(rw.sim.control.plans()).toHaveLength(1);
    expect(existsSync(hostPath(RUN_LOCK, rw.mac.root))).toBe(false);
  }, 180_000);
});

withBuild('one daemon at a time (real processes)', () => {
  test('two daemons started together over a stale lock: one runs, the other exits 69 naming it (several rounds)', async () => {
    // Four rounds, each its own root and its own pair of daemons, side by side: they share nothing,
    // and the loser of each waits out the lock's wait (INSTANCE_LOCK_WAIT_MS) at the same time.
    const round = async (): Promise<void> => {
      const { root, cleanup } = await makeTempRoot();
      try {
        const worker = path.join(root, 'worker.js');
        writeFileSync(worker, 'process.exit(0);\n');
        const env = { SUPERD_ROOT: root, SUPERD_DAEMON_WORKER: worker };
        const lock = hostPath(superdPaths.lock, root);
        // A lock left by a daemon that was killed: a pid that no longer exists.
        const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
        await new Promise((r) => dead.once('exit', r));
        mkdirSync(path.dirname(lock), { recursive: true });
        writeFileSync(lock, `${JSON.stringify({ pid: dead.pid, start: '1', nonce: 'old', holder: 'superd daemon', since: '' })}\n`);

        const pair = [superd(['daemon'], env), superd(['daemon'], env)];
        const firstExit = await Promise.race(pair.map((d, i) => d.exit.then((code) => ({ i, code }))));
        const loser = pair[firstExit.i]!;
        const winner = pair[1 - firstExit.i]!;
        expect(firstExit.code).toBe(69);
        expect(loser.stderr()).toMatch(new RegExp(`superd daemon is already running \\(pid ${winner.child.pid}`));
        expect(parseLockRecord(readFileSync(lock, 'utf8'))).toMatchObject({ pid: winner.child.pid, holder: 'superd daemon' });
        winner.child.kill('SIGTERM');
        expect(await winner.exit).toBe(0);
        expect(existsSync(lock)).toBe(false);
      } finally {
        await cleanup();
      }
    };
    await Promise.all([round(), round(), round(), round()]);
  }, 180_000);
});
