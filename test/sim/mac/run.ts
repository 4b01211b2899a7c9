import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface FakeRunResult {
  stdout: string;
  stderr: string;
  /** Exit status; null when ended by a signal. */
  code: number | null;
}

export interface FakeRunOptions {
  /** Written to stdin, then closed (stdin is closed empty when omitted). */
  stdin?: string;
  env?: Record<string, string>;
  /** Default 10 s: the fake is killed and the promise rejects. */
  timeoutMs?: number;
  /**
   * Capture stdout and stderr into one stream in write order (like super's `2>&1`): the result's
   * `stdout` holds both and `stderr` is empty.
   */
  merged?: boolean;
}

/**
 * Runs a fake by its macOS path under `root` (e.g. `/usr/bin/sw_vers`), directly through its
 * `#!/usr/bin/env node` line, the way superd runs commands: no shell.
 */
export function runFake(root: string, macPath: string, args: readonly string[] = [], options: FakeRunOptions = {}): Promise<FakeRunResult> {
  if (options.merged) return runMerged(root, macPath, args, options);
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, macPath), [...args], { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${macPath} ${args.join(' ')} did not finish within ${options.timeoutMs ?? 10_000} ms`));
    }, options.timeoutMs ?? 10_000);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), code });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

/** Both streams into one file descriptor, so the order of writes is kept. */
async function runMerged(root: string, macPath: string, args: readonly string[], options: FakeRunOptions): Promise<FakeRunResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'superd-fake-out-'));
  const file = path.join(dir, 'merged');
  const fd = fs.openSync(file, 'w');
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(path.join(root, macPath), [...args], { env: { ...process.env, ...options.env }, stdio: ['pipe', fd, fd] });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${macPath} ${args.join(' ')} did not finish within ${options.timeoutMs ?? 10_000} ms`));
      }, options.timeoutMs ?? 10_000);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve(status);
      });
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.stdin ?? '');
    });
    return { stdout: fs.readFileSync(file, 'utf8'), stderr: '', code };
  } finally {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
