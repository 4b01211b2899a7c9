import * as fs from 'node:fs';
import * as path from 'node:path';
import { CommandAbortedError, CommandNotFoundError, CommandTimeoutError } from '../../../daemon/errors';
import { expectScript } from '../../../daemon/host/expect';
import { ESCROW_PROMPTS } from '../../../daemon/host/profilesBootstrapEscrow';
import { createRunCommand, type CommandResult, type RunCommand } from '../../../daemon/host/runCommand';
import { createFakeMac, createInProcessRunCommand, type FakeMac, type FakeMacOptions } from './index';

// The in-process runner must be indistinguishable from launching the fakes: same output, exit
// status, invocation log and world changes, and the same errors as the real runner.

const SECRET = 'Tr0ub4dor&3 horse battery';
const OPTIONS: FakeMacOptions = {
  users: [{ name: 'jdoe', password: SECRET, uid: 501, admin: true, secureToken: true }],
  bootstrap: { supported: true, escrowed: false },
  availableUpdates: [{ label: 'macOS Sequoia 15.6-24G84', title: 'macOS Sequoia 15.6', version: '15.6', sizeKiB: 2000000, restart: true }],
  dialog: [{ kind: 'ok', text: SECRET }, { kind: 'cancel' }],
};
const KEYCHAIN_VALUE = Buffer.from('client-secret-value').toString('base64');

/** Commands covering stdin, world changes, a nested fake (asuser → osascript), failures and NSLog noise. */
const ESCROW = expectScript(['/usr/bin/profiles', 'install', '-type', 'bootstraptoken'], [
  { prompt: ESCROW_PROMPTS.user, answer: 'jdoe', secret: false },
  { prompt: ESCROW_PROMPTS.password, answer: SECRET, secret: true },
], 60);
const STEPS: Array<[string, string[], string?, Record<string, string>?]> = [
  ['/usr/bin/sw_vers', []],
  ['/usr/sbin/sysctl', ['-n', 'hw.optional.arm64']],
  ['/usr/sbin/ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice']],
  ['/usr/bin/dscl', ['/Local/Default'], `-authonly jdoe "${SECRET}"\n`],
  ['/usr/bin/dscl', ['/Local/Default'], '-authonly jdoe "wrong"\n'],
  ['/usr/bin/security', ['-i'], `add-generic-password -U -a superd_auth_jamf_secret -s superd -w "${KEYCHAIN_VALUE}" /Library/Keychains/System.keychain\n`],
  ['/usr/bin/security', ['find-generic-password', '-a', 'superd_auth_jamf_secret', '-s', 'superd', '-w', '/Library/Keychains/System.keychain']],
  ['/usr/bin/security', ['find-generic-password', '-a', 'nobody', '-s', 'superd', '-w']],
  ['/usr/sbin/sysadminctl', ['-addUser', 'svc', '-fullName', 'svc', '-password', '-', '-adminUser', 'jdoe', '-adminPassword', '-'], `n3w-pa55\n${SECRET}\n`],
  ['/usr/bin/id', ['-u']],
  ['/usr/sbin/scutil', [], 'show State:/Users/ConsoleUser\n'],
  ['/bin/launchctl', ['asuser', '501', '/usr/bin/osascript', '-e', 'display dialog "Password" default answer "" with hidden answer giving up after 60']],
  ['/bin/launchctl', ['asuser', '501', '/usr/bin/osascript', '-e', 'display dialog "Password" default answer "" with hidden answer']],
  ['/usr/bin/osascript', ['-e', 'display dialog "Password" default answer ""']],
  ['/usr/sbin/softwareupdate', ['--list']],
  ['/usr/bin/profiles', ['status', '-type', 'bootstraptoken']],
  ['/usr/libexec/mdmclient', ['QueryDeviceInformation']],
  ['/usr/local/bin/jamf', ['version']],
  ['/usr/bin/logger', ['-t', 'superd', '-p', 'user.notice', '--', '[test] hello']],
  // expect answers the prompts of a real profiles process from its environment (secrets never in argv).
  ['/usr/bin/expect', ['-c', ESCROW], undefined, { SUPERD_ANSWER_0: 'jdoe', SUPERD_ANSWER_1: SECRET }],
  ['/usr/bin/profiles', ['status', '-type', 'bootstraptoken']],
];

/** NSLog prefixes and `logger` entries carry the time and a pid; nothing else may differ. */
function stable(text: string): string {
  return text
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}(\d{3})?([+-]\d{4})? (\S+)\[\d+:[0-9a-fx]+\]/g, '<time> $3[<pid>]')
    .replace(/"(timestamp|time)":"[^"]*"/g, '"$1":"<time>"')
    .replace(/"(\w+)": ?"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '"$1":"<time>"')
    .replace(/"(processID|threadID)":\d+/g, '"$1":0');
}

async function transcript(mac: FakeMac, run: RunCommand) {
  const results: Array<CommandResult | string> = [];
  for (const [command, args, stdin, env] of STEPS) {
    const r = await run(command, args, { timeoutMs: 60_000, stdin, env }).catch((e: unknown) => String(e));
    results.push(typeof r === 'string' ? r : { ...r, stdout: stable(r.stdout), stderr: stable(r.stderr) });
  }
  const files = ['world.json', 'keychain.json', 'unified.log'].map((f) => stable(fs.readFileSync(path.join(mac.root, '.fake', f), 'utf8')));
  return { results, invocations: mac.invocations().map(({ command, argv, stdinUsed }) => ({ command, argv, stdinUsed })), files };
}

const macs: FakeMac[] = [];
afterAll(async () => {
  for (const m of macs) await m.cleanup();
});
async function open(opts: FakeMacOptions = OPTIONS): Promise<FakeMac> {
  const mac = await createFakeMac(opts);
  macs.push(mac);
  return mac;
}

test('same output, exit status, invocation log and world changes as launching each fake', async () => {
  // The world's boot time is taken from the clock when none is given: the same for both Macs.
  const same = { ...OPTIONS, bootTime: Math.floor(Date.now() / 1000) - 3600 + 0.5 } as FakeMacOptions;
  const spawned = await open(same);
  const inProcess = await open(same);
  const viaProcesses = await transcript(spawned, createRunCommand(spawned.root));
  const here = await transcript(inProcess, createInProcessRunCommand(inProcess.root));
  expect(here).toEqual(viaProcesses);
  // The transcript is not trivially empty: stdin was used, the dialog answered, the keychain written.
  expect(here.invocations.filter((i) => i.stdinUsed).map((i) => i.command)).toEqual(['/usr/bin/dscl', '/usr/bin/dscl', '/usr/bin/security', '/usr/sbin/sysadminctl', '/usr/sbin/scutil', '/usr/bin/profiles']);
  expect(here.results[11]).toMatchObject({ exitCode: 0, stdout: expect.stringContaining(SECRET) });
  expect(here.invocations.map((i) => i.command)).toContain('/usr/bin/osascript');
  expect(here.results.at(-1)).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/escrowed to server: YES/) });
}, 120_000); // 19 real processes: generous for a busy machine, the comparison does not depend on it

test('a removed command is CommandNotFoundError, like the real runner', async () => {
  const mac = await open({ jamfVersion: null });
  for (const run of [createRunCommand(mac.root), createInProcessRunCommand(mac.root)]) {
    await expect(run('/usr/local/bin/jamf', ['version'], { timeoutMs: 5_000 })).rejects.toBeInstanceOf(CommandNotFoundError);
    await expect(run('/usr/sbin/nothere', [], { timeoutMs: 5_000 })).rejects.toBeInstanceOf(CommandNotFoundError);
  }
  fs.chmodSync(path.join(mac.root, 'usr/bin/sw_vers'), 0o644);
  await expect(createInProcessRunCommand(mac.root)('/usr/bin/sw_vers', [], { timeoutMs: 5_000 })).rejects.toBeInstanceOf(CommandNotFoundError);
  expect(mac.invocations()).toEqual([]);
});

test("a test's own executable in place of a fake runs as a real process", async () => {
  const mac = await open();
  const file = path.join(mac.root, 'usr/bin/sw_vers');
  fs.writeFileSync(file, '#!/bin/sh\necho "ProductVersion: own script $$"\nread line\necho "stdin: $line" >&2\nexit 3\n', { mode: 0o755 });
  const r = await createInProcessRunCommand(mac.root)('/usr/bin/sw_vers', [], { timeoutMs: 10_000, stdin: 'given\n' });
  expect(r.exitCode).toBe(3);
  expect(r.stderr).toBe('stdin: given\n');
  const pid = Number(/own script (\d+)/.exec(r.stdout)?.[1]);
  expect(pid).not.toBe(process.pid);
  expect(mac.invocations()).toEqual([]); // the script is not a fake: nothing recorded
});

test('a hanging fake: CommandTimeoutError after timeoutMs, and the fake is told to stop', async () => {
  const mac = await open({ ...OPTIONS, softwareupdateDownload: 'hang' });
  const run = createInProcessRunCommand(mac.root);
  const error = await run('/usr/sbin/softwareupdate', ['--download', 'macOS Sequoia 15.6-24G84', '--user', 'jdoe', '--stdinpass'], { timeoutMs: 200, stdin: `${SECRET}\n` }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CommandTimeoutError);
  expect(String(error)).not.toContain(SECRET);
  expect(mac.invocations()).toEqual([expect.objectContaining({ command: '/usr/sbin/softwareupdate', stdinUsed: true })]);
});

test('an abort: CommandAbortedError, before the start and while the fake runs', async () => {
  const mac = await open({ ...OPTIONS, softwareupdateDownload: 'hang' });
  const run = createInProcessRunCommand(mac.root);
  await expect(run('/usr/bin/sw_vers', [], { timeoutMs: 5_000, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CommandAbortedError);
  expect(mac.invocations()).toEqual([]);
  const controller = new AbortController();
  const pending = run('/usr/sbin/softwareupdate', ['--download', 'macOS Sequoia 15.6-24G84', '--user', 'jdoe', '--stdinpass'], { timeoutMs: 60_000, signal: controller.signal, stdin: `${SECRET}\n` });
  // The fake records itself as soon as it starts hanging: abort once that is visible.
  while (mac.invocations().length === 0) await new Promise((r) => setImmediate(r));
  controller.abort();
  await expect(pending).rejects.toBeInstanceOf(CommandAbortedError);
});
