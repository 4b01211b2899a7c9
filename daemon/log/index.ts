/**
 * superd's logging: one winston logger (file, console, unified log) behind a small interface,
 * and the redaction every entry goes through. Importing this module loads neither winston nor
 * any transport; {@link createLogger} does, when it is called.
 */
import type { CreateLoggerOptions, SuperdLogger } from './loggerTypes';

export type { CategoryLogger, CreateLoggerOptions, LogFormat, LogLevel, LogMethod, SuperdLogger, UnifiedLogMode } from './loggerTypes';
export type { OsLogType } from './osLogHelperProtocol';
export type { UnifiedLogEntry, UnifiedLogSink } from './unifiedLogSink';
export { REDACTED } from './redacted';
export { MIN_SECRET_LENGTH, SecretRegistry } from './secretRegistry';
export { isSensitiveKey } from './sensitiveKey';
export { redactText } from './redactText';
export { CIRCULAR, redact, TRUNCATED, UNREADABLE } from './redact';
export { redactFormat, redactInfo } from './redactFormat';
export { OSLOG_HELPER_PATH } from './osLogHelperProtocol';

/**
 * Creates superd's logger; see `createLogger.ts`. winston takes tens of milliseconds to load,
 * which `superd --version` and `superd status` should not pay, so it is loaded here, on call.
 */
export function createLogger(options: CreateLoggerOptions): SuperdLogger {
  return (require('./createLogger') as typeof import('./createLogger')).createLogger(options);
}
