import * as fs from 'node:fs';
import * as path from 'node:path';
import winston = require('winston');
import type { Logform } from 'winston';
import { UnsafeFileError } from '../errors';
import { SAFE_APPEND_FLAGS } from '../host/safeFile';
import { logFileName } from './logFileName';
import { LOG_FILE_MODE, prepareLogFile } from './logFileSafety';
import { TransportStream, type TransportStreamOptions } from './transportBase';

/** 5 MB × 3 files: superd.log, then superd1.log and superd2.log (older). */
export const LOG_FILE_MAX_BYTES = 5 * 1024 * 1024;
export const LOG_FILE_COUNT = 3;
/** How long the first open may take before the file is given up. */
const OPEN_TIMEOUT_MS = 5_000;
/** How long closing waits for a rotation winston started with the last lines. */
const ROTATION_SETTLE_MS = 2_000;

/** `<dir>/logs/superd.log` */
export function logFilePath(dir: string): string {
  return path.join(dir, logFileName);
}

export interface LogFileOptions {
  file: string;
  maxBytes?: number;
  maxFiles?: number;
  /** Hears once why the file cannot be used (the folder cannot be created or written). */
  onProblem?: (problem: string) => void;
  /** Where a warning about something set aside in the file's place goes (default: stderr). */
  onWarning?: (line: string) => void;
}

type FileTransport = winston.transports.FileTransportInstance;

/**
 * The size-capped log file, created on the first line rather than at start: a `superd` command
 * that logs nothing touches no file, and nothing is scanned or rotated at start.
 *
 * It wraps winston's File transport and works around three of its faults (winston 3.19):
 * - with `lazy: true`, a size-capped file stops writing after its first rotation, so the File
 *   transport is instead created (non-lazy) on the first line;
 * - lines written while the file is still opening are lost if they exceed the size cap
 *   (the "rotated while opening" path), so lines are handed over only once it is open, through
 *   its stream interface so that its back-pressure holds them during later rotations.
 * - it goes on rotating (renaming files) after its 'finish', so closing waits for that too.
 * It also checks the folder first and gives up after a timeout: the File transport waits
 * forever, silently, on a file it cannot open, and would stall every other transport.
 */
export class LogFileTransport extends TransportStream {
  readonly #options: LogFileOptions;
  #file: FileTransport | undefined;
  #opened: Promise<boolean> | undefined;
  #unusable = false;

  constructor(options: LogFileOptions, transportOptions: TransportStreamOptions = {}) {
    super(transportOptions);
    this.#options = options;
  }

  override log(info: Logform.TransformableInfo, next: () => void): void {
    if (this.#unusable) {
      next();
      return;
    }
    this.#opened ??= this.#open();
    void this.#opened.then((open) => {
      const file = this.#file;
      if (!open || !file || this.#unusable) next();
      else if (file.write(info)) next();
      else file.once('drain', next);
    });
  }

  override _final(callback: (error?: Error | null) => void): void {
    const file = this.#file;
    if (!file || this.#unusable) {
      callback();
      return;
    }
    file.once('finish', () => void rotationSettled(file).then(() => callback()));
    file.end();
  }

  async #open(): Promise<boolean> {
    const { file, maxBytes = LOG_FILE_MAX_BYTES, maxFiles = LOG_FILE_COUNT } = this.#options;
    const folder = path.dirname(file);
    try {
      fs.mkdirSync(folder, { recursive: true, mode: 0o755 });
      fs.accessSync(folder, fs.constants.W_OK);
    } catch (error) {
      return this.#giveUp(`cannot write the log file ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    // A regular file of mode 0640 before winston opens it (winston's stat follows links): a link,
    // FIFO or device in its place is set aside with a warning; a link as the folder is refused.
    const ext = path.extname(file);
    const rotated = Array.from({ length: Math.max(0, maxFiles - 1) }, (_, i) => path.join(folder, `${path.basename(file, ext)}${i + 1}${ext}`));
    try {
      prepareLogFile(file, rotated, new Date(), this.#options.onWarning);
    } catch (error) {
      if (error instanceof UnsafeFileError) return this.#giveUp(`cannot use the log file ${file}: ${error.message}`);
      return this.#giveUp(`cannot write the log file ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    const transport = new winston.transports.File({
      filename: file,
      maxsize: maxBytes,
      maxFiles,
      tailable: true,
      // Redacted, but it names users and computers: not world-readable. O_NOFOLLOW also on the
      // files winston opens after a rotation: a link planted meanwhile fails the open, never followed.
      options: { flags: SAFE_APPEND_FLAGS, mode: LOG_FILE_MODE },
    });
    transport.on('error', (error: unknown) => this.emit('error', error));
    this.#file = transport;
    const opened = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), OPEN_TIMEOUT_MS);
      transport.once('open', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    return opened || this.#giveUp(`cannot open the log file ${file} (no answer in ${OPEN_TIMEOUT_MS / 1000} s)`);
  }

  #giveUp(problem: string): false {
    this.#unusable = true;
    this.#options.onProblem?.(`${problem}; logging without it`);
    return false;
  }
}

/**
 * winston decides to rotate in a write's callback, and goes on renaming files and opening the
 * next one after its 'finish': a reader (or a process that exits) right after close would see
 * files disappear. This waits until that rotation has opened its next file. It reads winston's
 * internal `_rotate`/`_opening` flags, the only signal it gives.
 */
async function rotationSettled(file: FileTransport): Promise<void> {
  const state = file as unknown as { _rotate?: boolean; _opening?: boolean };
  const deadline = Date.now() + ROTATION_SETTLE_MS;
  while ((state._rotate === true || state._opening === true) && Date.now() < deadline) {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        file.off('open', done);
        resolve();
      };
      const timer = setTimeout(done, 20);
      file.once('open', done);
    });
  }
}
