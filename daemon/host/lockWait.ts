import { ownRecord, tryAcquire, type HeldLock, type LockDeps, type LockRecord } from './lockFile';

/** How often a waiting taker looks again. */
export const LOCK_POLL_MS = 500;

export interface WaitClock {
  now(): number;
  /** Resolves after about `ms` (tests: advances a fake clock). */
  sleep(ms: number): Promise<void>;
}

export const realClock: WaitClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface WaitOptions {
  readonly waitMs: number;
  readonly deps: LockDeps;
  readonly clock?: WaitClock;
  /** The pid to record (default this process; tests). */
  readonly pid?: number;
  /** The error when the wait is over: `holder` null when no holder could be named (a takeover in progress). */
  readonly refuse: (holder: LockRecord | null, why: string) => Error;
}

/**
 * Takes `file` (daemon/host/lockFile.ts), looking again every LOCK_POLL_MS until `waitMs` has
 * passed on `clock`, then throws `refuse(…)`. The wait is bounded by the clock, not by a count.
 */
export async function acquireWaiting(file: string, holderName: string, opts: WaitOptions): Promise<HeldLock> {
  const clock = opts.clock ?? realClock;
  const record = await ownRecord(holderName, opts.deps, opts.pid);
  const deadline = clock.now() + opts.waitMs;
  for (;;) {
    const attempt = await tryAcquire(file, record, opts.deps);
    if (attempt.acquired) return attempt.lock;
    const left = deadline - clock.now();
    if (left <= 0) throw opts.refuse(attempt.holder, attempt.why);
    await clock.sleep(Math.min(LOCK_POLL_MS, left));
  }
}
