import winston = require('winston');
import type { Logform } from 'winston';
import { createRunCommand } from '../host/runCommand';
import { hostPath, superdRoot } from '../host/paths';
import { LogFileTransport, logFilePath } from './fileTransport';
import { lineFormat } from './lineFormat';
import type { CategoryLogger, CreateLoggerOptions, LogMethod, SuperdLogger } from './loggerTypes';
import { OSLOG_HELPER_PATH } from './osLogHelperProtocol';
import { redactFormat } from './redactFormat';
import { redactText } from './redactText';
import { StderrTransport } from './stderrTransport';
import type { LogLevel, UnifiedLogSink } from './unifiedLogSink';
import { selectUnifiedLogSink, UnifiedLogTransport } from './unifiedLogTransport';
import { InternalError } from '../errors';

/** The identifier everywhere (design.md §10): preference domain, launchd Label, log subsystem. */
export const SUBSYSTEM = 'com.github.superd';

const LEVELS: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, verbose: 3, debug: 4 };
const CATEGORY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CLOSE_TIMEOUT_MS = 5_000;

/**
 * Creates superd's one winston logger: the file `<dir>/logs/superd.log` (size-capped), standard
 * error when asked or interactive, and the unified log. Every entry is redacted on the logger
 * itself, before any transport, at every level. The file system is not touched until the
 * first line reaches the file.
 */
export function createLogger(options: CreateLoggerOptions): SuperdLogger {
  const { registry } = options;
  const lines = lineFormat(options.format, registry);
  let log: CategoryLogger | undefined;
  const transports: winston.transport[] = [
    new LogFileTransport(
      { file: logFilePath(options.dir), ...options.logFile, onProblem: (problem) => log?.warn(problem) },
      { format: lines },
    ),
  ];

  if (options.console === true || (options.console === 'auto' && process.stderr.isTTY === true)) {
    transports.push(new StderrTransport({ format: lines }));
  }

  const root = superdRoot(options.env ?? process.env);
  const unified = selectUnifiedLogSink(options.unifiedLog, {
    platform: options.platform ?? process.platform,
    helperFile: hostPath(OSLOG_HELPER_PATH, root),
    runCommand: options.runCommand ?? createRunCommand(root),
    onLoggerDisabled: (reason) => log?.warn('the unified log is off: /usr/bin/logger keeps failing', { reason }),
    onHelperProblem: (reason) => log?.warn(reason),
  });
  if (unified.sink) transports.push(new UnifiedLogTransport(unified.sink, registry));

  const now = options.now ?? (() => new Date());
  const timestamp: Logform.Format = {
    transform: (info) => {
      info.timestamp = now().toISOString();
      return info;
    },
  };
  const logger = winston.createLogger({
    levels: LEVELS,
    level: options.level,
    defaultMeta: { subsystem: SUBSYSTEM },
    // Redact before interpolation (so %s/%o/%j only see redacted arguments) and after it (so a
    // secret that interpolation assembled from pieces is caught too).
    format: winston.format.combine(redactFormat(registry), winston.format.splat(), redactFormat(registry), timestamp),
    transports,
    exitOnError: false,
  });
  let reportedFailure = false;
  logger.on('error', (error: unknown) => {
    if (reportedFailure) return;
    reportedFailure = true;
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`superd: logging failed: ${redactText(reason, registry)}\n`);
  });

  let closing: Promise<void> | undefined;
  let ended = false;
  const superdLogger: SuperdLogger = {
    child: (category) => categoryLogger(logger, category, () => closing !== undefined),
    close: () => (closing ??= closeLogger(logger, transports, unified.sink, () => (ended = true))),
  };
  // The logger's own problems (the unified log given up while closing, say) are still written
  // until the logger ends; every other category stops at close.
  log = categoryLogger(logger, 'log', () => ended);
  if (unified.problem) log.warn(unified.problem);
  return superdLogger;
}

function categoryLogger(logger: winston.Logger, category: string, isClosed: () => boolean): CategoryLogger {
  if (!CATEGORY.test(category)) {
    throw new InternalError(`log category "${category}" is not kebab-case (for example "jamf-api")`);
  }
  const target = logger.child({ category });
  const method =
    (level: LogLevel): LogMethod =>
    (message: unknown, ...args: unknown[]) => {
      if (isClosed() || !logger.isLevelEnabled(level)) return;
      try {
        if (message instanceof Error) target.log(level, message.message, { error: message }, ...args);
        else target.log(level, typeof message === 'string' ? message : String(message), ...args);
      } catch (error) {
        logger.emit('error', error);
      }
    };
  return {
    category,
    error: method('error'),
    warn: method('warn'),
    info: method('info'),
    verbose: method('verbose'),
    debug: method('debug'),
  };
}

/**
 * Ends the logger without losing lines. winston's Logger ends its transports as soon as its own
 * input is finished, even while lines still wait in its output buffer because a transport is
 * applying back-pressure (the file transport does while it rotates); those lines would then be
 * written after the transport ended and be lost. So: wait until every buffer is empty, let the
 * unified-log writer finish (what it reports, such as giving up, still reaches the file), wait
 * again, then end.
 */
async function closeLogger(logger: winston.Logger, transports: readonly winston.transport[], sink: UnifiedLogSink | null, markEnded: () => void): Promise<void> {
  const deadline = Date.now() + CLOSE_TIMEOUT_MS;
  const pending = () => logger.writableLength + logger.readableLength + transports.reduce((sum, t) => sum + t.writableLength, 0);
  const drained = async (): Promise<void> => {
    while (pending() > 0 && Date.now() < deadline) await delay(5);
  };
  await drained();
  await sink?.close();
  await drained();

  let timer: NodeJS.Timeout | undefined;
  const finished = new Promise<void>((resolve) => {
    logger.once('finish', resolve);
    logger.once('error', resolve);
    timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
  });
  markEnded();
  logger.end();
  await finished;
  clearTimeout(timer);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
