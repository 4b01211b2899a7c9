/**
 * A worker: `superd run` or `superd credentials heartbeat` in a new Node process, with the
 * daemon's Node options (so `--use-system-ca` carries over). Its output goes to superd's log,
 * line by line, so launchd's discarded output never hides a worker's error. Under a test root
 * (SUPERD_ROOT set), SUPERD_DAEMON_WORKER may name a script to run instead.
 */
import type * as ChildProcessModule from 'node:child_process';
import * as path from 'node:path';
import type * as ReadlineModule from 'node:readline';
import { ExitStatus } from '../exitStatus';
import { trackChild } from '../host/childGroups';
import type { DaemonLog } from '../log/daemonLog';
import type { WorkerHandle, WorkerKind } from './daemonScheduler';
import { STARTED_BY_DAEMON_ENV } from './handOff';
import { RUN_LOCK_WAIT_ENV } from './runLock';

const STOP_GRACE_MS = 10_000;
/** A worker line longer than this is cut: the log is for people. */
const MAX_LINE = 4000;

export function startWorker(kind: WorkerKind, input: { root: string; env: NodeJS.ProcessEnv; main: string; log: DaemonLog }): WorkerHandle {
  // Loaded when a worker starts, not while the daemon waits (they add about 3 MB of resident memory).
  const { spawn } = require('node:child_process') as typeof ChildProcessModule;
  const { createInterface } = require('node:readline') as typeof ReadlineModule;
  const { env, root } = input;
  const override = env.SUPERD_ROOT && env.SUPERD_DAEMON_WORKER ? env.SUPERD_DAEMON_WORKER : null;
  const args = override ? [override, kind] : [...process.execArgv, input.main, ...(kind === 'run' ? ['run'] : ['credentials', 'heartbeat'])];
  const childEnv: NodeJS.ProcessEnv = { PATH: env.PATH ?? '/usr/bin:/bin:/usr/sbin:/sbin', HOME: env.HOME ?? '/var/root', [STARTED_BY_DAEMON_ENV]: '1' };
  if (env.SUPERD_ROOT) childEnv.SUPERD_ROOT = root;
  if (env.NODE_EXTRA_CA_CERTS) childEnv.NODE_EXTRA_CA_CERTS = env.NODE_EXTRA_CA_CERTS;
  // Honoured only under a test root (daemon/schedule/runLock.ts).
  if (env.SUPERD_ROOT && env[RUN_LOCK_WAIT_ENV] !== undefined) childEnv[RUN_LOCK_WAIT_ENV] = env[RUN_LOCK_WAIT_ENV];
  // Its own process group: when the worker ends, however it ends (kill -9 too), whatever it left
  // in its group (its `log stream`) is killed with it. Listed so the daemon's exit ends it too.
  const child = spawn(process.execPath, args, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const forget = trackChild(child.pid, true);
  child.once('exit', () => {
    forget();
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Nothing left in its group.
    }
  });
  const category = `worker-${kind}`;
  const forward = (stream: NodeJS.ReadableStream | null, level: 'info' | 'warn') => {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      if (line.trim() !== '') input.log(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line, level, category);
    });
  };
  forward(child.stdout, 'info');
  forward(child.stderr, 'warn');
  const exit = new Promise<number>((resolve) => {
    child.once('close', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15)));
    child.once('error', () => resolve(ExitStatus.internal));
  });
  return {
    exit,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exit;
      clearTimeout(force);
    },
  };
}
