import * as fs from 'node:fs';
import * as path from 'node:path';
import { createFakeMac, runFake, type FakeMac } from './index';
import { blockAfter, blockContaining, loadReference, REFERENCE_MISSING, section } from './reference';

// jamf, profiles, mdmclient and the Jamf / managed-preference plists (reference §3–§5).

const hasReference = loadReference() !== null;
if (!hasReference) console.warn(REFERENCE_MISSING);
const withReference = hasReference ? describe : describe.skip;

let mac: FakeMac;
const run = (cmd: string, args: string[] = [], stdin?: string) => runFake(mac.root, cmd, args, { stdin });

beforeAll(async () => {
  mac = await createFakeMac({
    users: [
      { name: 'admin', password: 'admin-pw', admin: true, secureToken: true },
      { name: 'plain', password: 'plain-pw', admin: true, secureToken: false },
    ],
  });
});
afterAll(() => mac.cleanup());

describe('jamf (§3)', () => {
  test('-version: version=<major>.<minor>.<patch>-t<epoch>', async () => {
    const r = await run('/usr/local/bin/jamf', ['-version']);
    expect(r).toEqual({ stdout: 'version=11.4.1-t1712591696\n', stderr: '', code: 0 });
    expect(r.stdout).toMatch(/^version=(\d+)\.(\d+)(?:\.(\d+))?/);
  });

  withReference('checkJSSConnection', () => {
    test('available: the confirmed two lines, exit 0', async () => {
      const r = await run('/usr/local/bin/jamf', ['checkJSSConnection', '-retry', '1']);
      expect(r).toEqual({ stdout: blockAfter('### 3.2', '**Success**'), stderr: '', code: 0 });
    });
  });

  test('unavailable: non-zero exit (and text that fools a substring test for "available")', async () => {
    mac.update({ jssAvailable: false });
    const r = await run('/usr/local/bin/jamf', ['checkJSSConnection', '-retry', '0']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).not.toContain('The JSS is available.');
    expect(r.stdout).toContain('available');
    mac.update({ jssAvailable: true });
  });

  test('recon prints <computer_id>, or not, or fails', async () => {
    mac.update({ computerId: 1234 });
    let r = await run('/usr/local/bin/jamf', ['recon', '-verbose']);
    expect(r.code).toBe(0);
    expect(/<computer_id>(\d+)<\/computer_id>/.exec(r.stdout)?.[1]).toBe('1234');
    mac.update({ computerId: null });
    r = await run('/usr/local/bin/jamf', ['recon']);
    expect([r.code, r.stdout.includes('computer_id')]).toEqual([0, false]);
    mac.update({ reconFails: true, computerId: 1234 });
    r = await run('/usr/local/bin/jamf', ['recon']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).not.toContain('<computer_id>');
    mac.update({ reconFails: false });
  });

  test('the Jamf plist holds jss_url (binary by default, XML on request); null removes it', async () => {
    const { parse, parseBinary } = await import('plist');
    const file = path.join(mac.root, 'Library/Preferences/com.jamfsoftware.jamf.plist');
    expect(fs.readFileSync(file).subarray(0, 8).toString('latin1')).toBe('bplist00');
    expect(parseBinary(fs.readFileSync(file))).toMatchObject({ jss_url: 'https://example.jamfcloud.com/' });
    mac.update({ jssUrl: 'https://jamf.example.org:8443/', plistFormat: 'xml' });
    expect(parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ jss_url: 'https://jamf.example.org:8443/' });
    mac.update({ jssUrl: null });
    expect(fs.existsSync(file)).toBe(false);
    expect((await run('/usr/local/bin/jamf', ['checkJSSConnection'])).code).not.toBe(0);
    mac.update({ jssUrl: 'https://example.jamfcloud.com/', plistFormat: 'binary' });
  });

  test('jamfVersion null: no jamf binary at all', async () => {
    mac.update({ jamfVersion: null });
    expect(fs.existsSync(path.join(mac.root, 'usr/local/bin/jamf'))).toBe(false);
    await expect(run('/usr/local/bin/jamf', ['-version'])).rejects.toMatchObject({ code: 'ENOENT' });
    mac.update({ jamfVersion: '11.18.0' });
    expect((await run('/usr/local/bin/jamf', ['-version'])).stdout).toBe('version=11.18.0-t1712591696\n');
  });

  test('managed preferences are written as plists and removed with the domain', async () => {
    const { parseBinary } = await import('plist');
    mac.update({ managedPreferences: { 'com.github.superd': { AuthJamfComputerID: '12', DeferralTimerError: 60 } } });
    const file = path.join(mac.root, 'Library/Managed Preferences/com.github.superd.plist');
    expect(parseBinary(fs.readFileSync(file))).toEqual({ AuthJamfComputerID: '12', DeferralTimerError: 60 });
    mac.update({ managedPreferences: {} });
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('profiles (§4)', () => {
  withReference('status output equals the reference samples', () => {
    test('ADE, user-approved', async () => {
      mac.update({ enrollment: { enrolled: true, dep: true, userApproved: true, mdmServer: 'https://test.example.com/mdm/apple/mdm' } });
      expect(await run('/usr/bin/profiles', ['status', '-type', 'enrollment'])).toEqual({ stdout: blockAfter('### 4.1', 'Automated Device Enrollment'), stderr: '', code: 0 });
    });

    test('manually enrolled (also with -type=enrollment)', async () => {
      mac.update({ enrollment: { enrolled: true, dep: false } });
      expect((await run('/usr/bin/profiles', ['status', '-type=enrollment'])).stdout).toBe(blockAfter('### 4.1', 'Manually enrolled'));
    });

    test('not enrolled', async () => {
      mac.update({ enrollment: { enrolled: false } });
      expect((await run('/usr/bin/profiles', ['status', '-type', 'enrollment'])).stdout).toBe(blockAfter('### 4.1', 'Not enrolled'));
      mac.update({ enrollment: { enrolled: true } });
    });

    test('bootstrap token YES/YES, YES/NO and the single NO line', async () => {
      const cases: Array<[{ supported: boolean; escrowed: boolean }, string]> = [
        [{ supported: true, escrowed: true }, 'Escrowed (Confirmed'],
        [{ supported: true, escrowed: false }, 'Supported but not escrowed'],
        [{ supported: false, escrowed: false }, 'MDM server does not support Bootstrap Token'],
      ];
      for (const [bootstrap, marker] of cases) {
        mac.update({ bootstrap });
        expect(await run('/usr/bin/profiles', ['status', '-type', 'bootstraptoken'])).toEqual({ stdout: blockAfter('### 4.2', marker), stderr: '', code: 0 });
      }
    });
  });

  describe('install -type bootstraptoken', () => {
    beforeEach(() => mac.update({ bootstrap: { supported: true, escrowed: false } }));

    test('prompts for name and password, reads both from stdin, escrows the token', async () => {
      const r = await run('/usr/bin/profiles', ['install', '-type', 'bootstraptoken'], 'admin\nadmin-pw\n');
      expect(r.code).toBe(0);
      const prompts = hasReference
        ? /`(Enter the admin user name:)` then `(Enter the password for user 'NAME':)`/.exec(section('### 4.4'))?.slice(1, 3).map((p) => p.replace('NAME', 'admin'))
        : ['Enter the admin user name:', "Enter the password for user 'admin':"];
      expect(prompts).toHaveLength(2);
      for (const prompt of prompts ?? []) expect(r.stdout).toContain(prompt);
      expect(r.stdout).toMatch(/^profiles: Bootstrap Token escrowed/m);
      expect((await run('/usr/bin/profiles', ['status', '-type', 'bootstraptoken'])).stdout).toContain('escrowed to server: YES');
      expect(mac.world().bootstrap).toEqual({ supported: true, escrowed: true, valid: true });
      const last = mac.invocations().filter((i) => i.command === '/usr/bin/profiles' && i.argv[0] === 'install').pop();
      expect(last).toMatchObject({ argv: ['install', '-type', 'bootstraptoken'], stdinUsed: true });
    });

    test('wrong password, or an admin without a secure token: non-zero exit, still not escrowed', async () => {
      for (const stdin of ['admin\nwrong\n', 'plain\nplain-pw\n', 'nobody\nx\n', '']) {
        const r = await run('/usr/bin/profiles', ['install', '-type=bootstraptoken'], stdin);
        expect(r.code).not.toBe(0);
        expect(r.stdout).not.toContain('escrowed');
      }
      expect(mac.world().bootstrap.escrowed).toBe(false);
    });

    test('the argv form (-user/-password) works like on macOS', async () => {
      const r = await run('/usr/bin/profiles', ['install', '-type', 'bootstraptoken', '-user', 'admin', '-password', 'admin-pw']);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('Enter the');
    });
  });
});

describe('mdmclient (§5)', () => {
  const eacs = (text: string) => /^\s*EACSPreflight = (.*);\s*$/m.exec(text)?.[1];

  test('QueryDeviceInformation: EACSPreflight at 8 spaces as super expects, per bootstrap state', async () => {
    mac.update({ macOS: { productVersion: '15.5', buildVersion: '24F74' }, bootstrap: { supported: true, escrowed: true } });
    let r = await run('/usr/libexec/mdmclient', ['QueryDeviceInformation']);
    expect(r.stdout.startsWith('Daemon response: {\n    QueryResponses =     {\n')).toBe(true);
    expect(r.stdout).toContain('\n        EACSPreflight = success;\n');
    expect(r.stdout).toContain('\n        IsDefaultCatalog = 1;\n');
    expect(r.stdout.endsWith('    };\n}\n')).toBe(true);
    mac.update({ bootstrap: { supported: true, escrowed: true, valid: false } });
    r = await run('/usr/libexec/mdmclient', ['QueryDeviceInformation']);
    expect(eacs(r.stdout)).toBe('"Unable to get Bootstrap Token <(null):0> ((null))"');
  });

  test('EFI password exists, key missing before 13.3, beta catalog', async () => {
    mac.update({ eacsPreflight: 'EFI password exists', betaCatalog: true });
    let r = await run('/usr/libexec/mdmclient', ['QueryDeviceInformation']);
    expect(eacs(r.stdout)).toBe('"EFI password exists"');
    expect(r.stdout).toContain('        IsDefaultCatalog = 0;\n');
    mac.update({ eacsPreflight: null });
    r = await run('/usr/libexec/mdmclient', ['QueryDeviceInformation']);
    expect(eacs(r.stdout)).toBeUndefined();
    mac.update({ eacsPreflight: undefined, betaCatalog: false, macOS: { productVersion: '13.2.1', buildVersion: '22D68' } });
    r = await run('/usr/libexec/mdmclient', ['QueryDeviceInformation']);
    expect(r.stdout).toContain('OSVersion = "13.2.1";');
    expect(eacs(r.stdout)).toBeUndefined();
    expect(r.stdout).not.toMatch(/^ {8}IsDefaultCatalog/m); // top level: 13.4+
  });

  withReference('AvailableOSUpdates', () => {
    test('Format B item equals the macOS 26.5 sample (super issue #381)', async () => {
      mac.update({
        macOS: { productVersion: '15.7', buildVersion: '24G222' },
        mdmclientFormat: 'B',
        fullInstallers: [{ title: 'macOS Tahoe', version: '26.5', sizeKiB: 17000000, build: '25F71' }],
        availableUpdates: [{
          label: 'macOS Tahoe 26.5-25F71', title: 'macOS Tahoe 26.5', version: '26.5', restart: true,
          mdm: { DownloadSize: 12049119395, DeferredUntil: '2026-08-16 00:00:00 +0000' },
        }],
      });
      const r = await run('/usr/libexec/mdmclient', ['AvailableOSUpdates']);
      const sample = blockContaining('### 5.2', 'Available updates (install debug profile');
      const firstItem = sample.slice(0, sample.indexOf('    },') + '    }'.length);
      expect(r.stdout).toBe(`${firstItem}\n)\n`);
      expect(r.code).toBe(0);
    });

    test('Format A blocks precede the summary through 26.2', async () => {
      mac.update({
        macOS: { productVersion: '13.6.1', buildVersion: '22G313' },
        mdmclientFormat: 'auto',
        fullInstallers: [],
        availableUpdates: [{ label: 'macOS Ventura 13.6.2-22G320', title: 'macOS Ventura', version: '13.6.2', productKey: '042-95459' }],
      });
      const r = await run('/usr/libexec/mdmclient', ['AvailableOSUpdates']);
      const sample = blockContaining('### 5.2', '042-95459');
      const [head, key, title] = sample.split('\n');
      expect(r.stdout.split('\n').slice(0, 3)).toEqual([head, key, title]);
      expect(r.stdout).toMatch(/^Version: {19}13\.6\.2 </m);
      const beforeSummary = r.stdout.slice(0, r.stdout.indexOf('Available updates'));
      expect(beforeSummary).toContain('OS Update Item');
      expect(r.stdout).toMatch(/^Available updates \(install debug profile for more details\): \(\n/m);
    });
  });

  test('empty list, and the verb missing on the macOS 27 beta', async () => {
    mac.update({ macOS: { productVersion: '15.5', buildVersion: '24F74' }, availableUpdates: [] });
    let r = await run('/usr/libexec/mdmclient', ['AvailableOSUpdates']);
    expect(r.stdout).toBe('Available updates (install debug profile for more details): (\n)\n');
    expect(r.stdout).not.toContain('OS Update Item');
    mac.update({ macOS: { productVersion: '27.0', buildVersion: '26A5416b' } });
    r = await run('/usr/libexec/mdmclient', ['AvailableOSUpdates']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).not.toContain('Available updates');
    mac.update({ macOS: { productVersion: '15.5', buildVersion: '24F74' } });
  });
});
