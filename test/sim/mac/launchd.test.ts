import * as fs from 'node:fs';
import * as path from 'node:path';
import { createFakeMac, runFake, type FakeMac } from './index';
import { blockAfter, blockContaining, loadReference, REFERENCE_MISSING, section } from './reference';

// launchctl (reference §10) and the osascript password dialog run through it (§11).

const hasReference = loadReference() !== null;
if (!hasReference) console.warn(REFERENCE_MISSING);
const withReference = hasReference ? describe : describe.skip;

const LAUNCHCTL = '/bin/launchctl';
const LABEL = 'com.github.superd';
const PLIST = `/Library/LaunchDaemons/${LABEL}.plist`;
const JOB = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>${LABEL}</string>
	<key>ProgramArguments</key>
	<array>
		<string>/usr/local/bin/node</string>
		<string>/Library/Management/superd/superd.js</string>
		<string>daemon</string>
	</array>
</dict>
</plist>
`;

let mac: FakeMac;
const run = (args: string[], stdin?: string) => runFake(mac.root, LAUNCHCTL, args, { stdin });

beforeAll(async () => {
  mac = await createFakeMac({ users: [{ name: 'jdoe', password: 'pw', uid: 501, admin: true, secureToken: true }] });
  fs.writeFileSync(path.join(mac.root, PLIST), JOB, { mode: 0o644 });
});
afterAll(() => mac.cleanup());

describe('launchctl (§10)', () => {
  withReference('reference messages', () => {
    test('print of a service that is not loaded: stderr, exit 113', async () => {
      const sample = blockContaining('### 10.1', 'Could not find service');
      const r = await run(['print', 'system/com.macjutsu.super']);
      expect(r).toEqual({ stdout: '', stderr: sample, code: 113 });
    });

    test('bootstrap, then bootstrap again: 5: Input/output error', async () => {
      expect(await run(['bootstrap', 'system', PLIST])).toEqual({ stdout: '', stderr: '', code: 0 });
      const again = await run(['bootstrap', 'system', PLIST]);
      expect(again).toEqual({ stdout: '', stderr: blockAfter('### 10.2', 'Failures'), code: 5 });
    });

    test('bootout, then bootout again: 3: No such process; plist-path form: 5', async () => {
      expect(await run(['bootout', `system/${LABEL}`])).toEqual({ stdout: '', stderr: '', code: 0 });
      const again = await run(['bootout', `system/${LABEL}`]);
      expect(again).toEqual({ stdout: '', stderr: blockContaining('### 10.3', 'No such process'), code: 3 });
      expect(section('### 10.3')).toContain('`Boot-out failed: 5: Input/output error` (exit 5)');
      expect(await run(['bootout', 'system', PLIST])).toEqual({ stdout: '', stderr: 'Boot-out failed: 5: Input/output error\n', code: 5 });
    });
  });

  test('print of a loaded service: header, one-tab body lines, state and pid after kickstart', async () => {
    await run(['bootstrap', 'system', PLIST]);
    let r = await run(['print', `system/${LABEL}`]);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(`system/${LABEL} = {\n\tactive count = 0\n\tpath = ${PLIST}\n\ttype = LaunchDaemon\n\tstate = not running\n`)).toBe(true);
    expect(r.stdout).toContain('\targuments = {\n\t\t/usr/local/bin/node\n\t\t/Library/Management/superd/superd.js\n\t\tdaemon\n\t}\n');
    const topLevel = r.stdout.split('\n').filter((line) => /^\t[^\t]/.test(line));
    expect(topLevel.filter((line) => line.startsWith('\tstate = '))).toEqual(['\tstate = not running']);
    expect(await run(['kickstart', '-k', `system/${LABEL}`])).toEqual({ stdout: '', stderr: '', code: 0 });
    r = await run(['print', `system/${LABEL}`]);
    expect(r.stdout).toContain('\tstate = running\n');
    expect(r.stdout).toMatch(/^\tpid = \d+$/m);
    expect(mac.world().launchd).toMatchObject({ loaded: [LABEL], running: [LABEL] });
  });

  test('kickstart of an unknown label: 113; softwareupdated is blocked from 14.4', async () => {
    expect(await run(['kickstart', '-k', 'system/com.example.none'])).toEqual({
      stdout: '', stderr: 'Could not find service "com.example.none" in domain for system\n', code: 113,
    });
    expect((await run(['kickstart', '-k', 'system/com.apple.softwareupdated'])).code).not.toBe(0);
    mac.update({ macOS: { productVersion: '14.3.1', buildVersion: '23D60' } });
    expect((await run(['kickstart', '-k', 'system/com.apple.softwareupdated'])).code).toBe(0);
    mac.update({ macOS: { productVersion: '15.5', buildVersion: '24F74' } });
  });

  test('a group-writable job file is refused with the catch-all error', async () => {
    const loose = '/Library/LaunchDaemons/com.example.loose.plist';
    fs.writeFileSync(path.join(mac.root, loose), JOB.replace(LABEL, 'com.example.loose'));
    fs.chmodSync(path.join(mac.root, loose), 0o664);
    expect((await run(['bootstrap', 'system', loose])).code).toBe(5);
  });

  test('gui domains: the console user\'s exists, others do not', async () => {
    expect((await run(['print', 'gui/501/com.example.agent'])).stderr).toBe('Could not find service "com.example.agent" in domain for user gui: 501\n');
    const other = await run(['print', 'gui/502/com.example.agent']);
    expect([other.stderr, other.code]).toEqual(['Could not find domain for user gui: 502\n', 113]);
  });

  test('asuser runs the rest of argv (after sudo -u) with stdin, output and exit status passed through', async () => {
    const r = await run(['asuser', '501', 'sudo', '-u', 'jdoe', '/usr/bin/security', '-i'], 'add-generic-password -a u -s superd -w dmFsdWU=\nfind-generic-password -a u -w\n');
    expect(r).toEqual({ stdout: 'dmFsdWU=\n', stderr: '', code: 0 });
    const [outer, inner] = mac.invocations().slice(-2);
    expect(outer).toMatchObject({ command: LAUNCHCTL, argv: ['asuser', '501', 'sudo', '-u', 'jdoe', '/usr/bin/security', '-i'], stdinUsed: false });
    expect(inner).toMatchObject({ command: '/usr/bin/security', argv: ['-i'], stdinUsed: true });
    expect((await run(['asuser', '501', '/usr/bin/dscl', '.', 'read', '/Users/nobody'])).code).toBe(56);
  });
});

describe('osascript password dialog (§11)', () => {
  const SCRIPT = 'display dialog "Enter your password" default answer "" with hidden answer buttons {"Cancel","OK"} default button "OK" giving up after 120';
  const dialog = (script = SCRIPT, extra: string[] = []) =>
    run(['asuser', '501', 'sudo', '-u', 'jdoe', '/usr/bin/osascript', ...extra, '-e', script]);
  const withoutOffsets = (text: string) => text.replace(/^\d+:\d+: /, '');

  withReference('reference outputs', () => {
    test('answers in order: OK with text, timeout, cancel', async () => {
      mac.update({ dialog: [{ kind: 'ok', text: 's3cret' }, { kind: 'timeout' }, { kind: 'cancel' }] });
      const ok = await dialog();
      expect(ok).toEqual({ stdout: 'button returned:OK, text returned:s3cret, gave up:false\n', stderr: '', code: 0 });
      expect(section('## 11.')).toContain(`\`${ok.stdout.trimEnd()}\``);
      expect(await dialog()).toEqual({ stdout: blockAfter('## 11.', '**Timed out**'), stderr: '', code: 0 });
      const cancel = await dialog();
      expect([cancel.stdout, cancel.code]).toEqual(['', 1]);
      expect(withoutOffsets(cancel.stderr)).toBe(withoutOffsets(blockAfter('## 11.', '**Cancel**')));
      expect(cancel.stderr).toMatch(/^0:\d+: execution error: User canceled\. \(-128\)\n$/);
    });

    test('without giving up: the two-field record', async () => {
      mac.update({ dialog: [{ kind: 'ok', text: 's3cret' }] });
      const r = await dialog('display dialog "Password" default answer "" with hidden answer');
      expect(r.stdout).toBe(blockAfter('## 11.', '**OK pressed**'));
    });
  });

  test('-s s quotes the record; JXA returns JSON', async () => {
    mac.update({ dialog: [{ kind: 'ok', text: 'pa"ss, gave up:' }, { kind: 'ok', text: 'j' }, { kind: 'cancel' }] });
    expect((await dialog(SCRIPT, ['-s', 's'])).stdout).toBe('{button returned:"OK", text returned:"pa\\"ss, gave up:", gave up:false}\n');
    const jxa = 'const a=Application.currentApplication();a.includeStandardAdditions=true;JSON.stringify(a.displayDialog("Password",{defaultAnswer:"",hiddenAnswer:true,givingUpAfter:120}))';
    const json = await dialog(jxa, ['-l', 'JavaScript']);
    expect(JSON.parse(json.stdout)).toEqual({ buttonReturned: 'OK', textReturned: 'j', gaveUp: false });
    const cancelled = await dialog(jxa, ['-l', 'JavaScript']);
    expect([cancelled.code, cancelled.stderr.includes('(-128)')]).toEqual([1, true]);
  });

  test('outside the console user\'s session a dialog fails (-1713) and consumes no answer', async () => {
    mac.update({ dialog: [{ kind: 'ok', text: 'kept' }] });
    const direct = await runFake(mac.root, '/usr/bin/osascript', ['-e', SCRIPT]);
    expect([direct.code, direct.stderr]).toEqual([1, `0:${SCRIPT.length}: execution error: No user interaction allowed. (-1713)\n`]);
    const wrongUser = await run(['asuser', '502', '/usr/bin/osascript', '-e', SCRIPT]);
    expect(wrongUser.code).toBe(1);
    expect(mac.world().dialog).toEqual([{ kind: 'ok', text: 'kept' }]);
  });

  test('no answer left: timeout with giving up, AppleEvent timeout without', async () => {
    mac.update({ dialog: [] });
    expect((await dialog()).stdout).toBe('button returned:, text returned:, gave up:true\n');
    const r = await dialog('display dialog "Password" default answer ""');
    expect([r.code, r.stderr.includes('(-1712)')]).toEqual([1, true]);
  });
});
