/**
 * superd's one lock discipline (the daemon's instance lock and the run lock). Node has no
 * flock, so a lock is a file that exists while its holder runs:
 *
 * - Taken with link(): the record (pid, start time, a nonce, who) is written and fsynced under
 *   a private name, then hard-linked to the lock's name. link() fails with EEXIST when the lock
 *   exists, atomically, and the lock is never seen half written.
 * - Held while the recorded pid is alive with the recorded start time (so a recycled pid is not
 *   mistaken for the holder). When superd cannot tell a process's start time, a live pid is
 *   taken to be the holder: refuse, never take over.
 * - A stale lock (dead pid, other start time, unreadable record) is taken over by exactly one
 *   taker: it first hard-links the lock to `<lock>.takeover.<inode>`, which only one taker can
 *   create for that inode; it then checks that the linked file is the very record it judged
 *   stale (same inode and bytes) before removing the lock. A taker that finds the link taken
 *   backs off. See docs/decisions.md ("One lock discipline").
 */
import { closeSync, constants, fstatSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, unlinkSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { LockError } from '../errors';
import { processAlive } from './processAlive';

/** A lock record is a line of JSON; anything longer is not one of superd's. */
const MAX_RECORD = 4096;
/**
 * A takeover link holds for two system calls. One older than this was left by a taker that
 * died between them (kill -9); it is removed so the lock cannot stay blocked for good.
 */
export const ABANDONED_TAKEOVER_MS = 5 * 60_000;

export interface LockRecord {
  readonly pid: number;
  /** Start-time token (daemon/host/ps.ts); '' when the holder could not tell its own. */
  readonly start: string;
  readonly nonce: string;
  /** Who holds it, for messages: "superd run", "superd daemon", … */
  readonly holder: string;
  /** When it was taken (ISO), for messages. */
  readonly since: string;
}

export type StartTimeOf = (pid: number) => Promise<string | null | 'unknown'>;

export interface LockDeps {
  readonly startTimeOf: StartTimeOf;
  /** Whether a pid exists (default: kill(pid, 0)). */
  readonly isAlive?: (pid: number) => boolean;
  readonly now?: () => Date;
}

export interface HeldLock {
  readonly record: LockRecord;
  /** Removes the lock if it is still this holder's record. Idempotent, synchronous (usable at exit). */
  release(): void;
}

export type Attempt =
  | { readonly acquired: true; readonly lock: HeldLock }
  | { readonly acquired: false; readonly holder: LockRecord | null; readonly why: string };

/** Reads a record; null when the text is not one (corrupt, truncated, foreign). */
export function parseLockRecord(raw: string): LockRecord | null {
  const legacy = /^(\d+)\n?$/.exec(raw);
  // superd before this discipline wrote only "PID\n": no start time, so it is held while the pid lives.
  if (legacy) return { pid: Number(legacy[1]), start: '', nonce: '', holder: 'superd', since: '' };
  try {
    const o = JSON.parse(raw) as Record<string, unknown>;
    if (typeof o !== 'object' || o === null) return null;
    const { pid, start, nonce, holder, since } = o;
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return null;
    if (typeof start !== 'string' || typeof nonce !== 'string' || typeof holder !== 'string' || typeof since !== 'string') return null;
    return { pid, start, nonce, holder, since };
  } catch {
    return null;
  }
}

interface Observed {
  readonly ino: number;
  readonly raw: string;
}

/** What a symbolic link in the lock's place reads as: never a record, so it is stale (removed, not followed). */
const SYMLINK_RAW = '\u0000symbolic link';

function observe(file: string): Observed | null {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') {
      try {
        return { ino: lstatSync(file).ino, raw: SYMLINK_RAW };
      } catch {
        return null;
      }
    }
    throw new LockError(`could not read the lock ${file}: ${(error as Error).message}`);
  }
  try {
    const ino = fstatSync(fd).ino;
    const buffer = Buffer.alloc(MAX_RECORD + 1);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return { ino, raw: buffer.subarray(0, n).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}

/** Creates the lock holding `record`; false when it exists. */
function create(file: string, record: LockRecord): boolean {
  const temp = `${file}.new.${record.pid}.${record.nonce}`;
  const fd = openSync(temp, 'wx', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(record)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new LockError(`could not take the lock ${file}: ${(error as Error).message}`);
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Already gone.
    }
  }
}

/** Stale: the recorded process is gone, or another process has its pid. Held when superd cannot tell. */
async function isStale(record: LockRecord | null, deps: LockDeps, self: LockRecord): Promise<boolean> {
  if (record === null) return true; // superd writes whole records only (link); anything else is damage
  if (record.pid === self.pid && record.nonce !== self.nonce) {
    // Our own pid: either an earlier holder in this same process (still held: refuse), or a
    // recycled pid of a dead holder (then its start time differs from ours).
    if (record.start !== '' && self.start !== '' && record.start !== self.start) return true;
    return false;
  }
  if (!(deps.isAlive ?? processAlive)(record.pid)) return true;
  if (record.start === '') return false; // cannot compare: fail safe
  const current = await deps.startTimeOf(record.pid);
  if (current === null) return true; // gone since the kill(0) above
  if (current === 'unknown') return false;
  return current !== record.start;
}

type Takeover = 'removed' | 'changed' | 'busy';

/** Removes the observed stale lock, unless another taker is at it or it changed meanwhile. */
function takeOver(file: string, seen: Observed, now: () => Date): Takeover {
  const marker = `${file}.takeover.${seen.ino}`;
  try {
    linkSync(file, marker);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'changed';
    if (code !== 'EEXIST') throw new LockError(`could not take over the stale lock ${file}: ${(error as Error).message}`);
    clearMarker(file, marker, now);
    return 'busy';
  }
  // The marker is whatever the lock was at link() time: the record judged stale, or a newer one.
  const linked = observe(marker);
  if (linked === null || linked.ino !== seen.ino || linked.raw !== seen.raw) {
    unlinkQuietly(marker); // a newer lock: keep it, drop only our extra name
    return 'changed';
  }
  // Only the holder of the marker may remove this inode's name, so this removes the stale record.
  unlinkQuietly(file);
  unlinkQuietly(marker);
  return 'removed';
}

/**
 * A marker that does not name the current lock is left over from a finished takeover; one
 * that does and is older than ABANDONED_TAKEOVER_MS was left by a taker that died holding it.
 * Removing either only lets the exclusive link() above decide again.
 */
function clearMarker(file: string, marker: string, now: () => Date): void {
  try {
    const m = lstatSync(marker);
    let lockIno: number | null = null;
    try {
      lockIno = lstatSync(file).ino;
    } catch {
      lockIno = null;
    }
    if (lockIno !== m.ino || now().getTime() - m.ctimeMs > ABANDONED_TAKEOVER_MS) unlinkQuietly(marker);
  } catch {
    // Gone meanwhile.
  }
}

/**
 * After taking the lock: markers of earlier lock files (other inodes) are litter from takers
 * that died after removing the stale lock, and private records (`.new.<pid>.…`) of processes
 * that died before linking theirs; neither blocks anything, and both are removed here.
 */
function sweepLitter(file: string, isAlive: (pid: number) => boolean): void {
  try {
    const own = lstatSync(file).ino;
    const marker = `${path.basename(file)}.takeover.`;
    const draft = `${path.basename(file)}.new.`;
    for (const name of readdirSync(path.dirname(file))) {
      const full = path.join(path.dirname(file), name);
      if (name.startsWith(marker) && lstatSync(full).ino !== own) unlinkQuietly(full);
      if (name.startsWith(draft)) {
        const pid = Number(name.slice(draft.length).split('.')[0]);
        if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) unlinkQuietly(full);
      }
    }
  } catch {
    // Best effort: litter only.
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}

let counter = 0;
/** Unique per acquisition; no crypto needed (the pid and start time already tell processes apart). */
function nonce(): string {
  counter += 1;
  return `${process.hrtime.bigint().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** The record this process writes when it takes a lock. */
export async function ownRecord(holder: string, deps: LockDeps, pid = process.pid): Promise<LockRecord> {
  const start = await deps.startTimeOf(pid);
  return { pid, start: typeof start === 'string' && start !== 'unknown' ? start : '', nonce: nonce(), holder, since: (deps.now ?? (() => new Date()))().toISOString() };
}

/** One try: take the lock, taking over a stale one; never waits. */
export async function tryAcquire(file: string, record: LockRecord, deps: LockDeps): Promise<Attempt> {
  const now = deps.now ?? (() => new Date());
  mkdirSync(path.dirname(file), { recursive: true });
  for (let round = 0; round < 8; round++) {
    if (create(file, record)) {
      sweepLitter(file, deps.isAlive ?? processAlive);
      return { acquired: true, lock: heldLock(file, record) };
    }
    const seen = observe(file);
    if (seen === null) continue; // released meanwhile
    const holder = parseLockRecord(seen.raw);
    if (!(await isStale(holder, deps, record))) return { acquired: false, holder, why: 'held' };
    const result = takeOver(file, seen, now);
    // Resolved within microseconds unless that taker died; the caller tries again shortly.
    if (result === 'busy') return { acquired: false, holder: null, why: 'another superd process is taking over a stale lock left by a process that ended' };
  }
  throw new LockError(`could not take the lock ${file}: it keeps changing (other processes keep taking it)`);
}

function heldLock(file: string, record: LockRecord): HeldLock {
  let released = false;
  return {
    record,
    release: () => {
      if (released) return;
      released = true;
      try {
        const seen = observe(file);
        // Only our own record: a lock taken over from us (we were judged dead) is someone else's now.
        if (seen && parseLockRecord(seen.raw)?.nonce === record.nonce) unlinkQuietly(file);
      } catch {
        // Unreadable: left for the next taker, who judges it by its record.
      }
    },
  };
}
