import * as path from 'node:path';
import type { LogLevel, UnifiedLogEntry, UnifiedLogSink } from './unifiedLogSink';

/** os_log's message types. */
export type OsLogType = 'default' | 'info' | 'debug' | 'error' | 'fault';

/**
 * What the native addon exports: `os_log_with_type(os_log_create(subsystem, category), type,
 * "%{public}s", message)`. Messages arrive redacted, so the addon marks them public; otherwise
 * the unified log would show `<private>`.
 */
export interface NativeOsLog {
  log(subsystem: string, category: string, type: OsLogType, message: string): void;
}

/**
 * `log stream` shows default-and-above by default, so warnings and info are `default`;
 * verbose and debug need `--info`/`--debug`, as admins expect from other daemons.
 */
const OS_LOG_TYPE: Record<LogLevel, OsLogType> = {
  error: 'error',
  warn: 'default',
  info: 'default',
  verbose: 'info',
  debug: 'debug',
};

/** Where a node-gyp build would put the addon, from `daemon/log` and from `dist/daemon/log`. */
export function defaultAddonPaths(): string[] {
  return ['../../native/build/Release/superd_oslog.node', '../../../native/build/Release/superd_oslog.node'].map(
    (relative) => path.resolve(__dirname, relative),
  );
}

function isNativeOsLog(candidate: unknown): candidate is NativeOsLog {
  return typeof candidate === 'object' && candidate !== null && typeof (candidate as NativeOsLog).log === 'function';
}

export interface LoadNativeOsLogOptions {
  platform?: NodeJS.Platform;
  candidates?: readonly string[];
  load?: (file: string) => unknown;
}

/**
 * The loading seam for the os_log addon (not built in this repository). Returns `null` off
 * macOS, when no candidate file exists, or when what loads does not have the expected shape.
 */
export function loadNativeOsLog(options: LoadNativeOsLogOptions = {}): NativeOsLog | null {
  if ((options.platform ?? process.platform) !== 'darwin') return null;
  const load = options.load ?? ((file: string): unknown => require(file));
  for (const candidate of options.candidates ?? defaultAddonPaths()) {
    try {
      const loaded = load(candidate);
      if (isNativeOsLog(loaded)) return loaded;
    } catch {
      // absent or not loadable: try the next candidate
    }
  }
  return null;
}

/** A unified-log sink that calls the addon synchronously; os_log itself is non-blocking. */
export function createOsLogSink(native: NativeOsLog, subsystem: string): UnifiedLogSink {
  let closed = false;
  return {
    kind: 'native',
    write(entry: UnifiedLogEntry): void {
      if (closed) return;
      try {
        native.log(subsystem, entry.category, OS_LOG_TYPE[entry.level], entry.message);
      } catch {
        // the unified log is best effort; the file log has the line
      }
    },
    close: async () => {
      closed = true;
    },
  };
}
