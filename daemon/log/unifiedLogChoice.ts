/** Which unified-log sink to use: no winston here, so the idle daemon can use it too. */
import type { RunCommand } from '../host/runCommand';
import { LoggerCommandSink } from './loggerCommandSink';
import { isUsableHelper, OsLogHelperSink } from './osLogHelperSink';
import type { UnifiedLogSink } from './unifiedLogSink';

/**
 * `auto`: on macOS the os_log helper if installed (else, or once it dies, `/usr/bin/logger`);
 * elsewhere nothing. `helper`: the helper or nothing, on any platform. `logger`:
 * `/usr/bin/logger` on any platform. `off`: nothing.
 */
export type UnifiedLogMode = 'auto' | 'helper' | 'logger' | 'off';

export interface UnifiedLogChoice {
  sink: UnifiedLogSink | null;
  /** Why an explicitly requested unified log is not available, for one warning. */
  problem?: string;
}

export interface SelectUnifiedLogSinkOptions {
  platform: NodeJS.Platform;
  /** The os_log helper's file, resolved under SUPERD_ROOT. */
  helperFile: string;
  runCommand: RunCommand;
  onLoggerDisabled?: (reason: string) => void;
  /** Hears once why the helper stopped being used (it died, or could not start). */
  onHelperProblem?: (reason: string) => void;
}

/** Picks the unified-log sink for a mode; looks for the helper only when the mode may use it. */
export function selectUnifiedLogSink(mode: UnifiedLogMode, options: SelectUnifiedLogSinkOptions): UnifiedLogChoice {
  const loggerSink = () => new LoggerCommandSink(options.runCommand, options.onLoggerDisabled);
  const helperSink = (fallback?: () => UnifiedLogSink) =>
    new OsLogHelperSink({ file: options.helperFile, ...(fallback ? { fallback } : {}), ...(options.onHelperProblem ? { onProblem: options.onHelperProblem } : {}) });
  switch (mode) {
    case 'off':
      return { sink: null };
    case 'logger':
      return { sink: loggerSink() };
    case 'helper':
      return isUsableHelper(options.helperFile)
        ? { sink: helperSink() }
        : { sink: null, problem: `the os_log helper ${options.helperFile} is missing or not executable; the unified log is off` };
    case 'auto': {
      if (options.platform !== 'darwin') return { sink: null };
      return { sink: isUsableHelper(options.helperFile) ? helperSink(loggerSink) : loggerSink() };
    }
  }
}

