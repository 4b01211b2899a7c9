import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildLinuxStubHelper, findClang } from '../../scripts/buildNative';

/** One call the stub os_log received (native/oslog-helper/stub/oslog_stub.c prints them). */
export type StubCall =
  | { call: 'create'; subsystem: string; category: string }
  | { call: 'log'; type: string; category: string; format: string; buffer: string; message: string };

/** Parses the stub's output lines; its message column escapes \, LF, CR and TAB. */
export function parseStubOutput(stdout: string): StubCall[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line): StubCall => {
      const [call, ...fields] = line.split('\t');
      if (call === 'create' && fields.length === 2) return { call, subsystem: fields[0]!, category: fields[1]! };
      if (call === 'log' && fields.length === 5) {
        const message = fields[4]!.replace(/\\([\\nrt])/g, (_m, c: string) => ({ '\\': '\\', n: '\n', r: '\r', t: '\t' })[c]!);
        return { call, type: fields[0]!, category: fields[1]!, format: fields[2]!, buffer: fields[3]!, message };
      }
      throw new Error(`unexpected stub output line: ${JSON.stringify(line)}`);
    });
}

/** The C helper built for this machine against the stub, or why it cannot be (no clang). */
export function buildStubHelper(): { file: string; cleanup: () => void } | { missing: string } {
  const clang = findClang();
  if (!clang) return { missing: 'clang not found: install the Debian package clang (apt-get install -y clang lld)' };
  const dir = mkdtempSync(path.join(tmpdir(), 'superd-oslog-stub-'));
  const file = buildLinuxStubHelper(path.join(dir, 'superd-oslog'), clang);
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the stub-built helper once with `input` on stdin. */
export function runStubHelper(file: string, input: string | Buffer, args: string[] = []): { status: number | null; calls: StubCall[]; stderr: string } {
  const result = spawnSync(file, args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, calls: parseStubOutput(result.stdout), stderr: result.stderr };
}
