/**
 * The Jamf Pro extension attributes (docs/extension-attributes/*.sh) under /bin/sh, bash and zsh,
 * against status files that superd itself wrote: one from a whole `superd run` (plan pushed, API
 * client saved and checked → heartbeat), one from the status writer (an error with a next attempt
 * and awkward text), one with keys missing, and none at all. Each prints exactly one <result> line,
 * the same under every shell; the scripts are shellcheck-clean.
 *
 * Every script runs as its own process under each real shell, all of one case at once. The fake
 * plutil they call is served from this process (test/sim/mac/commandServer.ts: the file at
 * /usr/bin/plutil is a small sh launcher that hands each call to the fake's own handler here), so
 * some hundred calls cost no Node start each.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SUPERD_VERSION } from '../../daemon/buildInfo';
import { hostPath, superdPaths } from '../../daemon/host/paths';
import { emptyStatus, readStatus, updateStatus, type StatusRecord } from '../../daemon/status/statusFile';
import { writePlistAtomically } from '../../daemon/config/writePlist';
import { openRunWorld } from '../helpers/runWorld';
import { createFakeMac, serveFakeCommands, type CommandServer, type FakeMac } from '../sim/mac';

// Some sixty shell processes per case and a whole superd run first: generous on a busy 2-core machine.
jest.setTimeout(180_000);

const REPO = path.join(__dirname, '../..');
const EA_DIR = path.join(REPO, 'docs/extension-attributes');
const SCRIPTS = readdirSync(EA_DIR).filter((f) => f.endsWith('.sh')).sort();
const BUILT_CLI = path.join(REPO, 'dist/daemon/cli/main.js');

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}
const SHELLS = ['sh', 'bash', 'zsh'].filter((s) => s !== 'zsh' || has('zsh'));
if (!has('zsh')) console.warn('extensionAttributes.test: zsh is not installed (apt-get install -y zsh): the EAs are tested under sh and bash only.');

/** Jamf Pro's EA date format, YYYY-MM-DD hh:mm:ss (the scripts print UTC). */
const jamfDate = (iso: string) => iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '');

let mac: FakeMac;
let plutil: CommandServer;
const statusFile = () => hostPath(superdPaths.status, mac.root);

/** One script under one shell, as its own process (asynchronous: the served plutil answers from here). */
function runEa(shell: string, script: string): Promise<{ stdout: string; stderr: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell, [path.join(EA_DIR, script)], {
      // As Jamf Pro runs them: a bare environment (plus the fake Mac's root and the Node its fakes need).
      env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, SUPERD_ROOT: mac.root },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ stdout, stderr, status }));
  });
}

/** Runs every script under every shell (all at once); checks the one-line form and that all shells agree. */
async function resultsFor(only?: string): Promise<Record<string, string>> {
  const statusScripts = SCRIPTS.filter((s) => s !== 'superd-version.sh');
  const scripts = only ? [`${only}.sh`] : statusScripts;
  const runs = await Promise.all(scripts.map((script) => Promise.all(SHELLS.map(async (shell) => ({ shell, script, r: await runEa(shell, script) })))));
  const out: Record<string, string> = {};
  for (const perShell of runs) {
    const seen = perShell.map(({ shell, script, r }) => {
      expect({ shell, script, status: r.status, stderr: r.stderr }).toEqual({ shell, script, status: 0, stderr: '' });
      const lines = r.stdout.split('\n');
      expect({ shell, script, lines }).toEqual({ shell, script, lines: [expect.stringMatching(/^<result>[^\n]*<\/result>$/), ''] });
      return /^<result>(.*)<\/result>$/.exec(lines[0]!)![1]!;
    });
    const script = perShell[0]!.script;
    for (const value of seen) expect({ script, value }).toEqual({ script, value: seen[0] });
    out[script.replace(/\.sh$/, '')] = seen[0]!;
  }
  return out;
}

let wholeRun: { file: string; status: StatusRecord };

beforeAll(async () => {
  // A whole superd run: the API client given on the command line (secret on stdin) is checked with
  // Jamf Pro (heartbeat Success), a plan is pushed and the Mac acts on it (waiting-restart, 15.6).
  const w = await openRunWorld();
  try {
    const r = await w.run(['run', `--auth-jamf-client=${w.fx.superdClient.clientId}`, '--auth-jamf-secret=-'], `${w.fx.superdClient.clientSecret}\n`);
    expect(r.status).toBe(0);
    const keep = path.join(w.mac.root, '..', `${path.basename(w.mac.root)}-status.plist`);
    copyFileSync(hostPath(superdPaths.status, w.mac.root), keep);
    wholeRun = { file: keep, status: await w.status() };
  } finally {
    await w.close();
  }
  mac = await createFakeMac();
  plutil = await serveFakeCommands(mac.root, ['/usr/bin/plutil']);
});

afterAll(async () => {
  if (wholeRun) rmSync(wholeRun.file, { force: true });
  await plutil?.close();
  await mac?.cleanup();
});

beforeEach(() => rmSync(statusFile(), { force: true }));

test('status file of a whole run: state, method, target, heartbeat status and date as separate attributes, no error', async () => {
  mkdirSync(path.dirname(statusFile()), { recursive: true });
  copyFileSync(wholeRun.file, statusFile());
  const s = wholeRun.status;
  expect(s).toMatchObject({ state: 'waiting-restart', authMethod: 'jamf-client', targetVersion: '15.6', heartbeat: { status: 'Success' }, lastError: null });
  const r = await resultsFor();
  expect(r['superd-state']).toBe(`waiting-restart${s.stateText ? `: ${s.stateText}` : ''}`);
  expect(r['superd-auth-method']).toBe('jamf-client');
  expect(r['superd-target-version']).toBe('15.6');
  expect(r['superd-heartbeat']).toBe('Success');
  expect(r['superd-heartbeat-date']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  expect(r['superd-heartbeat-date']).toBe(jamfDate(s.heartbeat!.checkedAt));
  expect(r['superd-last-error']).toBe('none');
  // The fake plutil was what read it (the scripts go through the macOS tool, not a parser of their own).
  expect(mac.invocations().filter((i) => i.command === '/usr/bin/plutil').length).toBeGreaterThan(0);
});

test('status writer: an error with a next attempt; text with quotes, ampersands, backslashes and a newline stays on one line', async () => {
  const message = 'Jamf Pro said "no" & <refused>: C:\\path\\n kept\nsecond line';
  await updateStatus(mac.root, {
    state: 'error',
    stateText: 'waiting to retry',
    lastError: { code: 'SUPERD_ERR_JAMF_UNREACHABLE', message, at: '2026-12-03T23:00:00.000Z' },
    nextAttempt: '2026-12-04T08:30:00.000Z',
    heartbeat: { status: 'Failed', checkedAt: '2026-12-03T23:59:59.000Z' },
  }, new Date('2026-12-03T20:00:00Z'));
  const r = await resultsFor();
  expect(r['superd-state']).toBe('error: waiting to retry');
  expect(r['superd-last-error']).toBe('SUPERD_ERR_JAMF_UNREACHABLE: Jamf Pro said "no" & <refused>: C:\\path\\n kept second line (next attempt 2026-12-04 08:30:00 UTC)');
  expect(r['superd-heartbeat']).toBe('Failed');
  expect(r['superd-heartbeat-date']).toBe('2026-12-03 23:59:59');
  expect(r['superd-auth-method']).toBe('none');
  expect(r['superd-target-version']).toBe('none');
});

test('no status file (superd never ran): every attribute still prints one result', async () => {
  expect(existsSync(statusFile())).toBe(false);
  const r = await resultsFor();
  expect(r).toMatchObject({
    'superd-state': 'not run yet',
    'superd-auth-method': 'none',
    'superd-target-version': 'none',
    'superd-heartbeat': 'never',
    'superd-heartbeat-date': '',
    'superd-last-error': 'none',
  });
});

test('keys missing: defaults per attribute; an error code without a message or next attempt', async () => {
  await writePlistAtomically(statusFile(), { State: 'idle', LastErrorCode: 'SUPERD_ERR_CONFIG' });
  expect(await readStatus(mac.root)).toMatchObject({ ...emptyStatus(), lastError: { code: 'SUPERD_ERR_CONFIG', message: '' } });
  const r = await resultsFor();
  expect(r).toMatchObject({
    'superd-state': 'idle',
    'superd-auth-method': 'none',
    'superd-target-version': 'none',
    'superd-heartbeat': 'never',
    'superd-heartbeat-date': '',
    'superd-last-error': 'SUPERD_ERR_CONFIG: ',
  });
});

test('a heartbeat date that is not a plist date is left blank (a Date attribute never gets a wrong value)', async () => {
  await writePlistAtomically(statusFile(), { State: 'idle', HeartbeatStatus: 'Success', HeartbeatDate: 'yesterday' });
  const r = await resultsFor();
  expect(r['superd-heartbeat']).toBe('Success');
  expect(r['superd-heartbeat-date']).toBe('');
});

describe('superd version', () => {
  const superd = () => path.join(mac.root, 'usr/local/bin/superd');
  afterEach(() => rmSync(superd(), { force: true }));

  test('not installed: no /usr/local/bin/superd', async () => {
    expect((await resultsFor('superd-version'))['superd-version']).toBe('not installed');
  });

  test('an answer not of the form "superd VERSION" is reported as unknown', async () => {
    writeFileSync(superd(), '#!/bin/sh\necho "env: node: No such file or directory" >&2\nexit 127\n');
    chmodSync(superd(), 0o755);
    expect((await resultsFor('superd-version'))['superd-version']).toBe('unknown');
  });

  (existsSync(BUILT_CLI) ? test : test.skip)('the installed superd answers --version (needs npm run build)', async () => {
    // As launchd/superd does on a Mac: exec Node on the built CLI.
    writeFileSync(superd(), `#!/bin/sh\nexec '${process.execPath}' '${BUILT_CLI}' "$@"\n`);
    chmodSync(superd(), 0o755);
    expect((await resultsFor('superd-version'))['superd-version']).toBe(SUPERD_VERSION);
  });
});

const haveShellcheck = has('shellcheck');
if (!haveShellcheck) console.warn('extensionAttributes.test: shellcheck is not installed (apt-get install -y shellcheck): lint skipped.');
(haveShellcheck ? test : test.skip)('shellcheck-clean as sh and as bash', () => {
  for (const dialect of ['sh', 'bash']) {
    const r = spawnSync('shellcheck', ['-s', dialect, ...SCRIPTS.map((s) => path.join(EA_DIR, s))], { encoding: 'utf8' });
    expect({ dialect, output: r.stdout + r.stderr, status: r.status }).toEqual({ dialect, output: '', status: 0 });
  }
});
