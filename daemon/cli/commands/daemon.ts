/**
 * `superd daemon`: the long-running mode launchd starts. This file only parses its arguments;
 * the daemon itself is daemon/schedule/daemonLoop.ts.
 */
import * as path from 'node:path';
import { superdRoot } from '../../host/paths';
import { ExitStatus, exitStatusFor } from '../../exitStatus';
import { runDaemon } from '../../schedule/daemonLoop';
import type { Output } from '../output';
import { AlreadyRunningError, UsageError } from '../../errors';
import { optionName } from '../argumentName';

/** The wall clock is compared with the absolute times at most this often. */
const DEFAULT_TICK_SECONDS = 60;

export interface DaemonOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Resolves when the daemon should stop (tests); default: SIGTERM or SIGINT. */
  readonly stopSignal?: Promise<void>;
}

export async function daemonCommand(args: readonly string[], output: Output, options: DaemonOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const tickSeconds = parseTick(args);
  // Listened for at once: a SIGTERM while starting up still stops cleanly and frees the lock.
  const stopRequested = options.stopSignal ?? new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  try {
    // main.js beside this folder: the same in the tsc build and in the bundle (cli/commands/core.js).
    await runDaemon({ root: superdRoot(env), env, tickSeconds, stopRequested, workerMain: path.resolve(__dirname, '..', 'main.js') });
    return ExitStatus.ok;
  } catch (error) {
    if (error instanceof AlreadyRunningError) {
      output.err(`superd: ${error.message}`);
      return exitStatusFor(error);
    }
    throw error;
  }
}

function parseTick(args: readonly string[]): number {
  let tick = DEFAULT_TICK_SECONDS;
  for (const [index, arg] of args.entries()) {
    const m = /^--tick-seconds=(\d+)$/.exec(arg);
    if (m && Number(m[1]) >= 1 && Number(m[1]) <= 60) tick = Number(m[1]);
    else throw new UsageError(`superd daemon takes only --tick-seconds=N (1–60); got ${optionName(arg, index + 1)}`);
  }
  return tick;
}

