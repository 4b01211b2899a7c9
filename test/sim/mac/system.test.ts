import * as fs from 'node:fs';
import * as path from 'node:path';
import { createFakeMac, runFake, type FakeMac } from './index';
import { blockAfter, blockContaining, escapedAfter, loadReference, REFERENCE_MISSING, section } from './reference';

// sw_vers, arch, sysctl, ioreg, system_profiler against reference/macos-commands.md §1–§2.

const hasReference = loadReference() !== null;
if (!hasReference) console.warn(REFERENCE_MISSING);
const withReference = hasReference ? describe : describe.skip;

let mac: FakeMac;
const run = (cmd: string, args: string[] = []) => runFake(mac.root, cmd, args);

beforeAll(async () => {
  mac = await createFakeMac();
});
afterAll(() => mac.cleanup());

describe('sw_vers (§1.1)', () => {
  withReference('prints the confirmed layouts exactly', () => {
    test('13+ with a Rapid Security Response: double tabs, ProductVersionExtra with one tab', async () => {
      mac.update({ macOS: { productVersion: '13.3.1', buildVersion: '22E772610a', productVersionExtra: '(a)' } });
      const r = await run('/usr/bin/sw_vers');
      expect(r.stdout).toBe(blockContaining('### 1.1', 'ProductVersionExtra:\t(a)'));
      expect(r.stdout).toBe(escapedAfter('### 1.1', 'Rapid Security Response applied'));
      expect([r.stderr, r.code]).toEqual(['', 0]);
    });

    test('13+ without RSR', async () => {
      mac.update({ macOS: { productVersion: '13.2.1', buildVersion: '22D68' } });
      const r = await run('/usr/bin/sw_vers');
      expect(r.stdout).toBe(blockContaining('### 1.1', 'ProductVersion:\t\t13.2.1'));
      expect(r.stdout).toBe(escapedAfter('### 1.1', 'no RSR'));
    });

    test('11 and 12: single tab', async () => {
      mac.update({ macOS: { productVersion: '12.6.1', buildVersion: '21G217' } });
      const r = await run('/usr/bin/sw_vers');
      expect(r.stdout).toBe(blockContaining('### 1.1', 'ProductVersion:\t12.6.1'));
      expect(r.stdout).toBe(escapedAfter('### 1.1', 'macOS 11 and 12'));
    });

    test('single-value forms', async () => {
      mac.update({ macOS: { productVersion: '13.3.1', buildVersion: '22E772610a', productVersionExtra: '(a)' } });
      const sample = blockAfter('### 1.1', '**Single-value forms**');
      const expected = new Map<string, string>();
      const lines = sample.trimEnd().split('\n');
      for (let i = 0; i < lines.length; i += 2) expected.set((lines[i] ?? '').replace('$ sw_vers ', ''), `${lines[i + 1]}\n`);
      expect(expected.size).toBe(3);
      for (const [option, output] of expected) expect((await run('/usr/bin/sw_vers', [option])).stdout).toBe(output);
    });
  });

  test('a .0 release has two components; double-dash spellings work', async () => {
    mac.update({ macOS: { productVersion: '26.0', buildVersion: '25A354' } });
    expect((await run('/usr/bin/sw_vers', ['--productVersion'])).stdout).toBe('26.0\n');
    expect((await run('/usr/bin/sw_vers', ['-buildVersion'])).stdout).toBe('25A354\n');
  });

  test('empty ProductVersionExtra on 13+, unknown option on 12', async () => {
    mac.update({ macOS: { productVersion: '15.5', buildVersion: '24F74' } });
    expect(await run('/usr/bin/sw_vers', ['-productVersionExtra'])).toEqual({ stdout: '\n', stderr: '', code: 0 });
    mac.update({ macOS: { productVersion: '12.7.6', buildVersion: '21H1320' } });
    const r = await run('/usr/bin/sw_vers', ['-productVersionExtra']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
  });
});

describe('arch and sysctl (§1.2, §1.3)', () => {
  test('Apple silicon, native', async () => {
    mac.update({ appleSilicon: true, rosetta: false });
    expect((await run('/usr/bin/arch')).stdout).toBe('arm64\n');
    expect(await run('/usr/sbin/sysctl', ['-n', 'hw.optional.arm64'])).toEqual({ stdout: '1\n', stderr: '', code: 0 });
    expect((await run('/usr/sbin/sysctl', ['-n', 'sysctl.proc_translated'])).stdout).toBe('0\n');
    expect((await run('/usr/sbin/sysctl', ['-n', 'machdep.cpu.brand_string'])).stdout).toBe('Apple M1\n');
  });

  test('Rosetta: arch says i386, the arm64 OID still says 1', async () => {
    mac.update({ rosetta: true });
    expect((await run('/usr/bin/arch')).stdout).toBe('i386\n');
    expect((await run('/usr/sbin/sysctl', ['-n', 'hw.optional.arm64', 'sysctl.proc_translated'])).stdout).toBe('1\n1\n');
    mac.update({ rosetta: false });
  });

  withReference('Intel', () => {
    test('arch i386; hw.optional.arm64 is an unknown oid on stderr with exit 1; -i ignores it', async () => {
      mac.update({ appleSilicon: false });
      expect((await run('/usr/bin/arch')).stdout).toBe('i386\n');
      const r = await run('/usr/sbin/sysctl', ['-n', 'hw.optional.arm64']);
      const confirmed = /stderr\s+`(sysctl: unknown oid 'hw\.optional\.arm64')`, exit 1/.exec(section('### 1.3'))?.[1];
      expect(r).toEqual({ stdout: '', stderr: `${confirmed}\n`, code: 1 });
      expect(await run('/usr/sbin/sysctl', ['-in', 'hw.optional.arm64'])).toEqual({ stdout: '', stderr: '', code: 0 });
      mac.update({ intelArm64Oid: 'zero' });
      expect((await run('/usr/sbin/sysctl', ['-n', 'hw.optional.arm64'])).stdout).toBe('0\n');
      mac.update({ appleSilicon: true, intelArm64Oid: 'missing' });
    });
  });

  withReference('the arch row of the §1.2 table', () => {
    test('arm64 native, i386 on Intel, i386 under Rosetta', async () => {
      const row = /\| `arch` \| `(\w+)` \| `(\w+)` \| `(\w+)` \|/.exec(section('### 1.2'));
      const outputs: string[] = [];
      for (const patch of [{ appleSilicon: true, rosetta: false }, { appleSilicon: false, rosetta: false }, { appleSilicon: true, rosetta: true }]) {
        mac.update(patch);
        outputs.push((await run('/usr/bin/arch')).stdout.trim());
      }
      expect(outputs).toEqual(row?.slice(1, 4));
      mac.update({ appleSilicon: true, rosetta: false });
    });
  });

  test('kern.boottime in the { sec = N, usec = N } form', async () => {
    const r = await run('/usr/sbin/sysctl', ['-n', 'kern.boottime']);
    expect(r.stdout).toMatch(/^\{ sec = \d+, usec = \d+ \} \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n$/);
    expect(Number(/sec = (\d+)/.exec(r.stdout)?.[1])).toBe(Math.floor(mac.world().bootTime));
  });
});

describe('ioreg (§2.1)', () => {
  test('Apple silicon: the properties parsers match, binary serial-number is not the serial', async () => {
    mac.update({ appleSilicon: true, hardwareUUID: 'ABCDEF01-2345-6789-ABCD-EF0123456789', serialNumber: 'FVFXXXXXXXXX' });
    const r = await run('/usr/sbin/ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\+-o J313AP {2}<class IOPlatformExpertDevice, /);
    expect(/"IOPlatformUUID" = "([0-9A-Fa-f-]{36})"/.exec(r.stdout)?.[1]).toBe('ABCDEF01-2345-6789-ABCD-EF0123456789');
    expect(/"IOPlatformSerialNumber" = "([^"]+)"/.exec(r.stdout)?.[1]).toBe('FVFXXXXXXXXX');
    expect(r.stdout).toMatch(/"serial-number" = <[0-9a-f]+>/);
    expect(r.stdout).toContain('"manufacturer" = <"Apple Inc.">');
  });

  test('Intel key set, and -a prints an XML plist', async () => {
    mac.update({ appleSilicon: false });
    const r = await run('/usr/sbin/ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice']);
    expect(r.stdout).toContain('"IOPolledInterface" = "SMCPolledInterface is not serializable"');
    expect(r.stdout).toContain('"board-id" = <"Mac-');
    const xml = await run('/usr/sbin/ioreg', ['-a', '-rd1', '-c', 'IOPlatformExpertDevice']);
    const { parse } = await import('plist');
    const parsed = parse(xml.stdout) as Array<Record<string, unknown>>;
    expect(parsed[0]?.IOPlatformUUID).toBe('ABCDEF01-2345-6789-ABCD-EF0123456789');
    expect(parsed[0]?.IOPlatformSerialNumber).toBe('FVFXXXXXXXXX');
    mac.update({ appleSilicon: true });
  });

  test('HIDIdleTime', async () => {
    mac.update({ idleSeconds: 42 });
    const r = await run('/usr/sbin/ioreg', ['-c', 'IOHIDSystem']);
    expect(/"HIDIdleTime" = (\d+)/.exec(r.stdout)?.[1]).toBe('42000000000');
    // super's awk '{print $6}' sees the same number
    expect(r.stdout.split('\n').find((l) => l.includes('HIDIdleTime'))?.trim().split(/\s+/)[5]).toBe('42000000000');
  });
});

describe('system_profiler SPHardwareDataType (§2.2)', () => {
  withReference('against the reference samples', () => {
    test('Apple silicon text form equals the published layout', async () => {
      mac.update({
        appleSilicon: true, model: 'MacBookAir10,1', serialNumber: 'FVFXXXXXXXXX',
        hardwareUUID: 'ABCDEF01-2345-6789-ABCD-EF0123456789', provisioningUDID: '00008103-001234567890001E',
      });
      const r = await run('/usr/sbin/system_profiler', ['SPHardwareDataType']);
      expect(r.stdout).toBe(blockContaining('### 2.2', 'Hardware Overview:'));
    });

    test('JSON form: same keys and values as the reference, Apple\'s " : " spacing', async () => {
      const r = await run('/usr/sbin/system_profiler', ['-json', 'SPHardwareDataType']);
      const sample = blockContaining('### 2.2', '"SPHardwareDataType" : [');
      expect(JSON.parse(r.stdout)).toEqual(JSON.parse(sample));
      expect(r.stdout).toBe(sample);
    });
  });

  test('Intel: processor lines instead of Chip; number_processors is an integer', async () => {
    mac.update({ appleSilicon: false });
    const text = (await run('/usr/sbin/system_profiler', ['SPHardwareDataType'])).stdout;
    expect(text).toContain('      Processor Name: ');
    expect(text).not.toContain('Chip:');
    expect(text).toMatch(/^\s*Serial Number \(system\):\s*(.+)$/m);
    const json = JSON.parse((await run('/usr/sbin/system_profiler', ['-json', 'SPHardwareDataType'])).stdout) as { SPHardwareDataType: Array<Record<string, unknown>> };
    expect(typeof json.SPHardwareDataType[0]?.number_processors).toBe('number');
    expect(json.SPHardwareDataType[0]?.chip_type).toBeUndefined();
    mac.update({ appleSilicon: true });
  });

  test('-detailLevel mini drops the serial number and UUID', async () => {
    const text = (await run('/usr/sbin/system_profiler', ['-detailLevel', 'mini', 'SPHardwareDataType'])).stdout;
    expect(text).toContain('Model Name:');
    expect(text).not.toMatch(/Serial Number|Hardware UUID/);
  });
});

describe('plists under the root', () => {
  test('SystemVersion.plist follows the world', async () => {
    mac.update({ macOS: { productVersion: '14.7.1', buildVersion: '23H222' } });
    const { parse } = await import('plist');
    const text = fs.readFileSync(path.join(mac.root, 'System/Library/CoreServices/SystemVersion.plist'), 'utf8');
    expect(parse(text)).toMatchObject({ ProductVersion: '14.7.1', ProductBuildVersion: '23H222', ProductName: 'macOS' });
  });

  test('every fake is an executable file with a node shebang', () => {
    for (const cmd of ['/usr/bin/sw_vers', '/bin/launchctl', '/usr/libexec/mdmclient', '/usr/local/jamf/bin/jamf']) {
      const file = path.join(mac.root, cmd);
      expect(fs.statSync(file).mode & 0o777).toBe(0o755);
      expect(fs.readFileSync(file, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    }
    expect(fs.readlinkSync(path.join(mac.root, '/usr/local/bin/jamf'))).toBe('../jamf/bin/jamf');
  });
});
