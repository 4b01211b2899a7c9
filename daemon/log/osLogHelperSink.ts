import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { childEnv } from '../host/runCommand';
import { encodeHelperLine } from './osLogHelperProtocol';
import type { UnifiedLogEntry, UnifiedLogSink } from './unifiedLogSink';

/** What may wait in the pipe to the helper; past it entries are counted and reported, not queued. */
const MAX_BUFFERED_BYTES = 256 * 1024;
const CLOSE_TIMEOUT_MS = 3_000;

/** True when `file` is a regular file we may execute. */
export function isUsableHelper(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export interface OsLogHelperSinkOptions {
  /** The helper's file, already resolved under SUPERD_ROOT. */
  file: string;
  /** Where entries go once the helper is gone (`/usr/bin/logger`); none: the unified log stops. */
  fallback?: () => UnifiedLogSink;
  /** Hears once why the helper is no longer used. */
  onProblem?: (reason: string) => void;
}

/**
 * Writes entries to the os_log helper's standard input, one protocol line each (already
 * redacted; the helper takes no arguments, so nothing reaches its argv). The helper starts on
 * the first entry and runs until close. `write` never blocks and never throws: the pipe's buffer
 * is bounded, and when the helper cannot start or dies, later entries go to the fallback.
 */
export class OsLogHelperSink implements UnifiedLogSink {
  readonly kind = 'helper';
  readonly #options: OsLogHelperSinkOptions;
  #child: ChildProcess | null = null;
  #exit: Promise<void> | null = null;
  #fallback: UnifiedLogSink | null = null;
  #failed = false;
  #dropped = 0;
  #closed = false;

  constructor(options: OsLogHelperSinkOptions) {
    this.#options = options;
  }

  write(entry: UnifiedLogEntry): void {
    if (this.#closed) return;
    if (this.#failed) {
      this.#fallback?.write(entry);
      return;
    }
    try {
      const stdin = (this.#child ?? this.#start())?.stdin;
      if (!stdin) {
        this.#fallback?.write(entry);
        return;
      }
      if (stdin.writableLength >= MAX_BUFFERED_BYTES) {
        this.#dropped++;
        return;
      }
      if (this.#dropped > 0) {
        stdin.write(encodeHelperLine({ level: 'warn', category: 'log', message: `${this.#dropped} entries were not sent to the unified log (too many at once); the log file has them` }));
        this.#dropped = 0;
      }
      stdin.write(encodeHelperLine(entry));
    } catch (error) {
      this.#fail(`the os_log helper failed: ${error instanceof Error ? error.message : String(error)}`);
      this.#fallback?.write(entry);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const child = this.#child;
    if (child && this.#exit) {
      // Keep the process alive until the helper has read everything and exited.
      child.ref();
      (child.stdin as { ref?: () => void } | null)?.ref?.();
      child.stdin?.end();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          child.kill('SIGTERM');
          resolve();
        }, CLOSE_TIMEOUT_MS);
      });
      await Promise.race([this.#exit, deadline]);
      clearTimeout(timer);
    }
    await this.#fallback?.close();
  }

  #start(): ChildProcess | null {
    if (!isUsableHelper(this.#options.file)) {
      this.#fail(`the os_log helper ${this.#options.file} is missing or not executable`);
      return null;
    }
    const child = spawn(this.#options.file, [], { shell: false, env: childEnv(undefined), stdio: ['pipe', 'ignore', 'ignore'] });
    this.#child = child;
    this.#exit = new Promise<void>((resolve) => {
      child.once('error', (error) => {
        this.#fail(`the os_log helper could not start: ${error.message}`);
        resolve();
      });
      child.once('exit', (code, signal) => {
        if (!this.#closed) this.#fail(`the os_log helper exited (${signal ? `signal ${signal}` : `status ${String(code)}`})`);
        resolve();
      });
    });
    // A helper that is gone makes writes fail with EPIPE; the exit handler reports it.
    child.stdin?.on('error', () => undefined);
    // An idle logger must not keep a command such as `superd status` from exiting.
    child.unref();
    (child.stdin as { unref?: () => void } | null)?.unref?.();
    return child;
  }

  #fail(reason: string): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#fallback = this.#options.fallback?.() ?? null;
    this.#options.onProblem?.(
      this.#fallback ? `${reason}; the unified log now goes through /usr/bin/logger` : `${reason}; the unified log is off`,
    );
  }
}
