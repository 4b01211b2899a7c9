import { spawn } from 'node:child_process';
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
}

/**
 * Runs a fake by its macOS path under `root` (e.g. `/usr/bin/sw_vers`), directly through its
 * `#!/usr/bin/env node` line, the way superd runs commands: no shell.
 */
export function runFake(root: string, macPath: string, args: readonly string[] = [], options: FakeRunOptions = {}): Promise<FakeRunResult> {
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
