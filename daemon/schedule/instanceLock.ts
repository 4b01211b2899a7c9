import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { AlreadyRunningError, LockError } from '../errors';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The single-instance lock: a file holding the daemon's pid, created exclusively. A lock left by
 * a process that no longer exists (a crash, kill -9) is taken over.
 */
export function acquireInstanceLock(file: string, pid = process.pid): { release(): void } {
  mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, `${pid}\n`);
      closeSync(fd);
      return {
        release: () => {
          try {
            if (Number(readFileSync(file, 'utf8').trim()) === pid) rmSync(file, { force: true });
          } catch {
            // Already gone.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== pid && alive(holder)) throw new AlreadyRunningError(holder, file);
      rmSync(file, { force: true }); // stale
    }
  }
  throw new LockError(`could not take the lock ${file}: another process keeps re-creating it`);
}
