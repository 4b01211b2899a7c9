/** launchd/uninstall.sh under /bin/sh on the fake Mac, with the package's payload in place. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FakeMac } from '../sim/mac';
import { createScriptMac, HOME_DIR, installPayload, LABEL, launchctlCalls, PLIST, runScript, sleeps, superdCalls, writeExecutable } from './scriptHarness';

let mac: FakeMac;
const exists = (p: string) => fs.existsSync(path.join(mac.root, p));

beforeEach(async () => {
  mac = await createScriptMac({ launchd: { loaded: [LABEL], running: [LABEL], bootoutPendingPolls: 2 } });
  installPayload(mac.root);
  fs.mkdirSync(path.join(mac.root, HOME_DIR, 'logs'), { recursive: true });
  fs.writeFileSync(path.join(mac.root, HOME_DIR, 'logs/superd.log'), 'a log line\n');
  fs.writeFileSync(path.join(mac.root, HOME_DIR, 'status.plist'), '<plist/>');
});
afterEach(async () => mac.cleanup());

describe('uninstall.sh', () => {
  test('default: stops the daemon (waiting for it), removes the files, says the credentials are left', async () => {
    const r = await runScript(mac.root, 'uninstall.sh', []);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(launchctlCalls(mac).slice(0, 2)).toEqual([`print system/${LABEL}`, `bootout system/${LABEL}`]);
    expect(sleeps(mac.root)).toBe(2);
    expect(mac.world().launchd.loaded).toEqual([]);
    expect(superdCalls(mac.root)).toEqual([]);
    for (const p of [PLIST, '/usr/local/bin/superd', HOME_DIR]) expect(exists(p)).toBe(false);
    expect(r.stdout).toContain('superd removed.');
    expect(r.stdout).toContain('Left: saved credentials in the System keychain (service superd, accounts superd_auth_*)');
    expect(r.stdout).not.toContain(`Left: ${HOME_DIR}`);
  });

  test('--remove-credentials: superd --auth-delete-all runs while superd is still installed, then nothing is left', async () => {
    // The stand-in notes whether the LaunchDaemon plist was still there when it ran.
    const calls = path.join(mac.root, '.fake/superd-calls.log');
    writeExecutable(mac.root, '/usr/local/bin/superd',
      `#!/bin/sh\necho "$* plist=$([ -e "${path.join(mac.root, PLIST)}" ] && echo yes || echo no)" >> "${calls}"\n`);
    const r = await runScript(mac.root, 'uninstall.sh', ['--remove-credentials']);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(calls, 'utf8')).toBe('--auth-delete-all plist=yes\n');
    expect(r.stdout).not.toContain('Left: saved credentials');
    expect(exists('/usr/local/bin/superd')).toBe(false);
  });

  test('--keep-data keeps settings, status and logs, and says so', async () => {
    const r = await runScript(mac.root, 'uninstall.sh', ['--keep-data']);
    expect(r.code).toBe(0);
    expect(exists(`${HOME_DIR}/status.plist`)).toBe(true);
    expect(exists(`${HOME_DIR}/logs/superd.log`)).toBe(true);
    expect(exists(`${HOME_DIR}/node`)).toBe(false);
    expect(exists(PLIST)).toBe(false);
    expect(r.stdout).toContain(`Left: ${HOME_DIR} (saved settings, status plist, logs/superd.log).`);
  });

  test('a failing credential removal is reported and the status is 1; the files still go', async () => {
    writeExecutable(mac.root, '/usr/local/bin/superd', '#!/bin/sh\necho "superd: the System keychain is locked" >&2\nexit 70\n');
    const r = await runScript(mac.root, 'uninstall.sh', ['--remove-credentials']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('uninstall: superd --auth-delete-all failed; credentials may remain in the System keychain');
    expect(r.stdout).toContain('Left: saved credentials in the System keychain');
    expect(exists(PLIST)).toBe(false);
  });

  test('an unknown option: usage status 64, nothing touched', async () => {
    const r = await runScript(mac.root, 'uninstall.sh', ['--everything']);
    expect(r).toEqual({ stdout: '', stderr: 'uninstall.sh: unknown option --everything (expected --remove-credentials or --keep-data)\n', code: 64 });
    expect(launchctlCalls(mac)).toEqual([]);
    expect(exists(PLIST)).toBe(true);
  });
});
