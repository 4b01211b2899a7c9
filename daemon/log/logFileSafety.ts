/**
 * superd's log files are written as root: created 0640 (they name users and computers), never
 * appended through a symbolic link or into a FIFO or device (issue 16). Something other than a
 * regular file in a log file's place is moved aside (`superd.log.unsafe-<time>`, the newest
 * three kept) with a warning on stderr, and a new log file is started; a log folder that is a
 * symbolic link is refused. Shared by the run's log file (fileTransport.ts) and the idle
 * daemon's (daemonLog.ts), so it loads nothing heavier than node:fs.
 */
import { closeSync, constants as fsConstants, fchmodSync, fstatSync, lstatSync, openSync } from 'node:fs';
import * as path from 'node:path';
import { UnsafeFileError } from '../errors';
import { moveAside, openAppendSync } from '../host/safeFile';

export const LOG_FILE_MODE = 0o640;
export const UNSAFE_LOG_LABEL = 'unsafe';

/** Refuses a log folder that is a symbolic link (the file's own O_NOFOLLOW covers only the last name). */
export function checkLogFolder(folder: string): void {
  let link = false;
  try {
    link = lstatSync(folder).isSymbolicLink();
  } catch {
    return;
  }
  if (link) throw new UnsafeFileError(folder, 'symbolic-link', 'is a symbolic link; superd does not write its log through a link');
}

/** Moves what is in the log file's place aside and says so on stderr. */
export function setAsideUnsafeLogFile(file: string, problem: UnsafeFileError, at: Date, warn: (line: string) => void = (line) => void process.stderr.write(line)): void {
  const moved = moveAside(file, UNSAFE_LOG_LABEL, at);
  warn(`superd: warning: the log file ${file} ${problem.issues[0]?.message ?? problem.message}; moved it aside to ${moved ?? '(already gone)'} and started a new log file\n`);
}

/**
 * Makes `file` a regular file of mode 0640 before a stream appends to it: creates it, narrows
 * a wider mode (a file an older superd created 0644), or sets aside a link, FIFO, device or
 * folder in its place. The rotated copies beside it (`superd1.log`, …) are narrowed too; a
 * rename keeps a file's mode, so rotation keeps 0640.
 */
export function prepareLogFile(file: string, rotated: readonly string[], at: Date, warn?: (line: string) => void): void {
  checkLogFolder(path.dirname(file));
  try {
    closeSync(openAppendSync(file, LOG_FILE_MODE));
  } catch (error) {
    if (!(error instanceof UnsafeFileError)) throw error;
    setAsideUnsafeLogFile(file, error, at, warn);
    closeSync(openAppendSync(file, LOG_FILE_MODE));
  }
  for (const copy of rotated) narrowIfRegular(copy);
}

/** A rotated copy: narrowed to 0640 when it is a regular file; anything else is left alone (never written). */
function narrowIfRegular(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
  } catch {
    return;
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() && (stat.mode & 0o777 & ~LOG_FILE_MODE) !== 0) fchmodSync(fd, stat.mode & 0o777 & LOG_FILE_MODE);
  } catch {
    // Best effort: a rotated copy is only read by people.
  } finally {
    closeSync(fd);
  }
}
