/**
 * `superd daemon` as a real process (from dist/, which npm test builds first): single instance,
 * SIGTERM, a retry at its time with a real short timer, and a profile change picked up. The
 * workers are a tiny script (SUPERD_DAEMON_WORKER, honoured only under a SUPERD_ROOT). Each test
 * has its own root and daemons, so the four run concurrently.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { updateStatus } from '../../daemon/status/statusFile';
import { makeTempRoot } from '../helpers/tempRoot';
import { until } from '../helpers/waitFor';

const DIST = path.join(__dirname, '../../dist/daemon');
const MAIN = path.join(DIST, 'cli/main.js');
const withBuild = existsSync(MAIN) ? describe : describe.skip;

/** One test's own root and daemons: the tests run concurrently (each mostly waits on real timers). */
async function openRoot() {
  const { root, cleanup } = await makeTempRoot();
  const children: ChildProcess[] = [];
  const marker = path.join(root, 'worker-runs.txt');
  const logPath = path.join(root, 'Library/Management/superd/logs/superd.log');

  function startDaemon(): { child: ChildProcess; exit: Promise<number | null>; stderr: () => string } {
    const worker = path.join(root, 'worker.js');
    writeFileSync(worker, [
      "const fs = require('node:fs');",
      `const { updateStatus } = require(${JSON.stringify(path.join(DIST, 'status/statusFile.js'))});`,
      'const kind = process.argv[2];',
      `fs.appendFileSync(${JSON.stringify(marker)}, kind + ' ' + Date.now() + ' ' + process.env.SUPERD_STARTED_BY_DAEMON + '\\n');`,
      // A real run clears the next attempt when it is done.
      "updateStatus(process.env.SUPERD_ROOT, { nextAttempt: null, state: 'done' }).then(() => process.exit(0));",
    ].join('\n'));
    let err = '';
    const child = spawn(process.execPath, [MAIN, 'daemon', '--tick-seconds=1'], {
      env: { PATH: process.env.PATH, SUPERD_ROOT: root, SUPERD_DAEMON_WORKER: worker },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    children.push(child);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exit, stderr: () => err };
  }

  return {
    root,
    startDaemon,
    lockFile: path.join(root, 'Library/Management/superd/superd.lock'),
    logPath,
    /** The workers' finished lines (a line still being written, or an empty new file, does not count). */
    runs: () => (existsSync(marker) ? readFileSync(marker, 'utf8').split('\n').slice(0, -1) : []),
    daemonLog: () => readFileSync(logPath, 'utf8'),
    async close() {
      for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await cleanup();
    },
  };
}
type Root = Awaited<ReturnType<typeof openRoot>>;

/** Runs `body` with a root of its own, closed (daemons killed, files removed) whatever happens. */
async function withRoot(body: (r: Root) => Promise<void>): Promise<void> {
  const r = await openRoot();
  try {
    await body(r);
  } finally {
    await r.close();
  }
}

withBuild('superd daemon (real process)', () => {
  test.concurrent('a second instance is refused with a clear message and status 69; SIGTERM exits 0 and frees the lock', () => withRoot(async ({ startDaemon, lockFile, daemonLog }) => {
    const first = startDaemon();
    await until(() => existsSync(lockFile), 'the lock');
    const second = startDaemon();
    expect(await second.exit).toBe(69);
    expect(second.stderr()).toMatch(/already running \(pid \d+/);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
    expect(daemonLog()).toMatch(/\[daemon\] stopped/);
  }), 120_000);

  test.concurrent('SIGTERM the moment the lock is taken (still starting up): exit 0 and the lock is freed', () => withRoot(async ({ startDaemon, lockFile }) => {
    const d = startDaemon();
    await until(() => existsSync(lockFile), 'the lock');
    d.child.kill('SIGTERM');
    expect(await d.exit).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
  }), 120_000);

  test.concurrent('a retry persisted in the status plist runs at its time after a restart (real short timer)', () => withRoot(async ({ root, startDaemon, runs }) => {
    const due = Date.now() + 2_500;
    await updateStatus(root, { state: 'deferred', nextAttempt: new Date(due).toISOString(), authMethod: null });
    const d = startDaemon();
    await until(() => runs().length > 0, 'the retry');
    const [kind, at, byDaemon] = runs()[0]!.split(' ');
    expect(kind).toBe('run');
    expect(byDaemon).toBe('1');
    // Plist dates have whole seconds; the tick is 1 s.
    expect(Number(at)).toBeGreaterThanOrEqual(Math.floor(due / 1000) * 1000);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(runs()).toHaveLength(1); // once: the run cleared its retry
    d.child.kill('SIGTERM');
    expect(await d.exit).toBe(0);
  }), 120_000);

  test.concurrent('a changed managed-preferences file is picked up: a run starts without a restart', () => withRoot(async ({ root, startDaemon, runs, daemonLog, logPath }) => {
    const managed = path.join(root, 'Library/Managed Preferences');
    mkdirSync(managed, { recursive: true });
    const d = startDaemon();
    // "started" is logged once the profile folder is watched.
    await until(() => existsSync(logPath) && /\[daemon\] started/.test(daemonLog()), 'the daemon to start');
    writeFileSync(path.join(managed, 'com.github.superd.plist'), '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>DeferralTimerDefault</key><integer>30</integer></dict></plist>\n');
    await until(() => runs().length > 0, 'the run after the profile change');
    expect(daemonLog()).toMatch(/run requested: managed preferences changed/);
    d.child.kill('SIGTERM');
    expect(await d.exit).toBe(0);
  }), 120_000);
});
