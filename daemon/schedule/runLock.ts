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
import { tryAcquire, ownRecord, type HeldLock, type LockDeps, type LockRecord } from '../host/lockFile';
import { hostPath, superdPaths } from '../host/paths';
import { STARTED_BY_DAEMON_ENV } from './handOff';
import { systemLockDeps } from './lockDeps';

/** Beside the daemon's instance lock (superd.lock). */
export const RUN_LOCK = path.posix.join(superdPaths.folder, 'run.lock');
/** How long a second run waits for the first (a run that ends soon, e.g. a policy's hand-off). */
export const RUN_LOCK_WAIT_MS = 15_000;
const POLL_MS = 500;
/** Under a test root only: a shorter wait for real-process tests (like SUPERD_DAEMON_WORKER). */
export const RUN_LOCK_WAIT_ENV = 'SUPERD_RUN_LOCK_WAIT_MS';

export interface WaitClock {
  now(): number;
  /** Resolves after about `ms` (tests: advances a fake clock). */
  sleep(ms: number): Promise<void>;
}

const realClock: WaitClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Takes `file`, polling every POLL_MS until `waitMs` has passed on `clock`; then throws
 * AlreadyRunningError naming the holder. The wait is bounded by the clock, not by a count.
 */
export async function acquireWaiting(file: string, holderName: string, opts: { waitMs: number; deps: LockDeps; clock?: WaitClock }): Promise<HeldLock> {
  const clock = opts.clock ?? realClock;
  const record = await ownRecord(holderName, opts.deps);
  const deadline = clock.now() + opts.waitMs;
  for (;;) {
    const attempt = await tryAcquire(file, record, opts.deps);
    if (attempt.acquired) return attempt.lock;
    if (clock.now() >= deadline) throw refusal(file, attempt.holder, attempt.why, opts.waitMs);
    await clock.sleep(Math.min(POLL_MS, Math.max(deadline - clock.now(), 0)) || POLL_MS);
  }
}

function refusal(file: string, holder: LockRecord | null, why: string, waitMs: number): Error {
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
  const lock = await acquireWaiting(hostPath(RUN_LOCK, root), holderName, { waitMs, deps: options.deps ?? systemLockDeps(root), clock: options.clock });
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
