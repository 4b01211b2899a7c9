import type { Logform } from 'winston';
import type { RunCommand } from '../host/runCommand';
import { LEVEL } from './infoSymbols';
import { renderMessage } from './lineFormat';
import { LoggerCommandSink } from './loggerCommandSink';
import { createOsLogSink, type NativeOsLog } from './osLogAddon';
import { TransportStream, type TransportStreamOptions } from './transportBase';
import type { SecretRegistry } from './secretRegistry';
import type { LogLevel, UnifiedLogSink } from './unifiedLogSink';

/**
 * `auto`: on macOS the native addon if loadable, else `/usr/bin/logger`; elsewhere nothing.
 * `native`: the addon or nothing. `logger`: `/usr/bin/logger` on any platform. `off`: nothing.
 */
export type UnifiedLogMode = 'auto' | 'native' | 'logger' | 'off';

export interface UnifiedLogChoice {
  sink: UnifiedLogSink | null;
  /** Why an explicitly requested unified log is not available, for one warning. */
  problem?: string;
}

export interface SelectUnifiedLogSinkOptions {
  platform: NodeJS.Platform;
  subsystem: string;
  runCommand: RunCommand;
  loadNativeOsLog: () => NativeOsLog | null;
  onLoggerDisabled?: (reason: string) => void;
}

/** Picks the unified-log sink for a mode; loads the addon only when the mode may use it. */
export function selectUnifiedLogSink(mode: UnifiedLogMode, options: SelectUnifiedLogSinkOptions): UnifiedLogChoice {
  const loggerSink = () => new LoggerCommandSink(options.runCommand, options.onLoggerDisabled);
  switch (mode) {
    case 'off':
      return { sink: null };
    case 'logger':
      return { sink: loggerSink() };
    case 'native': {
      const native = options.loadNativeOsLog();
      return native
        ? { sink: createOsLogSink(native, options.subsystem) }
        : { sink: null, problem: 'the native os_log addon is not available; the unified log is off' };
    }
    case 'auto': {
      if (options.platform !== 'darwin') return { sink: null };
      const native = options.loadNativeOsLog();
      return { sink: native ? createOsLogSink(native, options.subsystem) : loggerSink() };
    }
  }
}

/**
 * Hands each (already redacted) entry to a {@link UnifiedLogSink}; never waits for it. Like the
 * file's lines, the finished message is masked once more with the registry.
 */
export class UnifiedLogTransport extends TransportStream {
  readonly sink: UnifiedLogSink;
  readonly #registry: SecretRegistry | undefined;

  constructor(sink: UnifiedLogSink, registry?: SecretRegistry, options: TransportStreamOptions = {}) {
    super(options);
    this.sink = sink;
    this.#registry = registry;
  }

  override log(info: Logform.TransformableInfo, next: () => void): void {
    try {
      this.sink.write({
        level: (info[LEVEL] ?? info.level) as LogLevel,
        category: typeof info.category === 'string' ? info.category : 'superd',
        message: this.#registry ? this.#registry.mask(renderMessage(info)) : renderMessage(info),
      });
    } catch {
      // best effort: the file log has the entry
    }
    next();
  }
}
