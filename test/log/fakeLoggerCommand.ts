import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { hostPath } from '../../daemon/host/paths';
import { OSLOG_HELPER_PATH } from '../../daemon/log/osLogHelperProtocol';

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

/**
 * Installs a fake os_log helper at `<root>/Library/Management/superd/app/bin/superd-oslog` (where
 * superd looks for it under SUPERD_ROOT). It records how many arguments it got and copies its
 * standard input (the helper's line protocol, native/oslog-helper/README.md) to
 * `<root>/oslog-helper-stdin.txt`; with `exitAtOnce` it exits with that status without reading.
 */
export async function installFakeOsLogHelper(root: string, exitAtOnce?: number): Promise<{ lines: () => Promise<string[]>; argCounts: () => Promise<string[]> }> {
  const bin = path.dirname(hostPath(OSLOG_HELPER_PATH, root));
  const stdinFile = path.join(root, 'oslog-helper-stdin.txt');
  const argcFile = path.join(root, 'oslog-helper-argc.txt');
  await mkdir(bin, { recursive: true });
  const body = exitAtOnce === undefined ? [`cat >> '${stdinFile}'`] : [`exit ${exitAtOnce}`];
  await writeFile(path.join(bin, 'superd-oslog'), ['#!/bin/sh', `printf '%s\\n' "$#" >> '${argcFile}'`, ...body, ''].join('\n'));
  await chmod(path.join(bin, 'superd-oslog'), 0o755);
  const read = (file: string) => readFile(file, 'utf8').catch(() => '');
  return {
    lines: async () => (await read(stdinFile)).split('\n').filter((line) => line !== ''),
    argCounts: async () => (await read(argcFile)).split('\n').filter((line) => line !== ''),
  };
}
