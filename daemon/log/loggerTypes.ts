import type { RunCommand } from '../host/runCommand';
import type { SecretRegistry } from './secretRegistry';
import type { UnifiedLogMode } from './unifiedLogTransport';
import type { LogLevel } from './unifiedLogSink';

export type { LogLevel } from './unifiedLogSink';
export type { UnifiedLogMode } from './unifiedLogTransport';

/** Text lines (`<time> <level> [<category>] <message> key=value`) or one JSON object a line. */
export type LogFormat = 'text' | 'json';

export interface CreateLoggerOptions {
  /** superd's folder, already resolved under SUPERD_ROOT; the file is `<dir>/logs/superd.log`. */
  dir: string;
  /** Applies to the file and the console. */
  format: LogFormat;
  /** `auto`: when standard error is a terminal. The console is standard error. */
  console: boolean | 'auto';
  unifiedLog: UnifiedLogMode;
  /** The most verbose level written (to every transport). */
  level: LogLevel;
  /** The secrets to remove from every entry; may grow after the logger is created. */
  registry: SecretRegistry;
  /** Runs `/usr/bin/logger` for the unified-log fallback; default: the host runner under SUPERD_ROOT. */
  runCommand?: RunCommand;
  /** Where SUPERD_ROOT is read (the default runner, the os_log helper's path). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Default `process.platform`. */
  platform?: NodeJS.Platform;
  /** The size cap of the log file. Default 5 MB × 3 files (superd.log, superd1.log, superd2.log). */
  logFile?: { maxBytes?: number; maxFiles?: number };
  /** The clock for timestamps. */
  now?: () => Date;
}

/**
 * One log method. `meta` is a record of fields (`{ computerId, status }`) or an Error; with
 * printf tokens in the message (`'retry in %d s'`), the arguments fill them first.
 */
export interface LogMethod {
  (message: string, meta?: Readonly<Record<string, unknown>> | Error): void;
  (message: string, ...args: unknown[]): void;
}

/** A logger for one kebab-case category (`config`, `jamf-api`, `lifecycle`, `auth`, `host`). */
export interface CategoryLogger {
  readonly category: string;
  error: LogMethod;
  warn: LogMethod;
  info: LogMethod;
  verbose: LogMethod;
  debug: LogMethod;
}

export interface SuperdLogger {
  /** A logger for one category; throws a TypeError unless the category is kebab-case. */
  child(category: string): CategoryLogger;
  /** Flushes the file and the unified log (bounded in time); later calls log nothing. */
  close(): Promise<void>;
}
