import type { LogLevel, UnifiedLogEntry } from './unifiedLogSink';

/**
 * Where the package installs the os_log helper (native/oslog-helper), beside superd's other
 * files; resolved under SUPERD_ROOT like every macOS path, so tests install theirs in their root.
 */
export const OSLOG_HELPER_PATH = '/Library/Management/superd/app/bin/superd-oslog';

/** os_log's message types, as named on the helper's line protocol. */
export type OsLogType = 'default' | 'info' | 'debug' | 'error' | 'fault';

/**
 * `log stream` shows default-and-above by default, so warnings and info are `default`;
 * verbose and debug need `--level info`/`--level debug`, as admins expect from other daemons.
 */
export const OS_LOG_TYPE: Record<LogLevel, OsLogType> = {
  error: 'error',
  warn: 'default',
  info: 'default',
  verbose: 'info',
  debug: 'debug',
};

/** The helper skips lines over 16384 bytes; 4000 UTF-16 units stay below it even when escaped. */
export const MAX_MESSAGE_LENGTH = 4_000;
/** The helper's category rule (superd's categories are kebab-case already). */
const CATEGORY = /^[a-z0-9-]{1,63}$/;

/**
 * One line of the helper's protocol (native/oslog-helper/README.md):
 * `<type> TAB <category> TAB <message> LF`, the message with `\`, LF, CR and TAB escaped as
 * `\\`, `\n`, `\r`, `\t` and without NUL bytes, cut at {@link MAX_MESSAGE_LENGTH}.
 */
export function encodeHelperLine(entry: UnifiedLogEntry): string {
  const category = CATEGORY.test(entry.category) ? entry.category : 'superd';
  let message = entry.message.replace(/\0/g, '');
  if (message.length > MAX_MESSAGE_LENGTH) message = `${message.slice(0, MAX_MESSAGE_LENGTH).replace(/[\uD800-\uDBFF]$/, '')}…`;
  const escaped = message.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
  return `${OS_LOG_TYPE[entry.level]}\t${category}\t${escaped}\n`;
}
