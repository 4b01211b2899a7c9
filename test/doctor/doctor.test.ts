/**
 * `superd doctor` against the fake Mac. One run goes the shipped way (main(), every macOS command
 * a real process); the others run the same doctor command with the fake commands in this process
 * (test/sim/mac/inProcessRunner.ts: the same handlers and invocation log, a test's replacement
 * script still a real process), which is what keeps the file fast.
 */
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { SUPERD_VERSION } from '../../daemon/buildInfo';
import { doctorCommand } from '../../daemon/cli/commands/doctor';
import { main } from '../../daemon/cli/main';
import { DOCTOR_CHECKS } from '../../daemon/doctor/checkList';
import { WRONG_PASSWORD } from '../../daemon/doctor/checks/accounts';
import { softwareupdateListCheck } from '../../daemon/doctor/checks/softwareupdate';
import { runDoctor } from '../../daemon/doctor/runner';
import { MASK, redactSeen } from '../../daemon/doctor/seen';
import type { DoctorReport } from '../../daemon/doctor/types';
import { CommandAbortedError, DoctorChecksDifferError } from '../../daemon/errors';
import { exitStatusFor } from '../../daemon/exitStatus';
import { SecretRegistry } from '../../daemon/log/secretRegistry';
import { captureOutput } from '../helpers/captureOutput';
import { findSecrets } from '../helpers/secretScan';
import { createFakeMac, createInProcessRunCommand, type FakeMac, type FakeMacOptions } from '../sim/mac';

/** A Mac as superd finds it in use: one secure-token admin logged in, superd's LaunchDaemon loaded. */
const IN_USE: FakeMacOptions = {
  users: [{ name: 'jdoe', password: 'jdoe-login-pw', admin: true, secureToken: true }],
  launchd: { loaded: ['com.github.superd'], running: ['com.github.superd'] },
};

// The real-process run starts some 25 fake commands (Node processes): generous on a busy 2-core machine.
jest.setTimeout(120_000);

let mac: FakeMac | undefined;
afterEach(async () => {
  delete process.env.SUPERD_ROOT;
  await mac?.cleanup();
  mac = undefined;
});

/**
 * Runs `superd doctor` on a new fake Mac. `realProcesses`: through main() with superd's own
 * spawning runner, as on a Mac; otherwise the doctor command with the in-process runner.
 */
async function doctor(options: FakeMacOptions, args: string[] = [], prepare?: (m: FakeMac) => void, realProcesses = false) {
  mac = await createFakeMac(options);
  prepare?.(mac);
  process.env.SUPERD_ROOT = mac.root;
  const output = captureOutput();
  const status = realProcesses
    ? await main(['doctor', ...args], output)
    : await doctorCommand(args, output, { run: createInProcessRunCommand(mac.root) });
  return { status, stdout: output.stdout(), stderr: output.stderr(), mac };
}

/** Replaces one fake command with a POSIX sh script (a changed output format on a real Mac). */
function replaceCommand(m: FakeMac, macPath: string, script: string): void {
  const file = path.join(m.root, macPath);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
}

test('on a Mac in use every check is confirmed, and the exit status is 0 (main(), real processes)', async () => {
  const { status, stdout, mac: m } = await doctor(IN_USE, [], undefined, true);
  // The fakes were run (each launcher logs its run): main() uses superd's own spawning runner.
  expect(m.invocations().length).toBeGreaterThanOrEqual(DOCTOR_CHECKS.length - 1);
  expect(stdout).toContain(`superd doctor: superd ${SUPERD_VERSION} on macOS 15.5 (24F74)`);
  const ids = DOCTOR_CHECKS.map((c) => c.id);
  for (const id of ids) expect(stdout).toMatch(new RegExp(`^confirmed  ${id}: `, 'm'));
  expect(stdout).toContain(`Summary: ${ids.length} confirmed, 0 differ, 0 skipped (of ${ids.length}).`);
  expect(status).toBe(0);
});

test('--json: one object with superd and macOS versions and, per check, argv as run, result, expected, seen, note', async () => {
  const { status, stdout, mac: m } = await doctor(IN_USE, ['--json']);
  expect(status).toBe(0);
  const report = JSON.parse(stdout) as DoctorReport;
  expect(report.superdVersion).toBe(SUPERD_VERSION);
  expect(report.macOSVersion).toBe('15.5 (24F74)');
  expect(report.summary).toEqual({ confirmed: DOCTOR_CHECKS.length, differs: 0, skipped: 0 });
  expect(report.checks.map((c) => c.id)).toEqual(DOCTOR_CHECKS.map((c) => c.id));
  for (const check of report.checks) {
    expect(Object.keys(check).sort()).toEqual(['command', 'expected', 'id', 'note', 'result', 'seen']);
    expect(check.command[0]).toMatch(/^\//);
    expect(check.expected).not.toBe('');
    expect(check.note).not.toBe('');
  }
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  // Argv as run: the console user's name filled in, the password only on stdin.
  expect(byId.get('dseditgroup-admin')?.command).toEqual(['/usr/sbin/dseditgroup', '-o', 'checkmember', '-m', 'jdoe', 'admin']);
  expect(byId.get('dscl-authonly-refused')?.command).toEqual(['/usr/bin/dscl', '/Local/Default']);
  expect(byId.get('dscl-authonly-refused')?.seen).toContain('eDSRecordNotFound');
  expect(byId.get('sw-vers')?.seen).toContain('ProductVersion:');
  // The keychain value read back is in the output superd saw, but never in the report.
  expect(byId.get('keychain-read')?.seen).toContain('[REDACTED]');
  expect(stdout).not.toMatch(/superd-doctor-[0-9a-f]{24}/);
  expect(stdout).not.toContain(WRONG_PASSWORD);
  // Nor anywhere under the fake Mac (its invocation log keeps every argv).
  expect(findSecrets([WRONG_PASSWORD, 'jdoe-login-pw'], m.root, [stdout])).toEqual([]);
  // This Mac's identifiers (ioreg, mdmclient) are masked: the report goes to an issue tracker.
  const world = m.world();
  expect(stdout).not.toContain(world.serialNumber);
  expect(stdout).not.toContain(world.hardwareUUID);
  expect(byId.get('ioreg-platform')?.seen).toContain(`"IOPlatformSerialNumber" = ${MASK}`);
  expect(byId.get('mdmclient-device-information')?.seen).toContain(`SerialNumber = ${MASK}`);
});

test('a command whose output changed shows differs with what was seen, and the exit status is 78', async () => {
  // listcryptousers without a "Volume Owner" line (the single-user form of reference/macos-commands.md
  // §7.5, apple.stackexchange.com 404880): superd finds no owner to authorise an update.
  const uuid = '1500BE2B-C54E-4ED6-AF1F-33F0BCFED5B0';
  const { status, stdout } = await doctor(IN_USE, [], (m) => {
    replaceCommand(m, '/usr/sbin/diskutil', `printf 'Cryptographic user for disk1s1 (1 found)\\n|\\n+-- ${uuid}\\n    Type: Local Open Directory User\\n'`);
    m.update({ jssAvailable: false });
  });
  expect(status).toBe(78);
  expect(status).toBe(exitStatusFor(new DoctorChecksDifferError(['diskutil-crypto-users'])));
  expect(stdout).toMatch(/^differs    diskutil-crypto-users: \/usr\/sbin\/diskutil apfs listcryptousers \//m);
  expect(stdout).toContain('superd found 1 cryptographic user(s) but no volume owner');
  expect(stdout).toContain(`  | +-- ${uuid}`);
  expect(stdout).toContain('  | exit 0');
  // A world knob: the jamf binary cannot reach Jamf Pro.
  expect(stdout).toMatch(/^differs    jamf-check-connection: /m);
  expect(stdout).toContain('  | The JSS is not available.');
  expect(stdout).toContain('  | exit 1');
  expect(stdout).toContain(`Summary: ${DOCTOR_CHECKS.length - 2} confirmed, 2 differ, 0 skipped`);
});

test('a command that fails shows differs with its exit status and stderr', async () => {
  const { status, stdout } = await doctor(IN_USE, ['--json'], (m) => {
    replaceCommand(m, '/usr/bin/sw_vers', "echo 'sw_vers: unknown option -x' >&2; exit 2");
  });
  const report = JSON.parse(stdout) as DoctorReport;
  const check = report.checks.find((c) => c.id === 'sw-vers');
  expect(check).toMatchObject({ result: 'differs', command: ['/usr/bin/sw_vers'] });
  expect(check?.seen).toBe('exit 2\nstderr:\nsw_vers: unknown option -x');
  expect(check?.note).toContain('[SUPERD_ERR_COMMAND]');
  expect(report.macOSVersion).toBeNull();
  expect(status).toBe(78);
});

test('skipped checks say why and do not change the exit status', async () => {
  const { status, stdout } = await doctor({ ...IN_USE, consoleUser: null, launchd: { loaded: [] } });
  expect(stdout).toMatch(/^skipped    dscl-generated-uid: .*\n\s+nobody is logged in at the console/m);
  expect(stdout).toMatch(/^skipped    launchctl-print: \/bin\/launchctl print system\/com.github.superd\n\s+com.github.superd is not loaded/m);
  expect(stdout).toContain(`Summary: ${DOCTOR_CHECKS.length - 3} confirmed, 0 differ, 3 skipped`);
  expect(status).toBe(0);
});

test('a check with no answer within its bound is skipped (the command is stopped, not waited for)', async () => {
  const run = (_c: string, _a: readonly string[], o: { signal?: AbortSignal }) =>
    new Promise<never>((_resolve, reject) => o.signal?.addEventListener('abort', () => reject(new CommandAbortedError('/usr/sbin/softwareupdate'))));
  const report = await runDoctor({ run, root: '/', checks: [{ ...softwareupdateListCheck, boundMs: 1 }] });
  expect(report.checks[0]).toMatchObject({ id: 'softwareupdate-list', result: 'skipped', command: ['/usr/sbin/softwareupdate', '--list'] });
  expect(report.checks[0]?.note).toContain('no answer within');
  expect(report.summary).toEqual({ confirmed: 0, differs: 0, skipped: 1 });
});

test('nothing is left behind: the keychain test item is gone, no command form changes the Mac, no Jamf Pro request is made', async () => {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const { status, mac: m } = await doctor({ ...IN_USE, jssUrl: `http://127.0.0.1:${port}/` });
    expect(status).toBe(0);
    expect(m.keychain().filter((i) => i.service === 'superd-doctor')).toEqual([]);
    expect(m.keychain()).toEqual([]);
    const invocations = m.invocations();
    expect(invocations.some((i) => i.command === '/usr/bin/security' && i.argv[0] === 'delete-generic-password')).toBe(true);
    const destructive = invocations.filter(({ command, argv }) => {
      const words = argv.join(' ');
      return (
        (command === '/usr/sbin/softwareupdate' && /--install|--download|--fetch-full-installer|-i\b|-d\b/.test(words)) ||
        (command === '/usr/bin/profiles' && argv[0] !== 'status') ||
        command === '/usr/sbin/sysadminctl' ||
        command === '/usr/bin/osascript' ||
        (command === '/bin/launchctl' && argv[0] !== 'print') ||
        (command === '/usr/bin/dscl' && /-(create|delete|append|merge|passwd|change)\b/.test(words)) ||
        (command === '/usr/sbin/dseditgroup' && argv[1] !== 'checkmember') ||
        (command === '/usr/local/bin/jamf' && !['-version', 'checkJSSConnection'].includes(argv[0] ?? '')) ||
        (command === '/usr/libexec/mdmclient' && !['QueryDeviceInformation', 'AvailableOSUpdates'].includes(argv[0] ?? ''))
      );
    });
    expect(destructive).toEqual([]);
    // No secret on a command line: the wrong password went on stdin.
    expect(invocations.some((i) => i.argv.includes(WRONG_PASSWORD))).toBe(false);
    expect(invocations.find((i) => i.command === '/usr/bin/dscl' && i.argv[0] === '/Local/Default')?.stdinUsed).toBe(true);
    expect(m.world().users.map((u) => u.name)).toEqual(['jdoe']);
    expect(requests).toEqual([]);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('the doctor sends nothing to Jamf Pro: its modules import neither the Jamf client nor an HTTP client', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const file = path.join(dir, name);
      return statSync(file).isDirectory() ? files(file) : [file];
    });
  const sources = [...files(path.join(__dirname, '../../daemon/doctor')), path.join(__dirname, '../../daemon/cli/commands/doctor.ts')];
  for (const file of sources) {
    const text = readFileSync(file, 'utf8');
    expect({ file, jamf: /from '(?:\.\.\/)+jamf\/|from 'undici'|from 'node:https?'|\bfetch\(/.test(text) }).toEqual({ file, jamf: false });
  }
});

test('the report masks registered secrets and identifiers, and truncates long output', () => {
  const secrets = new SecretRegistry();
  secrets.registerSecret('s3cret-value');
  const text = `value s3cret-value\nUDID = "ABC";\n"IOPlatformUUID" = "X"\n${'x'.repeat(3000)}`;
  const out = redactSeen(text, secrets, ['FVFFAKE0Q6L4']);
  expect(out).not.toContain('s3cret-value');
  expect(out).toContain(`UDID = ${MASK};`);
  expect(out).toContain(`"IOPlatformUUID" = ${MASK}`);
  expect(out).toMatch(/… \(\d+ more characters left out\)$/);
  expect(redactSeen('serial FVFFAKE0Q6L4', secrets, ['FVFFAKE0Q6L4'])).toBe(`serial ${MASK}`);
});

test('superd doctor takes only --json', async () => {
  const output = captureOutput();
  expect(await main(['doctor', '--verbose'], output)).toBe(64);
  expect(output.stderr()).toContain('superd doctor takes only --json');
});

test('--help lists superd doctor', async () => {
  const output = captureOutput();
  expect(await main(['--help'], output)).toBe(0);
  expect(output.stdout()).toContain('superd doctor [--json]');
});
