/**
 * The idle daemon's log: the same file and line form as superd's logger (`<time> <level>
 * [<category>] message`), redacted the same way, and the same unified-log sink (subsystem
 * com.github.superd through the os_log helper, else `logger`), without loading winston, so the
 * daemon stays small while it waits. Its workers' output comes here too, line by line. Best
 * effort: the daemon keeps working without a log.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { UnsafeFileError } from '../errors';
import { appendRegularFileSync } from '../host/safeFile';
import { checkLogFolder, LOG_FILE_MODE, setAsideUnsafeLogFile } from './logFileSafety';
import { logFileName } from './logFileName';
import { redactText } from './redactText';
import type { UnifiedLogSink } from './unifiedLogSink';

export type DaemonLogLevel = 'info' | 'warn' | 'error';
export type DaemonLog = (message: string, level?: DaemonLogLevel, category?: string) => void;

/** One line, no control characters: a message cannot forge the next entry. */
function oneLine(text: string): string {
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

export function createDaemonLog(folder: string, now: () => Date = () => new Date(), unified: UnifiedLogSink | null = null): DaemonLog {
  const file = path.join(folder, logFileName);
  let refusedFolder = false;
  return (message, level = 'info', category = 'daemon') => {
    try {
      const text = oneLine(redactText(message));
      unified?.write({ level, category, message: text });
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o750 });
      checkLogFolder(path.dirname(file));
      const line = `${now().toISOString()} ${level} [${category}] ${text}\n`;
      try {
        // Created 0640, never through a link, never into a FIFO or device (issue 16).
        appendRegularFileSync(file, line, LOG_FILE_MODE);
      } catch (error) {
        if (!(error instanceof UnsafeFileError)) throw error;
        setAsideUnsafeLogFile(file, error, now());
        appendRegularFileSync(file, line, LOG_FILE_MODE);
      }
    } catch (error) {
      // Best effort; a log folder that is a link is said once.
      if (error instanceof UnsafeFileError && !refusedFolder) {
        refusedFolder = true;
        process.stderr.write(`superd: warning: ${error.message}; logging without the log file\n`);
      }
    }
  };
}
