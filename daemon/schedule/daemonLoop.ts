/**
 * `superd daemon`'s life: the single-instance lock, a tick that compares the wall clock with
 * the absolute times in the status plist, one worker process at a time, and the profile
 * watcher. It stays small while it waits: no workflow, HTTP or logging library is loaded here.
 */
import { hostname } from 'node:os';
import { hostPath, superdPaths } from '../host/paths';
import { createDaemonLog, type DaemonLog } from '../log/daemonLog';
import { OSLOG_HELPER_PATH } from '../log/osLogHelperProtocol';
import { selectUnifiedLogSink } from '../log/unifiedLogChoice';
import { createRunCommand } from '../host/runCommand';
import { DaemonScheduler } from './daemonScheduler';
import { nextHeartbeatDue } from './heartbeatDue';
import { firstUpdateCheck, nextUpdateCheck } from './updateCheck';
import { acquireInstanceLock } from './instanceLock';
import { systemLockDeps } from './lockDeps';
import { watchProfile } from './profileWatcher';
import { startWorker } from './workerProcess';
// Loaded when first needed, so the idle daemon holds as little as possible.
import type * as StatusFile from '../status/statusFile';
import type * as LoadSettings from '../config/loadSettings';


export interface DaemonLoopOptions {
  readonly root: string;
  readonly env: NodeJS.ProcessEnv;
  readonly tickSeconds: number;
  /** Resolves when the daemon should stop. */
  readonly stopRequested: Promise<void>;
  /** The CLI entry point a worker runs (`main.js run`), as the CLI that started the daemon knows it. */
  readonly workerMain: string;
}

/** Runs until asked to stop. Throws AlreadyRunningError when another instance holds the lock. */
export async function runDaemon(options: DaemonLoopOptions): Promise<void> {
  const { root, env, tickSeconds } = options;
  // The unified log as superd's logger picks it: the os_log helper on macOS (else logger).
  const unified = selectUnifiedLogSink('auto', { platform: process.platform, helperFile: hostPath(OSLOG_HELPER_PATH, root), runCommand: createRunCommand(root) }).sink;
  const log: DaemonLog = createDaemonLog(hostPath(superdPaths.folder, root), undefined, unified);
  const lock = await acquireInstanceLock(hostPath(superdPaths.lock, root), systemLockDeps(root));

  let settings = await readDaemonSettings(root);
  const seed = hostname();
  // The first heartbeat (none recorded yet) is due from this fixed moment, never from "now".
  const startedAt = new Date();
  // Recurring update checks every DeferralTimerWorkflowRelaunch minutes from the last run; the
  // first at this Mac's own point within one interval, so a fleet that boots (or installs superd)
  // together does not call Apple and Jamf Pro at once. A Jamf Pro policy run is immediate (hand-off).
  const firstCheck = (at: number) => firstUpdateCheck(seed, settings.updateCheckMs, at);
  let updateCheckDue = firstCheck(Date.now());
  const scheduler = new DaemonScheduler({
    now: () => new Date(),
    readSchedule: async () => {
      const { readStatus } = require('../status/statusFile') as typeof StatusFile;
      const s = await readStatus(root);
      const jamf = s.authMethod === 'jamf-client' || s.authMethod === 'jamf-account';
      const paused = s.heartbeatPausedFor !== null;
      return {
        nextAttempt: s.nextAttempt ? new Date(s.nextAttempt) : null,
        updateCheckDue,
        interrupted: s.state === 'running' && s.machineSnapshot !== null,
        heartbeatDue: jamf && !paused ? nextHeartbeatDue({ lastCheckedAt: s.heartbeat?.checkedAt ?? null, intervalHours: settings.heartbeatHours, jitterSeed: seed, since: startedAt }) : null,
      };
    },
    startWorker: (kind) => startWorker(kind, { root, env, main: options.workerMain, log }),
    log,
    onRunStarted: (at) => {
      updateCheckDue = nextUpdateCheck(at.getTime(), settings.updateCheckMs);
    },
  });

  // A changed profile (or SIGHUP) is picked up without a restart.
  const watcher = watchProfile(root, log, (why) => {
    void readDaemonSettings(root).then((s) => {
      // A changed interval takes effect at once, from this Mac's point in it.
      if (s.updateCheckMs !== settings.updateCheckMs) updateCheckDue = new Date(Math.min(updateCheckDue.getTime(), firstCheck(Date.now()).getTime()));
      settings = s;
      scheduler.requestRun(why);
    });
  });
  // Logged once everything is listening (the profile watcher, SIGHUP): from here on nothing is missed.
  log(`started (pid ${process.pid}, tick ${tickSeconds} s)`);
  const tick = () => void scheduler.tick().catch((e: unknown) => log(`tick failed: ${e instanceof Error ? e.message : String(e)}`, 'warn'));
  const timer = setInterval(tick, tickSeconds * 1000);
  tick();

  await options.stopRequested;

  log('stopping');
  clearInterval(timer);
  watcher.close();
  await scheduler.stop();
  lock.release();
  log('stopped');
  await unified?.close();
}

/** The few settings the daemon itself needs, read through the same validation as a run. */
async function readDaemonSettings(root: string): Promise<{ heartbeatHours: number; updateCheckMs: number }> {
  try {
    const { loadSettings } = require('../config/loadSettings') as typeof LoadSettings;
    const loaded = await loadSettings([], root);
    return { heartbeatHours: loaded.settings.CredentialHeartbeatInterval, updateCheckMs: (loaded.settings.DeferralTimerWorkflowRelaunch ?? DEFAULT_UPDATE_CHECK_MINUTES) * 60_000 };
  } catch {
    // Invalid settings: the worker records why; the daemon keeps the defaults meanwhile.
    return { heartbeatHours: 24, updateCheckMs: DEFAULT_UPDATE_CHECK_MINUTES * 60_000 };
  }
}

/** super's workflow relaunch default (reference/super-behaviour.md): 360 minutes. */
const DEFAULT_UPDATE_CHECK_MINUTES = 360;
