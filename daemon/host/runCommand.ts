import { spawn } from 'node:child_process';
import { CommandAbortedError, CommandNotFoundError, CommandTimeoutError } from '../errors';
import { trackChild } from './childGroups';
import { hostPath, superdRoot } from './paths';

export interface CommandResult {
  stdout: string;
  stderr: string;
  /** Exit status; `null` when the process was ended by a signal. */
  exitCode: number | null;
}

export interface RunOptions {
  /** Milliseconds before the command is stopped (SIGTERM, then SIGKILL). Required: every call has one. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Written to standard input, then closed. The only route a secret may take into a command. */
  stdin?: string;
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
}

/** The port every adapter uses: an absolute macOS command path and an argument array, never a shell. */
export type RunCommand = (command: string, args: readonly string[], options: RunOptions) => Promise<CommandResult>;

const KILL_GRACE_MS = 2000;

/**
 * The child's environment: PATH and HOME only, plus what the caller adds. Users' locale
 * variables would localise the text we parse, and SYSTEM_VERSION_COMPAT makes sw_vers lie
 * (reference/macos-commands.md, cross-cutting facts 5).
 */
export function childEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: '/usr/bin:/bin:/usr/sbin:/sbin',
    HOME: process.env.HOME ?? '/var/root',
  };
  if (process.env.SUPERD_ROOT) {
    env.SUPERD_ROOT = process.env.SUPERD_ROOT;
    // Fakes are Node scripts; let them find the same Node as superd.
    env.PATH = `${process.env.PATH ?? ''}:${env.PATH}`;
  }
  return { ...env, ...extra };
}

/** Creates the runner that resolves commands under `root` (SUPERD_ROOT by default). */
export function createRunCommand(root: string = superdRoot()): RunCommand {
  return (command, args, options) => runResolved(command, hostPath(command, root), args, options);
}

function runResolved(name: string, file: string, args: readonly string[], options: RunOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new CommandAbortedError(name));
      return;
    }
    // detached: the child leads its own process group, so stopping it also stops whatever
    // it started (a `sh` wrapper's `sleep`, `launchctl asuser`'s osascript) and no orphan
    // keeps our pipes open.
    const child = spawn(file, args, {
      shell: false,
      detached: true,
      env: childEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // Listed until it exits, so a run that ends or is stopped (SIGTERM, SIGINT) stops its group too.
    const forget = trackChild(child.pid, true);
    child.once('exit', forget);
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let settled = false;
    let failure: Error | undefined;

    const stop = (error: Error) => {
      if (failure) return;
      failure = error;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS).unref();
    };
    const timer = setTimeout(() => stop(new CommandTimeoutError(name, options.timeoutMs)), options.timeoutMs);
    const onAbort = () => stop(new CommandAbortedError(name));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };

    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish(() => reject(error.code === 'ENOENT' || error.code === 'EACCES' ? new CommandNotFoundError(name) : error));
    });
    // After a timeout or abort, settle on exit: a stray grandchild may still hold the pipes.
    child.on('exit', () => {
      if (failure) finish(() => reject(failure));
    });
    child.on('close', (code) => {
      finish(() => {
        if (failure) reject(failure);
        else resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), exitCode: code });
      });
    });
    // A command that exits without reading stdin closes the pipe early; that is not our error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

/**
 * A runner that reports every command it runs (path, arguments, exit status) — for
 * `--verbose-mode`. Arguments never hold a secret (secrets go on stdin), and stdin is not reported.
 */
export function reportingRunCommand(run: RunCommand, report: (e: { command: string; args: readonly string[]; exitCode: number | null; error?: string }) => void): RunCommand {
  return async (command, args, options) => {
    try {
      const result = await run(command, args, options);
      report({ command, args, exitCode: result.exitCode });
      return result;
    } catch (error) {
      report({ command, args, exitCode: null, error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  };
}
