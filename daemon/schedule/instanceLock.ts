import { tryAcquire, ownRecord, type HeldLock, type LockDeps } from '../host/lockFile';
import { AlreadyRunningError, LockError } from '../errors';

/**
 * The daemon's single-instance lock (daemon/host/lockFile.ts): a second daemon is refused at
 * once (exit 69, naming the holder); a lock left by a daemon that died is taken over.
 */
export async function acquireInstanceLock(file: string, deps: LockDeps, pid = process.pid): Promise<HeldLock> {
  const attempt = await tryAcquire(file, await ownRecord('superd daemon', deps, pid), deps);
  if (attempt.acquired) return attempt.lock;
  const holder = attempt.holder;
  if (holder === null) throw new LockError(`could not take the lock ${file}: ${attempt.why}; try again in a moment`);
  throw new AlreadyRunningError(holder.pid, file, holder.holder === 'superd' ? 'superd daemon' : holder.holder);
}
