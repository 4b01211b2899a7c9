import type { RunCommand } from '../host/runCommand';
import type { LogLevel, UnifiedLogEntry, UnifiedLogSink } from './unifiedLogSink';

/** The fallback writer; resolved under SUPERD_ROOT by the host command runner. */
export const LOGGER_COMMAND = '/usr/bin/logger';

/** syslog priorities; on macOS `user.notice` and above land in the unified log as Default. */
const PRIORITY: Record<LogLevel, string> = {
  error: 'user.err',
  warn: 'user.warning',
  info: 'user.notice',
  verbose: 'user.info',
  debug: 'user.debug',
};

const COMMAND_TIMEOUT_MS = 5_000;
/** Entries waiting for a `logger` process; more are counted and reported, not queued. */
const MAX_PENDING = 200;
/** syslog truncates long messages anyway; this keeps argv small. */
const MAX_MESSAGE_LENGTH = 4_000;
/** After this many failures in a row (`logger` missing, say), stop spawning. */
const MAX_CONSECUTIVE_FAILURES = 3;
const CLOSE_TIMEOUT_MS = 3_000;

/**
 * What starts every message of the fallback: `logger` entries have no subsystem, and the `-t`
 * tag is not part of eventMessage (reference/macos-commands.md §13), so admins find them with
 * `process == "logger" AND eventMessage BEGINSWITH "superd: "`.
 */
export const LOGGER_MESSAGE_PREFIX = 'superd: ';

/**
 * `logger -t superd -p user.notice -- "superd: [category] message"`. The message is the only
 * argument that varies, it is already redacted, and `--` keeps a message starting with `-` from
 * being read as an option. There is no shell.
 */
export function loggerArguments(entry: UnifiedLogEntry): string[] {
  let text = `${LOGGER_MESSAGE_PREFIX}[${entry.category}] ${entry.message}`.replace(/\0/g, '');
  if (text.length > MAX_MESSAGE_LENGTH) text = `${text.slice(0, MAX_MESSAGE_LENGTH)}…`;
  return ['-t', 'superd', '-p', PRIORITY[entry.level], '--', text];
}

/**
 * Sends entries to the unified log through `/usr/bin/logger`, one process at a time so that
 * entries keep their order. The queue is bounded; when it overflows, the loss is reported as one
 * entry. `onDisabled` hears once why the sink gave up.
 */
export class LoggerCommandSink implements UnifiedLogSink {
  readonly kind = 'logger';
  readonly #runCommand: RunCommand;
  readonly #onDisabled: ((reason: string) => void) | undefined;
  #pending: string[][] = [];
  #draining: Promise<void> | null = null;
  #dropped = 0;
  #failures = 0;
  #disabled = false;
  #closed = false;

  constructor(runCommand: RunCommand, onDisabled?: (reason: string) => void) {
    this.#runCommand = runCommand;
    this.#onDisabled = onDisabled;
  }

  write(entry: UnifiedLogEntry): void {
    if (this.#closed || this.#disabled) return;
    if (this.#pending.length >= MAX_PENDING) {
      this.#dropped++;
      return;
    }
    this.#pending.push(loggerArguments(entry));
    this.#draining ??= this.#drain();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (!this.#draining) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
      timer.unref();
    });
    await Promise.race([this.#draining, deadline]);
    clearTimeout(timer);
    this.#pending = [];
  }

  async #drain(): Promise<void> {
    try {
      for (let args = this.#next(); args && !this.#disabled; args = this.#next()) {
        await this.#send(args);
      }
    } finally {
      this.#draining = null;
    }
  }

  #next(): string[] | undefined {
    const args = this.#pending.shift();
    if (args || this.#dropped === 0) return args;
    const dropped = this.#dropped;
    this.#dropped = 0;
    return loggerArguments({
      level: 'warn',
      category: 'log',
      message: `${dropped} entries were not sent to the unified log (too many at once); the log file has them`,
    });
  }

  async #send(args: string[]): Promise<void> {
    let problem: string;
    try {
      const result = await this.#runCommand(LOGGER_COMMAND, args, { timeoutMs: COMMAND_TIMEOUT_MS });
      if (result.exitCode === 0) {
        this.#failures = 0;
        return;
      }
      problem = `${LOGGER_COMMAND} exited with status ${String(result.exitCode)}`;
    } catch (error) {
      problem = `${LOGGER_COMMAND} failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (++this.#failures >= MAX_CONSECUTIVE_FAILURES && !this.#disabled) {
      this.#disabled = true;
      this.#pending = [];
      this.#onDisabled?.(problem);
    }
  }
}
