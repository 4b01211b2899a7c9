/**
 * The package's preinstall and postinstall, run under /bin/sh as Apple's installer runs them
 * ($1 package, $2 install location, $3 target volume), against the fake Mac. The fake sysctl,
 * sw_vers and launchctl they call are served from this process (test/sim/mac/commandServer.ts:
 * each is still a real exec of the file at its macOS path, answered by the fake's own handler),
 * so a script's many launchctl polls cost no Node start each.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serveFakeCommands, type CommandServer, type FakeMac, type FakeMacOptions } from '../sim/mac';
import { createScriptMac, HOME_DIR, installPayload, LABEL, launchctlCalls, PLIST, runScript, sleeps } from './scriptHarness';

const PKG = '/private/tmp/superd-1.0.0.pkg';
const installerArgs = (volume: string) => [PKG, '/', volume, '/'];

/** The macOS commands launchd/preinstall and postinstall run. */
const SERVED = ['/usr/sbin/sysctl', '/usr/bin/sw_vers', '/bin/launchctl'];

let mac: FakeMac;
let served: CommandServer | undefined;
async function setUp(options: FakeMacOptions = {}): Promise<FakeMac> {
  mac = await createScriptMac(options);
  served = await serveFakeCommands(mac.root, SERVED);
  return mac;
}
afterEach(async () => {
  await served?.close();
  served = undefined;
  await mac?.cleanup();
});

/** Both scripts in installer order; postinstall runs only when preinstall succeeded. */
async function install(volume = '/') {
  const pre = await runScript(mac.root, 'preinstall', installerArgs(volume));
  if (pre.code !== 0) return { pre, post: null };
  installPayload(mac.root, volume);
  const post = await runScript(mac.root, 'postinstall', installerArgs(volume));
  return { pre, post };
}

describe('preinstall refuses a Mac superd cannot run on, before anything changes', () => {
  test('an Intel Mac (hw.optional.arm64 missing): exit 1, the reason on stderr, the old daemon untouched', async () => {
    await setUp({ appleSilicon: false, launchd: { loaded: [LABEL], running: [LABEL] } });
    const { pre, post } = await install();
    expect(pre.code).toBe(1);
    expect(pre.stderr).toContain("this Mac is not Apple silicon (sysctl hw.optional.arm64 is 'missing')");
    expect(pre.stderr).toContain('a superd already installed keeps running');
    expect(post).toBeNull();
    expect(launchctlCalls(mac)).toEqual([]);
    expect(mac.world().launchd).toMatchObject({ loaded: [LABEL], running: [LABEL] });
  });

  test('an Intel Mac where the OID prints 0 is refused too', async () => {
    await setUp({ appleSilicon: false, intelArm64Oid: 'zero' });
    const { pre } = await install();
    expect(pre.code).toBe(1);
    expect(pre.stderr).toContain("hw.optional.arm64 is '0'");
  });

  test('macOS 12: refused with the bundled Node minimum, 13.5', async () => {
    await setUp({ macOS: { productVersion: '12.7.6', buildVersion: '21H1320' }, launchd: { loaded: [LABEL], running: [LABEL] } });
    const { pre, post } = await install();
    expect(pre.code).toBe(1);
    expect(pre.stderr).toContain("/ runs macOS 12.7.6; superd's bundled Node needs macOS 13.5 or later.");
    expect(post).toBeNull();
    expect(mac.world().launchd.loaded).toEqual([LABEL]);
  });

  test('13.4 is refused, 13.5 and 26.1 pass', async () => {
    await setUp({ macOS: { productVersion: '13.4.1', buildVersion: '22F82' } });
    expect((await runScript(mac.root, 'preinstall', installerArgs('/'))).code).toBe(1);
    mac.update({ macOS: { productVersion: '13.5', buildVersion: '22G74' } });
    const ok = await runScript(mac.root, 'preinstall', installerArgs('/'));
    expect(ok).toMatchObject({ code: 0, stdout: 'superd preinstall: Apple silicon, macOS 13.5 on /: OK.\n' });
    mac.update({ macOS: { productVersion: '26.1', buildVersion: '25B78' } });
    expect((await runScript(mac.root, 'preinstall', installerArgs('/'))).code).toBe(0);
  });

  test('super installed: a warning in the installer log, the install goes on', async () => {
    await setUp();
    fs.writeFileSync(path.join(mac.root, 'Library/LaunchDaemons/com.macjutsu.super.plist'), '<plist/>');
    const { pre, post } = await install();
    expect(pre.code).toBe(0);
    expect(pre.stdout).toContain('warning: super (com.macjutsu.super) is installed on /');
    expect(post?.code).toBe(0);
  });
});

describe('postinstall', () => {
  test('fresh install: modes fixed, data folders made, the daemon bootstrapped once', async () => {
    await setUp();
    const { pre, post } = await install();
    expect(pre.code).toBe(0);
    expect(post).toMatchObject({ code: 0, stderr: '' });
    expect(post?.stdout).toContain('superd installed (bundled Node v26.0.0); the daemon is loaded (system/com.github.superd).');
    expect(launchctlCalls(mac)).toEqual([`print system/${LABEL}`, `bootstrap system ${PLIST}`]);
    expect(fs.statSync(path.join(mac.root, PLIST)).mode & 0o777).toBe(0o644);
    expect(fs.statSync(path.join(mac.root, HOME_DIR, 'logs')).isDirectory()).toBe(true);
    expect(mac.world().launchd.loaded).toEqual([LABEL]);
    expect(sleeps(mac.root)).toBe(0);
  });

  test('upgrade: the old daemon is booted out, its exit awaited by polling print, then the new one bootstrapped', async () => {
    await setUp({ launchd: { loaded: [LABEL], running: [LABEL], bootoutPendingPolls: 3 } });
    const { post } = await install();
    expect(post?.code).toBe(0);
    expect(post?.stdout).toContain('stopping the running superd (launchctl bootout system/com.github.superd).');
    const calls = launchctlCalls(mac);
    expect(calls[0]).toBe(`print system/${LABEL}`);
    expect(calls[1]).toBe(`bootout system/${LABEL}`);
    // Three polls still see it, the fourth does not; only then the bootstrap.
    expect(calls.slice(2)).toEqual([...Array(4).fill(`print system/${LABEL}`), `bootstrap system ${PLIST}`]);
    expect(sleeps(mac.root)).toBe(3);
    expect(mac.world().launchd.loaded).toEqual([LABEL]);
  });

  test('a bootout that never finishes: bounded, fails with the reason, no bootstrap over it', async () => {
    await setUp({ launchd: { loaded: [LABEL], running: [LABEL], bootoutPendingPolls: 1000 } });
    const { post } = await install();
    expect(post?.code).toBe(1);
    expect(post?.stderr).toContain('the running superd did not stop within 30 s');
    expect(launchctlCalls(mac).filter((c) => c.startsWith('bootstrap'))).toEqual([]);
    expect(sleeps(mac.root)).toBe(30);
  }, 120_000); // 30 polls of the fake launchctl

  test('bootstrap failing once (launchd error 5) is retried and then succeeds', async () => {
    await setUp({ launchd: { loaded: [], bootstrapFailures: 1 } });
    const { post } = await install();
    expect(post?.code).toBe(0);
    expect(post?.stdout).toContain('launchctl bootstrap failed (Bootstrap failed: 5: Input/output error); trying again (1 of 5).');
    expect(launchctlCalls(mac).filter((c) => c.startsWith('bootstrap'))).toHaveLength(2);
    expect(sleeps(mac.root)).toBe(1);
    expect(mac.world().launchd.loaded).toEqual([LABEL]);
  });

  test('bootstrap failing every time: five tries, then exit 1 saying why and what to do', async () => {
    await setUp({ launchd: { loaded: [], bootstrapFailures: 99 } });
    const { post } = await install();
    expect(post?.code).toBe(1);
    expect(post?.stderr).toContain(`launchctl bootstrap system ${PLIST} failed 5 times (last: Bootstrap failed: 5: Input/output error)`);
    expect(post?.stderr).toContain(`sudo launchctl bootstrap system ${PLIST}`);
    expect(launchctlCalls(mac).filter((c) => c.startsWith('bootstrap'))).toHaveLength(5);
  });

  test('a bundled Node that does not run: the running daemon is left running', async () => {
    await setUp({ launchd: { loaded: [LABEL], running: [LABEL] } });
    expect((await runScript(mac.root, 'preinstall', installerArgs('/'))).code).toBe(0);
    installPayload(mac.root, '/', { nodeRuns: false });
    const post = await runScript(mac.root, 'postinstall', installerArgs('/'));
    expect(post.code).toBe(1);
    expect(post.stderr).toContain('the bundled Node does not run on this Mac (dyld[1]: Symbol not found); the running superd, if any, was left running.');
    expect(launchctlCalls(mac)).toEqual([]);
    expect(mac.world().launchd).toMatchObject({ loaded: [LABEL], running: [LABEL] });
  });

  test('another target volume: its version is checked, paths go under it, launchd is not touched', async () => {
    await setUp({ launchd: { loaded: [LABEL], running: [LABEL] } });
    const volume = '/Volumes/Spare HD';
    const sysVersion = path.join(mac.root, volume, 'System/Library/CoreServices/SystemVersion.plist');
    fs.mkdirSync(path.dirname(sysVersion), { recursive: true });
    fs.copyFileSync(path.join(mac.root, 'System/Library/CoreServices/SystemVersion.plist'), sysVersion);
    const { pre, post } = await install(volume);
    expect(pre).toMatchObject({ code: 0, stdout: `superd preinstall: Apple silicon, macOS 15.5 on ${volume}: OK.\n` });
    expect(post?.code).toBe(0);
    expect(post?.stdout).toContain(`installed on ${volume}, not the startup volume: launchd was not touched`);
    expect(fs.statSync(path.join(mac.root, volume, PLIST)).mode & 0o777).toBe(0o644);
    expect(fs.existsSync(path.join(mac.root, volume, HOME_DIR, 'logs'))).toBe(true);
    expect(fs.existsSync(path.join(mac.root, HOME_DIR, 'logs'))).toBe(false);
    expect(launchctlCalls(mac)).toEqual([]);
    expect(mac.world().launchd).toMatchObject({ loaded: [LABEL], running: [LABEL] });
  });

  test('another target volume on macOS 12, or with no readable version: refused', async () => {
    await setUp();
    const volume = '/Volumes/Old';
    const sysVersion = path.join(mac.root, volume, 'System/Library/CoreServices/SystemVersion.plist');
    fs.mkdirSync(path.dirname(sysVersion), { recursive: true });
    const text = fs.readFileSync(path.join(mac.root, 'System/Library/CoreServices/SystemVersion.plist'), 'utf8');
    expect(text).toContain('<key>ProductVersion</key>');
    fs.writeFileSync(sysVersion, text.replace(/(<key>ProductVersion<\/key>\s*<string>)[^<]*/, '$112.7.6'));
    const old = await runScript(mac.root, 'preinstall', installerArgs(volume));
    expect(old.code).toBe(1);
    expect(old.stderr).toContain(`${volume} runs macOS 12.7.6`);
    const none = await runScript(mac.root, 'preinstall', installerArgs('/Volumes/Data'));
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("cannot read the macOS version of /Volumes/Data ('nothing')");
  });
});
