/**
 * Runs the package's real shell scripts (launchd/*) under /bin/sh against a fake Mac root
 * (SUPERD_ROOT). The root gets the payload the package would install: the real LaunchDaemon
 * plist, plus a stand-in bundled Node and `superd` that record how they were called. `/bin/sleep`
 * under the root returns at once and records its argument, so bounded waits cost no time.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createFakeMac, type FakeMac, type FakeMacOptions } from '../sim/mac';

export const LAUNCHD_DIR = path.join(__dirname, '../../launchd');
export const LABEL = 'com.github.superd';
export const PLIST = `/Library/LaunchDaemons/${LABEL}.plist`;
export const HOME_DIR = '/Library/Management/superd';

export interface ScriptResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** A fake Mac whose root also has /bin/sleep (instant, logged to .fake/sleeps.log). */
export async function createScriptMac(options: FakeMacOptions = {}): Promise<FakeMac> {
  const mac = await createFakeMac(options);
  writeExecutable(mac.root, '/bin/sleep', `#!/bin/sh\necho "$1" >> "${path.join(mac.root, '.fake/sleeps.log')}"\n`);
  return mac;
}

export function writeExecutable(root: string, macPath: string, text: string): void {
  const file = path.join(root, macPath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode: 0o755 });
}

/**
 * Writes what the package's payload puts on `volume` (a path under the root; "/" for the
 * startup volume): the real plist, a bundled-Node stand-in answering --version, and a superd
 * stand-in that logs its arguments to .fake/superd-calls.log (one JSON array per call).
 */
export function installPayload(root: string, volume = '/', opts: { nodeRuns?: boolean } = {}): void {
  const at = (p: string) => path.join(root, volume, p);
  fs.mkdirSync(path.dirname(at(PLIST)), { recursive: true });
  fs.copyFileSync(path.join(LAUNCHD_DIR, 'com.github.superd.plist'), at(PLIST));
  // pkgbuild installs the plist 0644; make it writable so postinstall must fix it.
  fs.chmodSync(at(PLIST), 0o664);
  const node = opts.nodeRuns === false
    ? '#!/bin/sh\necho "dyld[1]: Symbol not found" >&2\nexit 134\n'
    : '#!/bin/sh\n[ "$1" = --version ] && echo v26.0.0\n';
  writeExecutable(path.join(root, volume), `${HOME_DIR}/node/bin/node`, node);
  const calls = path.join(root, '.fake/superd-calls.log');
  writeExecutable(path.join(root, volume), '/usr/local/bin/superd',
    `#!/bin/sh\nnode -e 'console.log(JSON.stringify(process.argv.slice(1)))' -- "$@" >> "${calls}"\n`);
}

export function superdCalls(root: string): string[][] {
  const file = path.join(root, '.fake/superd-calls.log');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);
}

export function sleeps(root: string): number {
  const file = path.join(root, '.fake/sleeps.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).length : 0;
}

/**
 * Runs launchd/<script> with /bin/sh, as the installer would, with SUPERD_ROOT set.
 * SUPERD_TEST_SH picks another shell (macOS's /bin/sh is bash or dash): e.g. /bin/bash.
 */
export function runScript(root: string, script: string, args: readonly string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.SUPERD_TEST_SH ?? '/bin/sh', [path.join(LAUNCHD_DIR, script), ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SUPERD_ROOT: root, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.stdin ?? '');
  });
}

export function launchctlCalls(mac: FakeMac): string[] {
  return mac.invocations().filter((i) => i.command === '/bin/launchctl').map((i) => i.argv.join(' '));
}
