import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CommandError } from '../errors';
import { trackChild } from './childGroups';
import { hostPath } from './paths';
import { childEnv } from './runCommand';

const LOG = '/usr/bin/log';
/** `log stream` prints its header at once; a stream that has not subscribed by then is broken. */
const SUBSCRIBE_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 2_000;

export interface LogStreamEntry {
  readonly process: string;
  readonly subsystem: string;
  readonly category: string;
  readonly message: string;
}

export interface LogStream {
  /** Stops the stream (SIGTERM, then SIGKILL) and resolves once the process has exited. */
  stop(): Promise<void>;
}

/**
 * `log stream --style ndjson --predicate P`: resolves once the header
 * (`Filtering the log data using …`) was printed, i.e. once the subscription exists, so an
 * event caused after this point cannot be missed. Each entry goes to `onEntry`.
 */
export function startLogStream(root: string, predicate: string, onEntry: (entry: LogStreamEntry) => void, signal?: AbortSignal): Promise<LogStream> {
  const child = spawn(hostPath(LOG, root), ['stream', '--style', 'ndjson', '--level', 'info', '--predicate', predicate], {
    shell: false,
    // Not detached: `log` starts no children of its own, and in superd's process group it is
    // also ended by what ends superd's group (Ctrl-C in a terminal, launchd's clean-up of the
    // job's process group; docs/decisions.md "Children die with superd").
    env: childEnv(undefined),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forget = trackChild(child.pid, false);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.once('exit', forget);
  void exit.then(() => (exited = true));
  const kill = (sig: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      child.kill(sig);
    } catch {
      // Already gone.
    }
  };
  const stream: LogStream = {
    stop: async () => {
      if (exited) return;
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), STOP_GRACE_MS);
      await exit;
      clearTimeout(timer);
    },
  };
  signal?.addEventListener('abort', () => void stream.stop(), { once: true });

  return new Promise((resolve, reject) => {
    let subscribed = false;
    const timer = setTimeout(() => fail(new CommandError(LOG, null, '', `${LOG} stream printed no header within ${SUBSCRIBE_TIMEOUT_MS / 1000} s`)), SUBSCRIBE_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      void stream.stop();
      reject(error);
    };
    child.once('error', (e) => fail(new CommandError(LOG, null, '', `${LOG} could not start: ${e.message}`)));
    void exit.then(() => {
      if (!subscribed) fail(new CommandError(LOG, child.exitCode, '', `${LOG} stream exited before it subscribed`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!subscribed) {
        if (line.startsWith('Filtering the log data')) {
          subscribed = true;
          clearTimeout(timer);
          resolve(stream);
        }
        return;
      }
      const entry = parseNdjsonEntry(line);
      if (entry) onEntry(entry);
    });
    child.stderr.resume();
  });
}

export function parseNdjsonEntry(line: string): LogStreamEntry | null {
  if (!line.startsWith('{')) return null;
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    const text = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : '');
    const image = text('processImagePath');
    return {
      process: image ? image.slice(image.lastIndexOf('/') + 1) : text('process'),
      subsystem: text('subsystem'),
      category: text('category'),
      message: text('eventMessage') || text('composedMessage'),
    };
  } catch {
    return null;
  }
}
