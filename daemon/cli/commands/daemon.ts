/**
 * `superd daemon`: the long-running mode launchd starts. It stays small while it waits: it
 * loads no workflow, HTTP or logging library; each run and each heartbeat is a worker process
 * (`superd run`, `superd credentials heartbeat`) so a run's memory and failures stay out of it.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, watch, type FSWatcher } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { hostPath, superdPaths, superdRoot } from '../../host/paths';
import { acquireInstanceLock } from '../../schedule/instanceLock';
import { ExitStatus, exitStatusFor } from '../../exitStatus';
import { DaemonScheduler, type WorkerHandle, type WorkerKind } from '../../schedule/daemonScheduler';
import { nextHeartbeatDue, stableFraction } from '../../schedule/heartbeatDue';
import { STARTED_BY_DAEMON_ENV } from '../../schedule/handOff';
import type { Output } from '../output';
// Loaded when first needed, so the idle daemon holds as little as possible.
import type * as StatusFile from '../../status/statusFile';
import type * as LoadSettings from '../../config/loadSettings';
import { AlreadyRunningError, UsageError } from '../../errors';

/** The wall clock is compared with the absolute times at most this often. */
const DEFAULT_TICK_SECONDS = 60;
const STOP_GRACE_MS = 10_000;
const RELOAD_DEBOUNCE_MS = 2_000;
const UPDATE_CHECK_HOURS = 4;
const UPDATE_CHECK_SPREAD_MS = 20 * 60_000;

export interface DaemonOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Resolves when the daemon should stop (tests); default: SIGTERM or SIGINT. */
  readonly stopSignal?: Promise<void>;
}

export async function daemonCommand(args: readonly string[], output: Output, options: DaemonOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const tickSeconds = parseTick(args);
  const root = superdRoot(env);
  const folder = hostPath(superdPaths.folder, root);
  const logFile = path.join(folder, 'logs', 'superd.log');
  const log = (message: string) => {
    try {
      mkdirSync(path.dirname(logFile), { recursive: true });
      appendFileSync(logFile, `${new Date().toISOString()} info [daemon] ${message}\n`);
    } catch {
      // The log is best effort; the daemon keeps working without it.
    }
  };

  let lock: { release(): void };
  try {
    lock = acquireInstanceLock(hostPath(superdPaths.lock, root));
  } catch (error) {
    if (error instanceof AlreadyRunningError) {
      output.err(`superd: ${error.message}`);
      return exitStatusFor(error);
    }
    throw error;
  }
  // Listened for at once: a SIGTERM while starting up still stops cleanly and frees the lock.
  const stopRequested = options.stopSignal ?? new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });

  const settings = await readDaemonSettings(root);
  let intervalHours = settings.heartbeatHours;
  const seed = hostname();
  // Recurring update checks: every few hours from the last run, the first one a per-Mac number
  // of minutes after start, so a fleet that boots together does not call Apple and Jamf Pro at once.
  let updateCheckDue = new Date(Date.now() + Math.floor(stableFraction(`${seed}:update-check`) * UPDATE_CHECK_SPREAD_MS));
  const scheduler = new DaemonScheduler({
    now: () => new Date(),
    readSchedule: async () => {
      const { readStatus } = require('../../status/statusFile') as typeof StatusFile;
      const s = await readStatus(root);
      const jamf = s.authMethod === 'jamf-client' || s.authMethod === 'jamf-account';
      const paused = s.heartbeatPausedFor !== null;
      return {
        nextAttempt: s.nextAttempt ? new Date(s.nextAttempt) : null,
        updateCheckDue,
        interrupted: s.state === 'running' && s.machineSnapshot !== null,
        heartbeatDue: jamf && !paused ? nextHeartbeatDue({ lastCheckedAt: s.heartbeat?.checkedAt ?? null, intervalHours, jitterSeed: seed, now: new Date() }) : null,
      };
    },
    startWorker: (kind) => startWorker(kind, root, env),
    log,
    onRunStarted: (at) => {
      updateCheckDue = new Date(at.getTime() + UPDATE_CHECK_HOURS * 3600_000);
    },
  });

  // A changed profile (or SIGHUP) is picked up without a restart.
  let reloadTimer: NodeJS.Timeout | undefined;
  const reload = (why: string) => {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => {
      void readDaemonSettings(root).then((s) => {
        intervalHours = s.heartbeatHours;
        scheduler.requestRun(why);
      });
    }, RELOAD_DEBOUNCE_MS);
  };
  const managedFolder = path.dirname(hostPath(superdPaths.managedPreferences, root));
  let watcher: FSWatcher | undefined;
  if (existsSync(managedFolder)) {
    watcher = watch(managedFolder, (_event, name) => {
      if (name === null || String(name).startsWith('com.github.superd')) reload('managed preferences changed');
    });
  } else {
    log(`${managedFolder} does not exist; profile changes are picked up at the next run`);
  }
  const onHup = () => reload('SIGHUP');
  process.on('SIGHUP', onHup);
  // Logged once everything is listening (the profile watcher, SIGHUP): from here on nothing is missed.
  log(`started (pid ${process.pid}, tick ${tickSeconds} s)`);
  const tick = () => void scheduler.tick().catch((e: unknown) => log(`tick failed: ${e instanceof Error ? e.message : String(e)}`));
  const timer = setInterval(tick, tickSeconds * 1000);
  tick();

  await stopRequested;

  log('stopping');
  clearInterval(timer);
  clearTimeout(reloadTimer);
  watcher?.close();
  process.off('SIGHUP', onHup);
  await scheduler.stop();
  lock.release();
  log('stopped');
  return 0;
}

function parseTick(args: readonly string[]): number {
  let tick = DEFAULT_TICK_SECONDS;
  for (const arg of args) {
    const m = /^--tick-seconds=(\d+)$/.exec(arg);
    if (m && Number(m[1]) >= 1 && Number(m[1]) <= 60) tick = Number(m[1]);
    else throw new UsageError(`superd daemon takes only --tick-seconds=N (1–60); got ${JSON.stringify(arg.split('=')[0])}`);
  }
  return tick;
}

/** The few settings the daemon itself needs, read through the same validation as a run. */
async function readDaemonSettings(root: string): Promise<{ heartbeatHours: number }> {
  try {
    const { loadSettings } = require('../../config/loadSettings') as typeof LoadSettings;
    const loaded = await loadSettings([], root);
    return { heartbeatHours: loaded.settings.CredentialHeartbeatInterval };
  } catch {
    return { heartbeatHours: 4 };
  }
}

/**
 * A worker: `superd run` or `superd credentials heartbeat` in a new Node process, with this
 * process's Node options (so `--use-system-ca` carries over). Under a test root
 * (SUPERD_ROOT set), SUPERD_DAEMON_WORKER may name a script to run instead.
 */
function startWorker(kind: WorkerKind, root: string, env: NodeJS.ProcessEnv): WorkerHandle {
  const main = path.resolve(__dirname, '..', 'main.js');
  const override = env.SUPERD_ROOT && env.SUPERD_DAEMON_WORKER ? env.SUPERD_DAEMON_WORKER : null;
  const args = override ? [override, kind] : [...process.execArgv, main, ...(kind === 'run' ? ['run'] : ['credentials', 'heartbeat'])];
  const childEnv: NodeJS.ProcessEnv = { PATH: env.PATH ?? '/usr/bin:/bin:/usr/sbin:/sbin', HOME: env.HOME ?? '/var/root', [STARTED_BY_DAEMON_ENV]: '1' };
  if (env.SUPERD_ROOT) childEnv.SUPERD_ROOT = root;
  if (env.NODE_EXTRA_CA_CERTS) childEnv.NODE_EXTRA_CA_CERTS = env.NODE_EXTRA_CA_CERTS;
  const child = spawn(process.execPath, args, { env: childEnv, stdio: 'ignore' });
  const exit = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15)));
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
