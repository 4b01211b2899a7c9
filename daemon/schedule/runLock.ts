/**
 * One run at a time: `superd run`, whether an admin, a Jamf Pro policy or the daemon's worker
 * started it, holds the run lock (daemon/host/lockFile.ts) from before it changes anything
 * (credentials, saved settings, status) until it ends. A second run waits a little for the
 * first to finish, then gives up with exit 69 and a message naming the holder; it changes
 * nothing and records nothing in status (the status belongs to the run that holds the lock).
 */
import * as path from 'node:path';
import { AlreadyRunningError, LockError } from '../errors';
import { signalChildren } from '../host/childGroups';
import type { HeldLock, LockDeps, LockRecord } from '../host/lockFile';
import { acquireWaiting, type WaitClock } from '../host/lockWait';
import { hostPath, superdPaths } from '../host/paths';
import { STARTED_BY_DAEMON_ENV } from './handOff';
import { systemLockDeps } from './lockDeps';

/** Beside the daemon's instance lock (superd.lock). */
export const RUN_LOCK = path.posix.join(superdPaths.folder, 'run.lock');
/** How long a second run waits for the first (a run that ends soon, e.g. a policy's hand-off). */
export const RUN_LOCK_WAIT_MS = 15_000;
/** Under a test root only: a shorter wait for real-process tests (like SUPERD_DAEMON_WORKER). */
export const RUN_LOCK_WAIT_ENV = 'SUPERD_RUN_LOCK_WAIT_MS';

function refusal(file: string, waitMs: number, holder: LockRecord | null, why: string): Error {
  if (holder === null) return new LockError(`could not take the run lock ${file}: ${why}; this run changed nothing, try again in a moment`);
  const since = holder.since ? ` since ${holder.since}` : '';
  return new AlreadyRunningError(
    holder.pid,
    file,
    `another ${holder.holder}${since}`,
    `waited ${Math.round(waitMs / 1000)} s for it to finish. This run did not start and changed nothing (no credential, setting or status); see superd status, and run again once it has finished.`,
  );
}

export interface RunLockOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly deps?: LockDeps;
  readonly clock?: WaitClock;
  readonly waitMs?: number;
}

/**
 * Runs `work` holding the run lock. While it holds it, SIGTERM and SIGINT release the lock
 * and stop the run's children before the signal ends the process as it would have anyway.
 */
export async function withRunLock<T>(root: string, work: () => Promise<T>, options: RunLockOptions): Promise<T> {
  const { env } = options;
  const override = env.SUPERD_ROOT ? Number(env[RUN_LOCK_WAIT_ENV]) : NaN;
  const waitMs = options.waitMs ?? (Number.isInteger(override) && override >= 0 ? override : RUN_LOCK_WAIT_MS);
  const holderName = env[STARTED_BY_DAEMON_ENV] === '1' ? 'superd run (started by the daemon)' : 'superd run';
  const lock = await acquireWaiting(hostPath(RUN_LOCK, root), holderName, {
    waitMs,
    deps: options.deps ?? systemLockDeps(root),
    clock: options.clock,
    refuse: (holder, why) => refusal(hostPath(RUN_LOCK, root), waitMs, holder, why),
  });
  const stopOnSignal = installSignalStop(lock);
  try {
    return await work();
  } finally {
    stopOnSignal();
    lock.release();
  }
}

/** Returns the call that removes the handlers. */
function installSignalStop(lock: HeldLock): () => void {
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
  const handler = (signal: NodeJS.Signals) => {
    remove();
    signalChildren('SIGTERM');
    lock.release();
    // Ends the process the way the signal would have, had superd not listened for it (unless
    // something else in this process listens too, e.g. a test runner).
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const remove = () => {
    for (const s of signals) process.removeListener(s, handler);
  };
  for (const s of signals) process.on(s, handler);
  return remove;
}
