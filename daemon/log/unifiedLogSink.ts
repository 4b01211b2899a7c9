/** The five superd log levels, most severe first (winston's npm levels without http/silly). */
export type LogLevel = 'error' | 'warn' | 'info' | 'verbose' | 'debug';

/** One redacted entry on its way to the macOS unified log. */
export interface UnifiedLogEntry {
  level: LogLevel;
  /** kebab-case category (`jamf-api`), the os_log category. */
  category: string;
  /** `message key=value`, already redacted. */
  message: string;
}

/**
 * The one interface behind which the unified log is written: the os_log helper
 * (native/oslog-helper) when it is installed, else `/usr/bin/logger`. `write` never throws and
 * never blocks.
 */
export interface UnifiedLogSink {
  readonly kind: 'helper' | 'logger';
  write(entry: UnifiedLogEntry): void;
  /** Sends what is still queued (within a bounded time), then stops accepting entries. */
  close(): Promise<void>;
}
