import * as fs from 'node:fs';

/**
 * What both ways of serving fake commands from the test process share (commandServer.ts replaces
 * launchers, nodeShimServer.ts puts a `node` shim on PATH): quoting for the sh scripts they
 * write, and handing a waiting shell its exit status.
 */

/** `text` as one single-quoted POSIX sh word. */
export const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * Writes `code` and a newline to the FIFO a served call's shell reads its exit status from.
 * Never waits: when that shell is gone (stopped by superd, killed by a test) there is no reader,
 * the open fails at once (ENXIO; ENOENT once its files are removed) and this returns false.
 */
export function answerStatus(fifo: string, code: number): boolean {
  let fd: number;
  try {
    fd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  } catch {
    return false;
  }
  try {
    fs.writeSync(fd, `${code}\n`);
    return true;
  } catch {
    return false;
  } finally {
    fs.closeSync(fd);
  }
}
