import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createFakeMac, runFake, type FakeMac } from './index';
import { blockAfter, blockContaining, escapedAfter, loadReference, REFERENCE_MISSING } from './reference';

// softwareupdate --list / --list-full-installers / --download / --install (reference §6).

const hasReference = loadReference() !== null;
if (!hasReference) console.warn(REFERENCE_MISSING);
const withReference = hasReference ? describe : describe.skip;

const SU = '/usr/sbin/softwareupdate';
const VENTURA = { label: 'macOS Ventura 13.7.4-22H420', title: 'macOS Ventura 13.7.4', version: '13.7.4', sizeKiB: 1555614, restart: true };
const SAFARI = { label: 'Safari18.3.1VenturaAuto-18.3.1', title: 'Safari', version: '18.3.1', sizeKiB: 175218 };

let mac: FakeMac;
const run = (args: string[], stdin?: string) => runFake(mac.root, SU, args, { stdin });
const merged = (args: string[], stdin?: string) => runFake(mac.root, SU, args, { stdin, merged: true });

beforeAll(async () => {
  mac = await createFakeMac({
    macOS: { productVersion: '13.6.1', buildVersion: '22G313' },
    users: [
      { name: 'owner', password: 'owner pw', admin: true, secureToken: true },
      { name: 'nonowner', password: 'x', admin: true },
    ],
    availableUpdates: [SAFARI, VENTURA],
  });
});
afterAll(() => mac.cleanup());

/** The non-"…" pieces of a sample appear in the output, in order. */
function expectPiecesInOrder(output: string, sample: string): void {
  let from = 0;
  for (const piece of sample.split(/^….*\n/m).filter((p) => p.trim() !== '')) {
    const at = output.indexOf(piece, from);
    expect({ piece, found: at >= 0 }).toEqual({ piece, found: true });
    from = at + piece.length;
  }
}

describe('--list (§6.1)', () => {
  withReference('reference samples', () => {
    test('macOS + Safari: list on stdout (one TAB, trailing ", "), banner on stderr', async () => {
      const r = await run(['--list']);
      const sample = blockContaining('### 6.1', 'Safari18.3.1VenturaAuto-18.3.1');
      expect(r.stderr).toBe('Software Update Tool\n\nFinding available software\n');
      expect(r.stderr + r.stdout).toBe(`Software Update Tool\n\n${sample}`);
      expect(r.stdout.endsWith(escapedAfter('### 6.1', 'Escaped second item'))).toBe(true);
      expect(r.code).toBe(0);
    });

    test('no updates', async () => {
      mac.update({ availableUpdates: [] });
      expect(await merged(['--list'])).toEqual({ stdout: blockAfter('### 6.1', '\nNo updates:'), stderr: '', code: 0 });
      mac.update({ availableUpdates: [SAFARI, VENTURA] });
    });
  });

  test('RSR label and a non-recommended item', async () => {
    mac.update({ availableUpdates: [{ label: 'macOS Security Response 13.3.1 (a)-22E772610a', title: 'macOS Security Response 13.3.1 (a)', version: '13.3.1 (a)', sizeKiB: 123456, recommended: false, restart: true }] });
    const r = await run(['-l']);
    expect(r.stdout).toContain('* Label: macOS Security Response 13.3.1 (a)-22E772610a\n\tTitle: macOS Security Response 13.3.1 (a), Version: 13.3.1 (a), Size: 123456KiB, Recommended: NO, Action: restart, \n');
    mac.update({ availableUpdates: [SAFARI, VENTURA] });
  });

  test('connection errors', async () => {
    mac.update({ softwareupdateScan: 'cantConnect' });
    let r = await merged(['--list']);
    expect(r.stdout).toContain('Can\u2019t connect');
    expect(r.code).not.toBe(0);
    mac.update({ softwareupdateScan: 'couldntCommunicate' });
    r = await merged(['--list']);
    expect(r.stdout).toContain("Couldn't communicate");
    mac.update({ softwareupdateScan: 'ok' });
  });
});

withReference('--list-full-installers (§6.2)', () => {
  test('with and without Deferred', async () => {
    mac.update({
      fullInstallers: [
        { title: 'macOS Sequoia', version: '15.3.1', sizeKiB: 14891477, build: '24D70', deferred: false },
        { title: 'macOS Sequoia', version: '15.3', sizeKiB: 14889290, build: '24D60', deferred: false },
        { title: 'macOS Sequoia', version: '15.2', sizeKiB: 14921025, build: '24C101', deferred: false },
      ],
    });
    expect((await merged(['--list-full-installers'])).stdout).toBe(blockAfter('### 6.2', 'Current format'));
    mac.update({ fullInstallers: [{ title: 'macOS Sonoma', version: '14.6', sizeKiB: 13339695, build: '23G80' }] });
    expect((await run(['--list-full-installers'])).stdout).toContain('* Title: macOS Sonoma, Version: 14.6, Size: 13339695KiB, Build: 23G80\n');
    mac.update({ fullInstallers: [] });
  });
});

describe('--download and --install (§6.3, §6.4)', () => {
  const V133 = { label: 'macOS Ventura 13.3-22E252', title: 'macOS Ventura 13.3', version: '13.3', sizeKiB: 3000000, restart: true };

  withReference('reference samples', () => {
    test('download progress, 13.0 -> 13.3 (asu.log)', async () => {
      mac.update({ availableUpdates: [V133] });
      const r = await merged(['--download', V133.label, '--agree-to-license']);
      expect(r.code).toBe(0);
      expectPiecesInOrder(r.stdout, blockAfter('### 6.3', 'Real output, Apple silicon, 13.0'));
      expect(r.stdout).toMatch(/^Software Update Tool\n\nFinding available software\nDownloading macOS Ventura 13\.3\n\nDownloading: 0\.10%\n/);
      expect(r.stdout.endsWith('Downloading: 100.00%\nDownloaded: macOS Ventura 13.3\n')).toBe(true);
    });

    test('install of an already-downloaded update is immediate', async () => {
      mac.update({ availableUpdates: [{ ...V133, downloaded: true }] });
      const r = await merged(['--install', V133.label, '--restart', '--force', '--no-scan', '--agree-to-license', '--user', 'owner', '--stdinpass'], 'owner pw\n');
      expect(r).toEqual({ stdout: blockAfter('### 6.4', 'the output is immediate'), stderr: '', code: 0 });
      expect(mac.world().restartPending).toEqual({ label: V133.label, title: V133.title, version: '13.3', restart: true });
    });

    test('non-macOS items end with "Done."', async () => {
      mac.update({ availableUpdates: [{ label: 'SF Symbols-6.0', title: 'SF Symbols', version: '6.0', sizeKiB: 1000 }] });
      const r = await merged(['--install', '--all']);
      expect(r).toEqual({ stdout: blockAfter('### 6.4', 'recommended non-macOS items'), stderr: '', code: 0 });
      expect(mac.world().availableUpdates).toEqual([]);
    });

    test('Failed to authenticate after the download (14.5 sample)', async () => {
      const sonoma = { label: 'macOS Sonoma 14.5-23F79', title: 'macOS Sonoma 14.5', version: '14.5', sizeKiB: 900000, restart: true };
      mac.update({ availableUpdates: [sonoma], macOS: { productVersion: '14.4.1', buildVersion: '23E224' } });
      const sample = blockAfter('### 6.3', 'Real authentication failure on 14.5');
      for (const [user, password] of [['owner', 'wrong'], ['nonowner', 'x'], ['ghost', 'x']]) {
        const r = await merged(['--install', sonoma.label, '--restart', '--agree-to-license', '--user', user ?? '', '--stdinpass'], `${password}\n`);
        expect(r.stdout.endsWith(sample)).toBe(true);
        // Exit status not recorded in the capture: the fake exits 0, the case superd must survive.
        expect(r.code).toBe(0);
      }
      mac.update({ softwareupdateInstall: 'authFailure' });
      const forced = await merged(['--install', sonoma.label, '--user', 'owner', '--stdinpass'], 'owner pw\n');
      expect(forced.stdout.endsWith(sample)).toBe(true);
      mac.update({ softwareupdateInstall: 'success' });
    });
  });

  test('install with --user NAME --stdinpass: the password comes from stdin only', async () => {
    mac.update({ availableUpdates: [V133], macOS: { productVersion: '13.6.1', buildVersion: '22G313' } });
    const args = ['--install', V133.label, '--restart', '--force', '--no-scan', '--agree-to-license', '--user', 'owner', '--stdinpass'];
    const r = await run(args, 'owner pw\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Downloaded: macOS Ventura 13.3\n');
    const last = mac.invocations().pop();
    expect(last).toMatchObject({ command: SU, argv: args, stdinUsed: true });
  });

  test('the macOS 12 form passes the password as the argument of --stdinpass', async () => {
    const r = await run(['--install', V133.label, '--user', 'owner', '--stdinpass', 'owner pw']);
    expect(r.code).toBe(0);
    expect(mac.invocations().pop()?.stdinUsed).toBe(false);
  });

  test('not enough space, unknown label, nothing to install', async () => {
    mac.update({ softwareupdateInstall: 'notEnoughSpace' });
    let r = await merged(['--install', V133.label, '--user', 'owner', '--stdinpass'], 'owner pw\n');
    expect(r.stdout).toContain('Not enough free disk space');
    expect(r.code).not.toBe(0);
    mac.update({ softwareupdateInstall: 'success' });
    r = await merged(['--download', 'macOS Nope 1.0-1A1']);
    expect(r.stdout).toContain('No such update');
    mac.update({ availableUpdates: [] });
    r = await merged(['--install', '--all']);
    expect(r.stdout).toContain('No updates are available');
  });

  test('hang: keeps running until SIGTERM, and is logged before it hangs', async () => {
    mac.update({ availableUpdates: [V133], softwareupdateInstall: 'hang' });
    const child = spawn(path.join(mac.root, SU), ['--install', V133.label, '--user', 'owner', '--stdinpass'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end('owner pw\n');
    try {
      let out = '';
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('Downloading: 1.00%')) resolve();
        });
      });
      expect(mac.invocations().pop()).toMatchObject({ command: SU, stdinUsed: true });
      const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 143, signal: null });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    mac.update({ softwareupdateInstall: 'success' });
  });
});
