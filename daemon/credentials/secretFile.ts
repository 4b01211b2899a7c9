/**
 * A new password or client secret that an admin asked to have written to a file
 * (`--password-file`): checked before anything changes in Jamf Pro, written with mode 0600 and
 * never through a symbolic link (superd runs as root).
 */
import { closeSync, constants as fsConstants, existsSync, fchmodSync, fstatSync, fsyncSync, ftruncateSync, lstatSync, openSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { UnsafeFileError, UsageError } from '../errors';

/**
 * Checked before anything changes in Jamf Pro, so a new secret is never issued into a file that
 * cannot be written: the folder must exist, and the path must not be a symbolic link, a FIFO, a
 * device or a folder (superd runs as root; a link planted in a shared folder would send the
 * secret elsewhere, a FIFO would hand it to whoever reads it, a device would be overwritten).
 */
export function checkSecretFile(file: string): void {
  const folder = path.dirname(path.resolve(file));
  if (!existsSync(folder)) throw new UsageError(`--password-file: the folder ${folder} does not exist`);
  let stat;
  try {
    stat = lstatSync(file);
  } catch {
    // Not there yet: it is created with mode 0600.
    return;
  }
  if (stat.isSymbolicLink()) throw new UsageError(`--password-file: ${file} is a symbolic link; give the path of a regular file`);
  if (!stat.isFile()) throw new UsageError(`--password-file: ${file} is not a regular file (a FIFO, device or folder); give the path of a regular file`);
}

/**
 * Written with mode 0600, never through a symbolic link, never into a FIFO or device (O_NOFOLLOW
 * and O_NONBLOCK, then fstat before anything is truncated or written), and fsynced.
 */
export function writeSecretFile(file: string, secret: string): void {
  let fd: number;
  try {
    fd = openSync(file, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw new UnsafeFileError(file, 'symbolic-link', 'is a symbolic link; the secret was not written');
    if (code === 'ENXIO') throw new UnsafeFileError(file, 'not-regular', 'is a FIFO or device; the secret was not written');
    throw error;
  }
  try {
    if (!fstatSync(fd).isFile()) throw new UnsafeFileError(file, 'not-regular', 'is not a regular file; the secret was not written');
    fchmodSync(fd, 0o600);
    ftruncateSync(fd, 0);
    writeSync(fd, `${secret}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
