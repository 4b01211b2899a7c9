/**
 * The files superd reads and writes as root (issue 16): regular files only, of a bounded size,
 * never through a symbolic link, and replaced durably.
 *
 * - Reads open with O_NOFOLLOW (a link in place of the file is refused, never followed to
 *   /dev/zero or another user's file) and O_NONBLOCK (a FIFO cannot hang the open), then fstat
 *   the open descriptor: only a regular file is read, and only up to a cap, counted while
 *   reading too (a file that grows after the fstat is still refused).
 * - Writes go to a new temporary file beside the target (O_EXCL | O_NOFOLLOW), are fsynced,
 *   renamed over the target, and the folder is fsynced, so after a power loss the target is the
 *   old file or the new one, never a mix or an empty file.
 * - A damaged file is moved aside (kept for diagnosis) under a bounded number of names.
 *
 * node:fs's callback and sync forms only: `superd status` and the idle daemon use this, and
 * node:fs/promises would add about 1.5 MB to them (docs/decisions.md, issue 19).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, UnsafeFileError } from '../errors';
import { processAlive } from './processAlive';

/** Profiles, saved settings, the status file, Jamf's preferences: real ones are a few kilobytes. */
export const MAX_PLIST_BYTES = 1024 * 1024;
/** How many moved-aside copies of one file are kept (the newest). */
export const MOVED_ASIDE_KEPT = 3;

const READ_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;
const APPEND_FLAGS = fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;
/** For a stream that appends (winston's log file): no O_NONBLOCK, the caller checked the file first. */
export const SAFE_APPEND_FLAGS = fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW;

export interface RegularFile {
  bytes: Buffer;
  /** Identity of what was read, so a later move-aside does not move a file someone replaced meanwhile. */
  dev: number;
  ino: number;
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** The typed error for an open that failed; null for a missing file. */
function openFailure(file: string, error: NodeJS.ErrnoException, verb = 'read'): Error | null {
  if (error.code === 'ENOENT') return null;
  // O_NOFOLLOW on a link: ELOOP (Linux, macOS open(2)); EMLINK on some BSDs.
  if (error.code === 'ELOOP' || error.code === 'EMLINK') {
    return new UnsafeFileError(file, 'symbolic-link', 'is a symbolic link; superd reads and writes only regular files, never through a link');
  }
  // O_NONBLOCK write-open of a FIFO without a reader.
  if (error.code === 'ENXIO') return new UnsafeFileError(file, 'not-regular', 'is a FIFO or device, not a regular file; superd reads and writes only regular files');
  return new ConfigError([{ subject: file, message: `cannot be ${verb}: ${error.code ?? error.message}` }], 'configuration');
}

function checkOpened(file: string, stat: fs.Stats, maxBytes: number): Error | null {
  if (!stat.isFile()) return new UnsafeFileError(file, 'not-regular', `is ${kindOf(stat)}, not a regular file; superd reads and writes only regular files`);
  if (stat.size > maxBytes) return tooLarge(file, maxBytes);
  return null;
}

function tooLarge(file: string, maxBytes: number): UnsafeFileError {
  return new UnsafeFileError(file, 'too-large', `is larger than ${maxBytes} bytes, more than superd ever expects here; it is not read`);
}

/**
 * A regular file's bytes, or null when it does not exist. Throws UnsafeFileError (a link, a
 * FIFO, a device, a directory, over `maxBytes`) or a ConfigError naming the file for any other
 * failure. Never blocks on a FIFO, never follows a link, never reads more than `maxBytes` + 1.
 */
export function readRegularFile(file: string, maxBytes: number = MAX_PLIST_BYTES): Promise<RegularFile | null> {
  return new Promise((resolve, reject) => {
    fs.open(file, READ_FLAGS, (openError, fd) => {
      if (openError) {
        const failure = openFailure(file, openError);
        if (failure) reject(failure);
        else resolve(null);
        return;
      }
      const finish = (error: Error | null, result: RegularFile | null) => fs.close(fd, () => (error ? reject(error) : resolve(result)));
      fs.fstat(fd, (statError, stat) => {
        if (statError) return finish(openFailure(file, statError), null);
        const unsafe = checkOpened(file, stat, maxBytes);
        if (unsafe) return finish(unsafe, null);
        // Sized by the fstat, one byte over: a file that grew since is noticed, and read up to the cap.
        let buffer = Buffer.allocUnsafe(Math.min(stat.size, maxBytes) + 1);
        let filled = 0;
        const readMore = (): void => {
          if (filled === buffer.length) {
            const bigger = Buffer.allocUnsafe(maxBytes + 1);
            buffer.copy(bigger, 0, 0, filled);
            buffer = bigger;
          }
          fs.read(fd, buffer, filled, buffer.length - filled, null, (readError, count) => {
            if (readError) return finish(openFailure(file, readError), null);
            filled += count;
            if (filled > maxBytes) return finish(tooLarge(file, maxBytes), null);
            if (count === 0) return finish(null, { bytes: buffer.subarray(0, filled), dev: stat.dev, ino: stat.ino });
            readMore();
          });
        };
        readMore();
      });
    });
  });
}

/** readRegularFile's synchronous form, for callers that cannot wait (lock files). */
export function readRegularFileSync(file: string, maxBytes: number = MAX_PLIST_BYTES): RegularFile | null {
  let fd: number;
  try {
    fd = fs.openSync(file, READ_FLAGS);
  } catch (error) {
    const failure = openFailure(file, error as NodeJS.ErrnoException);
    if (failure) throw failure;
    return null;
  }
  try {
    const stat = fs.fstatSync(fd);
    const failure = checkOpened(file, stat, maxBytes);
    if (failure) throw failure;
    const buffer = Buffer.allocUnsafe(maxBytes + 1);
    let filled = 0;
    for (;;) {
      const count = fs.readSync(fd, buffer, filled, buffer.length - filled, null);
      filled += count;
      if (filled > maxBytes) throw tooLarge(file, maxBytes);
      if (count === 0) return { bytes: Buffer.from(buffer.subarray(0, filled)), dev: stat.dev, ino: stat.ino };
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Opens a regular file for appending (created with `mode`), never through a link and never a
 * FIFO or device; a file with wider permissions than `mode` is narrowed to it. Returns the fd.
 */
export function openAppendSync(file: string, mode: number): number {
  let fd: number;
  try {
    fd = fs.openSync(file, APPEND_FLAGS, mode);
  } catch (error) {
    const failure = openFailure(file, error as NodeJS.ErrnoException, 'written');
    if (failure) throw failure;
    // ENOENT: the folder is missing; the caller's own error.
    throw error;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new UnsafeFileError(file, 'not-regular', `is ${kindOf(stat)}, not a regular file; superd writes only regular files`);
    if ((stat.mode & 0o777 & ~mode) !== 0) fs.fchmodSync(fd, stat.mode & 0o777 & mode);
    return fd;
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/** Appends text to a regular file (see openAppendSync). */
export function appendRegularFileSync(file: string, text: string, mode: number): void {
  const fd = openAppendSync(file, mode);
  try {
    fs.writeSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
}

let tempCounter = 0;

function call<T>(fn: (done: (error: NodeJS.ErrnoException | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((error, value) => (error ? reject(error) : resolve(value as T))));
}

/**
 * Replaces `file` with `data`: a new temporary file beside it (O_EXCL | O_NOFOLLOW, so nothing
 * planted there is written through), written and fsynced, renamed over the target (a link or
 * FIFO in its place is replaced, never followed), then the folder fsynced so the rename itself
 * survives a power loss. A reader sees the old file or the new one, whole.
 *
 * On macOS, fsync(2) hands the data to the drive but does not flush the drive's own cache
 * (that is F_FULLFSYNC, which Node does not offer); the rename still never exposes a partial file.
 */
export async function writeFileDurably(file: string, data: string | Uint8Array, mode: number): Promise<void> {
  const folder = path.dirname(file);
  await call<string | undefined>((done) => fs.mkdir(folder, { recursive: true, mode: 0o755 }, done));
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let temp = '';
  let fd = -1;
  for (let attempt = 0; fd < 0; attempt++) {
    temp = `${file}.${process.pid}.${Date.now().toString(36)}${(tempCounter++).toString(36)}.tmp`;
    try {
      fd = await call<number>((done) => fs.open(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, mode, done));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw error;
    }
  }
  try {
    try {
      // The umask may have narrowed the mode; the file gets exactly `mode`.
      await call<void>((done) => fs.fchmod(fd, mode, done));
      let written = 0;
      while (written < bytes.length) {
        written += await call<number>((done) => fs.write(fd, bytes, written, bytes.length - written, null, done));
      }
      await call<void>((done) => fs.fsync(fd, done));
    } finally {
      await call<void>((done) => fs.close(fd, done));
    }
    await call<void>((done) => fs.rename(temp, file, done));
  } catch (error) {
    fs.rm(temp, { force: true }, () => undefined);
    throw error;
  }
  await fsyncFolder(folder);
  removeStaleTemporaries(file);
}

/** Temporary files of this target left by a process that was killed mid-write (kill -9, power loss). */
function removeStaleTemporaries(file: string): void {
  const prefix = `${path.basename(file)}.`;
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length).split('.')[0]) : NaN;
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    try {
      fs.rmSync(path.join(path.dirname(file), name), { force: true });
    } catch {
      // Left for the next write.
    }
  }
}

/** Makes a rename in `folder` durable. Best effort where a folder cannot be fsynced (some file systems). */
function fsyncFolder(folder: string): Promise<void> {
  return new Promise((resolve) => {
    fs.open(folder, fs.constants.O_RDONLY, (openError, fd) => {
      if (openError) return resolve();
      fs.fsync(fd, () => fs.close(fd, () => resolve()));
    });
  });
}

/** `2026-12-03T22:45:15.123Z` → `20261203T224515123Z`: sortable, no characters a shell quotes. */
function stamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

/**
 * Moves a damaged file (or a link, FIFO or folder in its place) aside as
 * `<file>.<label>-<time>`, keeping the newest MOVED_ASIDE_KEPT such copies. Returns the new
 * path, or null when nothing was there. When `expect` is given, moves only that very file (not
 * one another process put in its place since it was read). Never follows a link: rename(2)
 * moves the link itself.
 */
export function moveAside(file: string, label: string, at: Date, expect?: { dev: number; ino: number }): string | null {
  let current: fs.Stats;
  try {
    current = fs.lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (expect && (current.dev !== expect.dev || current.ino !== expect.ino)) return null;
  const base = `${file}.${label}-${stamp(at)}`;
  let target = base;
  for (let n = 1; fs.existsSync(target); n++) target = `${base}-${n}`;
  fs.renameSync(file, target);
  pruneMovedAside(file, label);
  return target;
}

function pruneMovedAside(file: string, label: string): void {
  const folder = path.dirname(file);
  const prefix = `${path.basename(file)}.${label}-`;
  let names: string[];
  try {
    names = fs.readdirSync(folder).filter((n) => n.startsWith(prefix));
  } catch {
    return;
  }
  // Oldest first: the stamp sorts by time; a `-n` suffix (same millisecond) sorts after its base.
  names.sort();
  for (const name of names.slice(0, Math.max(0, names.length - MOVED_ASIDE_KEPT))) {
    try {
      fs.rmSync(path.join(folder, name), { recursive: true, force: true });
    } catch {
      // Kept: a copy too many is better than failing the repair.
    }
  }
}
