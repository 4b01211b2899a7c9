import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

/** Ends each recorded invocation in the argv file. */
export const END_OF_CALL = '--- end of call ---';

/**
 * Installs a fake `/usr/bin/logger` under `root` that appends its arguments, one per line, to
 * `<root>/logger-argv.txt`. Returns a reader for what it recorded.
 */
export async function installFakeLogger(root: string, exitCode = 0): Promise<{ calls: () => Promise<string[][]>; raw: () => Promise<string> }> {
  const bin = path.join(root, 'usr', 'bin');
  const argvFile = path.join(root, 'logger-argv.txt');
  await mkdir(bin, { recursive: true });
  const script = [
    '#!/bin/sh',
    `for arg in "$@"; do printf '%s\\n' "$arg"; done >> '${argvFile}'`,
    `printf '%s\\n' '${END_OF_CALL}' >> '${argvFile}'`,
    `exit ${exitCode}`,
    '',
  ].join('\n');
  await writeFile(path.join(bin, 'logger'), script);
  await chmod(path.join(bin, 'logger'), 0o755);
  const raw = () => readFile(argvFile, 'utf8').catch(() => '');
  return {
    raw,
    calls: async () =>
      (await raw())
        .split(`${END_OF_CALL}\n`)
        .filter((call) => call !== '')
        .map((call) => call.replace(/\n$/, '').split('\n')),
  };
}
