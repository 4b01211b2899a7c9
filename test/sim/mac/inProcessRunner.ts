import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CommandAbortedError, CommandNotFoundError, CommandTimeoutError } from '../../../daemon/errors';
import { hostPath } from '../../../daemon/host/paths';
import { childEnv, createRunCommand, type CommandResult, type RunCommand, type RunOptions } from '../../../daemon/host/runCommand';
import { launcher } from './fakeMac';
import { requireRuntime, type FakeIo, type FakeRuntime } from './runtimeDir';

export interface InProcessRunOptions {
  /** Runs every file that is not one of the fake Mac's launchers. Default: the real spawning runner. */
  fallback?: RunCommand;
  /**
   * Calls that always run as real processes, even when the launcher is in place. Default:
   * `log stream` (it lives until a signal and prints as it goes; superd spawns it itself anyway).
   */
  realProcess?: (command: string, args: readonly string[]) => boolean;
}

type Target = { kind: 'missing' } | { kind: 'fake'; command: string } | { kind: 'other' };

const LAUNCHER_COMMAND = /\.main\(root, '([^']+)'\);\n$/;
/** Pids shown by in-process fakes (NSLog prefixes): plausible, and never this process's own. */
let nextPid = 61_000;

/**
 * What a file under the root is, judged as `spawn` would: absent, a directory or not executable
 * is "not found" (ENOENT/EACCES); a launcher written by createFakeMac, byte for byte, is a fake
 * that can run here; anything else (a test's own script) must run for real.
 */
function classify(root: string, file: string): Target {
  let real: string;
  try {
    real = fs.realpathSync(file);
    const stat = fs.statSync(real);
    if (!stat.isFile() || (stat.mode & 0o111) === 0) return { kind: 'missing' };
  } catch {
    return { kind: 'missing' };
  }
  let text: string;
  try {
    text = fs.readFileSync(real, 'utf8');
  } catch {
    return { kind: 'other' };
  }
  const command = LAUNCHER_COMMAND.exec(text)?.[1];
  if (command === undefined || !real.startsWith(`${root}/`)) return { kind: 'other' };
  const realPath = `/${path.relative(root, real)}`;
  return text === launcher(realPath, command) ? { kind: 'fake', command } : { kind: 'other' };
}

/** Runs a file for real with the given streams (a test's own script started by a fake). */
function spawnWith(file: string, argv: readonly string[], io: FakeIo, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(file, [...argv], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const onStop = () => child.kill('SIGTERM');
    io.signal.addEventListener('abort', onStop, { once: true });
    child.stdout.on('data', (chunk: Buffer) => io.out(chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => io.err(chunk.toString('utf8')));
    child.on('error', () => resolve(1));
    child.on('close', (code, signal) => {
      io.signal.removeEventListener('abort', onStop);
      resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(io.stdin);
  });
}

/**
 * superd's RunCommand port for a fake Mac, without a process per command: a command whose file
 * under `root` is one of the fake Mac's launchers runs its handler (runtime/fake-runtime.js
 * `dispatch`) in this process, with the given stdin and buffers for stdout and stderr. It records
 * the invocation as a launch does (invocations.jsonl, stdinUsed). As the real runner: an aborted
 * signal rejects with CommandAbortedError, a handler still running after `timeoutMs` with
 * CommandTimeoutError (the handler's stop signal is aborted either way), and a file that is
 * absent or not executable with CommandNotFoundError. Every other file runs through `fallback`.
 * The handlers are loaded once per test file from the repository's runtime folder, the files
 * createFakeMac copies into each root.
 */
export function createInProcessRunCommand(root: string, options: InProcessRunOptions = {}): RunCommand {
  const fallback = options.fallback ?? createRunCommand(root);
  const realProcess = options.realProcess ?? ((command, args) => command === '/usr/bin/log' && args[0] === 'stream');
  const runtime = requireRuntime<FakeRuntime>('fake-runtime.js');
  const realRoot = fs.realpathSync(root);

  /** A nested fake (`launchctl asuser … osascript`): same streams, its own pid and environment. */
  const execFrom = (io: FakeIo) => async (file: string, argv: readonly string[], extraEnv: Record<string, string>): Promise<number> => {
    const env = { ...io.env, ...extraEnv };
    const target = classify(realRoot, file);
    if (target.kind === 'missing') return 1;
    const nested: FakeIo = { ...io, env, pid: nextPid++ };
    nested.exec = execFrom(nested);
    if (target.kind === 'fake') return runtime.dispatch(realRoot, target.command, argv, nested);
    return spawnWith(file, argv, nested, env);
  };

  return (command: string, args: readonly string[], run: RunOptions): Promise<CommandResult> => {
    if (run.signal?.aborted) return Promise.reject(new CommandAbortedError(command));
    const target = classify(realRoot, hostPath(command, root));
    if (target.kind === 'missing') return Promise.reject(new CommandNotFoundError(command));
    if (target.kind === 'other' || realProcess(command, args)) return fallback(command, args, run);

    return new Promise((resolve, reject) => {
      const stdout: string[] = [];
      const stderr: string[] = [];
      const stop = new AbortController();
      const io: FakeIo = {
        stdin: run.stdin ?? '',
        out: (text) => void stdout.push(text),
        err: (text) => void stderr.push(text),
        env: childEnv(run.env),
        signal: stop.signal,
        pid: nextPid++,
        exec: () => Promise.resolve(1),
      };
      io.exec = execFrom(io);
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        run.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const fail = (error: Error) => finish(() => {
        stop.abort();
        reject(error);
      });
      const timer = setTimeout(() => fail(new CommandTimeoutError(command, run.timeoutMs)), run.timeoutMs);
      const onAbort = () => fail(new CommandAbortedError(command));
      run.signal?.addEventListener('abort', onAbort, { once: true });
      runtime.dispatch(realRoot, target.command, args, io).then(
        (exitCode) => finish(() => resolve({ stdout: stdout.join(''), stderr: stderr.join(''), exitCode })),
        (error: unknown) => finish(() => reject(error instanceof Error ? error : new Error(String(error)))),
      );
    });
  };
}
