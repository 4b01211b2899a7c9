/**
 * A new password or client secret that an admin asked to have written to a file
 * (`--password-file`): checked before anything changes in Jamf Pro, written with mode 0600 and
 * never through a symbolic link (superd runs as root).
 */
import { closeSync, constants as fsConstants, existsSync, fchmodSync, lstatSync, openSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../errors';

/**
 * Checked before anything changes in Jamf Pro, so a new secret is never issued into a file that
 * cannot be written: the folder must exist, and the path must not be a symbolic link (superd runs
 * as root; a link planted in a shared folder would send the secret elsewhere).
 */
export function checkSecretFile(file: string): void {
  const folder = path.dirname(path.resolve(file));
  if (!existsSync(folder)) throw new UsageError(`--password-file: the folder ${folder} does not exist`);
  let link = false;
  try {
    link = lstatSync(file).isSymbolicLink();
  } catch {
    // Not there yet: it is created with mode 0600.
  }
  if (link) throw new UsageError(`--password-file: ${file} is a symbolic link; give the path of a regular file`);
}

/** Written with mode 0600, never through a symbolic link. */
export function writeSecretFile(file: string, secret: string): void {
  const fd = openSync(file, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC | fsConstants.O_NOFOLLOW, 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, `${secret}\n`);
  } finally {
    closeSync(fd);
  }
}

