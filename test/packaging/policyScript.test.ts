/**
 * launchd/superd-jamf-policy.sh with Jamf Pro's parameter order ($1 "/", $2 computer name,
 * $3 user name, $4–$11 the admin's parameters), calling the real superd (dist/, built by
 * npm test first) on the fake Mac: it saves, hands the run to the daemon and returns.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FakeMac } from '../sim/mac';
import { findSecrets } from '../helpers/secretScan';
import { createScriptMac, LABEL, LAUNCHD_DIR, launchctlCalls, runScript, writeExecutable } from './scriptHarness';

const MAIN = path.join(__dirname, '../../dist/daemon/cli/main.js');
const withBuild = existsSync(MAIN) ? describe : describe.skip;
if (!existsSync(MAIN)) console.warn('policyScript.test.ts: dist/ is missing (run npm run build); skipped');

const SECRET = 'Pol1cy-Secret value';
let mac: FakeMac;

beforeEach(async () => {
  mac = await createScriptMac({
    users: [{ name: 'localadmin', password: SECRET, uid: 502, admin: true, secureToken: true }],
    launchd: { loaded: [LABEL], running: [] },
  });
  // The real superd with this Node; it logs its own arguments so the test can check them.
  writeExecutable(mac.root, '/usr/local/bin/superd', [
    '#!/bin/sh',
    `printf '%s\\n' "$*" >> "${path.join(mac.root, '.fake/superd-argv.log')}"`,
    `exec "${process.execPath}" "${MAIN}" "$@"`,
    '',
  ].join('\n'));
});
afterEach(async () => mac.cleanup());

const jamf = (...params: string[]) => {
  const eight = [...params, ...Array(8).fill('')].slice(0, 8);
  return ['/', 'Mac-042', 'jdoe', ...eight];
};
const superdArgv = () => readFileSync(path.join(mac.root, '.fake/superd-argv.log'), 'utf8');
const commands = () => mac.invocations().map((i) => i.command);

withBuild('superd-jamf-policy.sh', () => {
  test('a secret goes on stdin, the run is handed to the daemon with a kickstart, the workflow does not run here', async () => {
    const r = await runScript(mac.root, 'superd-jamf-policy.sh', jamf('--auth-local-account=localadmin', '   ', `--auth-local-password=${SECRET}`, '', '--verbose-mode'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('superd policy: Jamf Pro policy on Mac-042 (user: jdoe); options: --auth-local-account=localadmin --auth-local-password=(on standard input) --verbose-mode');
    expect(r.stdout).toContain('superd: settings saved; the superd daemon runs the update workflow now');
    expect(r.stdout).toContain(`superd policy: handed off to the superd daemon (launchctl kickstart system/${LABEL})`);
    // superd got Jamf's three, then the options with the secret replaced by "-".
    expect(superdArgv()).toBe('run / Mac-042 jdoe --auth-local-account=localadmin --auth-local-password=- --verbose-mode\n');
    // The daemon was kickstarted (without -k: a run in progress is not killed).
    expect(launchctlCalls(mac)).toContain(`kickstart system/${LABEL}`);
    expect(launchctlCalls(mac).some((c) => c.startsWith('kickstart -k'))).toBe(false);
    expect(mac.world().launchd.running).toContain(LABEL);
    // The workflow did not run in the policy: no update scan, no MDM query.
    expect(commands()).not.toContain('/usr/sbin/softwareupdate');
    expect(commands()).not.toContain('/usr/libexec/mdmclient');
    const status = readFileSync(path.join(mac.root, 'Library/Management/superd/status.plist'), 'utf8');
    expect(status).toContain('A run was requested by a Jamf Pro policy');
    // The credential was checked and saved, and the secret is nowhere in plain text:
    // not in any argv of the fake's invocations.jsonl, superd's argv, logs or output.
    expect(mac.invocations().some((i) => i.argv.join(' ').includes(SECRET))).toBe(false);
    expect(readFileSync(path.join(mac.root, '.fake/invocations.jsonl'), 'utf8')).not.toContain(SECRET);
    expect(findSecrets([SECRET], mac.root, [r.stdout, r.stderr])).toEqual([]);
  }, 120_000); // several Node starts (superd and each fake command) on a busy machine

  test('`superd run` called with Jamf\'s "/" first hands off the same way', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(path.join(mac.root, 'usr/local/bin/superd'), ['run', ...jamf('--verbose-mode')], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SUPERD_ROOT: mac.root }, encoding: 'utf8', input: '',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('superd: settings saved; the superd daemon runs the update workflow now');
    expect(launchctlCalls(mac)).toContain(`kickstart system/${LABEL}`);
    expect(commands()).not.toContain('/usr/sbin/softwareupdate');
  }, 120_000);

  test('a secret parameter given twice, or as "-", is refused before superd runs', async () => {
    const twice = await runScript(mac.root, 'superd-jamf-policy.sh', jamf('--auth-jamf-client=abc', '--auth-jamf-secret=one', '--auth-jamf-secret=two'));
    expect(twice.code).toBe(64);
    expect(twice.stderr).toBe('superd policy: --auth-jamf-secret is given twice; give each secret once.\n');
    const dash = await runScript(mac.root, 'superd-jamf-policy.sh', jamf('--auth-jamf-client=abc', '--auth-jamf-secret=-'));
    expect(dash.code).toBe(64);
    expect(dash.stderr).toContain('--auth-jamf-secret needs its value in the policy parameter');
    expect(existsSync(path.join(mac.root, '.fake/superd-argv.log'))).toBe(false);
  });

  test('invalid options: superd\'s exit status and message reach the policy log, nothing is handed off', async () => {
    const r = await runScript(mac.root, 'superd-jamf-policy.sh', jamf('--no-such-option=1'));
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--no-such-option');
    expect(r.stdout).toContain('superd policy: superd exited with status 64; nothing was handed off');
    expect(launchctlCalls(mac).some((c) => c.startsWith('kickstart'))).toBe(false);
  }, 120_000);
});

describe('superd-jamf-policy.sh is POSIX sh', () => {
  const file = path.join(LAUNCHD_DIR, 'superd-jamf-policy.sh');
  const shellcheck = spawnSync('shellcheck', ['--version']).status === 0;
  (shellcheck ? test : test.skip)(`shellcheck is clean${shellcheck ? '' : ' (skipped: shellcheck is not installed; .ci/run installs it)'}`, () => {
    const r = spawnSync('shellcheck', ['--shell=sh', file], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('#!/bin/sh, and dash -n parses it', () => {
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('#!/bin/sh');
    const shell = existsSync('/usr/bin/dash') ? '/usr/bin/dash' : '/bin/sh';
    expect(spawnSync(shell, ['-n', file]).status).toBe(0);
  });
});
