import type { HeldLock, LockDeps } from '../host/lockFile';
import { acquireWaiting, type WaitClock } from '../host/lockWait';
import { AlreadyRunningError, LockError } from '../errors';

/**
 * How long a daemon starting beside another superd process taking over a stale lock waits for
 * it (a takeover takes microseconds). A daemon that finds another live daemon is refused at
 * the end of it (exit 69, naming the holder).
 */
export const INSTANCE_LOCK_WAIT_MS = 2_000;

/**
 * The daemon's single-instance lock (daemon/host/lockFile.ts): a second daemon is refused
 * (exit 69, naming the holder); a lock left by a daemon that died is taken over.
 */
export async function acquireInstanceLock(file: string, deps: LockDeps, options: { pid?: number; clock?: WaitClock; waitMs?: number } = {}): Promise<HeldLock> {
  return acquireWaiting(file, 'superd daemon', {
    waitMs: options.waitMs ?? INSTANCE_LOCK_WAIT_MS,
    deps,
    clock: options.clock,
    pid: options.pid,
    refuse: (holder, why) =>
      holder === null
        ? new LockError(`could not take the lock ${file}: ${why}; try again in a moment`)
        : new AlreadyRunningError(holder.pid, file, holder.holder === 'superd' ? 'superd daemon' : holder.holder),
  });
}
