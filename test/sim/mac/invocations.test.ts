import * as fs from 'node:fs';
import * as path from 'node:path';
import { createFakeMac, runFake, type FakeMac } from './index';

// The invocation log records argv and whether stdin was used, never what stdin carried; and no
// file under the root keeps a secret that only ever travelled on stdin.

const SECRET = 'Tr0ub4dor&3 horse battery';
const NEW_SECRET = 'n3w-service-pa55';
const KEYCHAIN_VALUE = Buffer.from('client-secret-value').toString('base64');
const UPDATE = { label: 'macOS Sequoia 15.6-24G84', title: 'macOS Sequoia 15.6', version: '15.6', sizeKiB: 2000000, restart: true };

let mac: FakeMac;

beforeAll(async () => {
  mac = await createFakeMac({
    users: [{ name: 'jdoe', password: SECRET, uid: 501, admin: true, secureToken: true }],
    bootstrap: { supported: true, escrowed: false },
    availableUpdates: [UPDATE],
    dialog: [{ kind: 'ok', text: SECRET }],
  });
});
afterAll(() => mac.cleanup());

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() ? [full] : [];
  });
}

test('secrets passed on stdin reach the fakes but are recorded nowhere', async () => {
  const steps: Array<{ cmd: string; args: string[]; stdin: string; expectOut?: string }> = [
    { cmd: '/usr/bin/dscl', args: ['/Local/Default'], stdin: `-authonly jdoe "${SECRET}"\n` },
    { cmd: '/usr/bin/security', args: ['-i'], stdin: `add-generic-password -U -a superd_auth_jamf_secret -s superd -w "${KEYCHAIN_VALUE}" /Library/Keychains/System.keychain\n` },
    {
      cmd: '/usr/sbin/sysadminctl',
      args: ['-addUser', 'superd', '-fullName', 'superd service', '-password', '-', '-adminUser', 'jdoe', '-adminPassword', '-'],
      stdin: `${NEW_SECRET}\n${SECRET}\n`,
    },
    { cmd: '/usr/bin/dscl', args: ['/Local/Default'], stdin: `authonly superd ${NEW_SECRET}\n` },
    { cmd: '/usr/bin/profiles', args: ['install', '-type', 'bootstraptoken'], stdin: `jdoe\n${SECRET}\n` },
    { cmd: '/usr/sbin/softwareupdate', args: ['--install', UPDATE.label, '--restart', '--agree-to-license', '--user', 'jdoe', '--stdinpass'], stdin: `${SECRET}\n` },
  ];
  for (const step of steps) {
    const r = await runFake(mac.root, step.cmd, step.args, { stdin: step.stdin });
    expect({ cmd: step.cmd, code: r.code, stderr: step.cmd === '/usr/sbin/sysadminctl' ? '' : r.stderr.replace(/^Software Update Tool\n\nFinding available software\n/, '') })
      .toEqual({ cmd: step.cmd, code: 0, stderr: '' });
  }
  const dialog = await runFake(mac.root, '/bin/launchctl', ['asuser', '501', '/usr/bin/osascript', '-e', 'display dialog "Password" default answer "" with hidden answer giving up after 60']);
  expect(dialog.stdout).toBe(`button returned:OK, text returned:${SECRET}, gave up:false\n`);

  // The effects happened: the service account exists, the token is escrowed, the item is stored.
  expect(mac.world().users.map((u) => u.name)).toEqual(['jdoe', 'superd']);
  expect(mac.world().bootstrap.escrowed).toBe(true);
  expect(mac.keychain()).toEqual([{ account: 'superd_auth_jamf_secret', service: 'superd', keychain: '/Library/Keychains/System.keychain', value: KEYCHAIN_VALUE }]);

  const log = mac.invocations();
  expect(log.map((i) => [i.command, i.stdinUsed])).toEqual([
    ['/usr/bin/dscl', true], ['/usr/bin/security', true], ['/usr/sbin/sysadminctl', true], ['/usr/bin/dscl', true],
    ['/usr/bin/profiles', true], ['/usr/sbin/softwareupdate', true], ['/bin/launchctl', false], ['/usr/bin/osascript', false],
  ]);
  expect(log[2]?.argv).toEqual(steps[2]?.args);
  for (const entry of log) expect(Object.keys(entry).sort()).toEqual(['argv', 'command', 'stdinUsed', 'time']);

  const raw = fs.readFileSync(path.join(mac.root, '.fake/invocations.jsonl'), 'utf8');
  for (const secret of [SECRET, NEW_SECRET, KEYCHAIN_VALUE]) expect(raw.includes(secret)).toBe(false);

  // Every file under the root: the stdin-only secrets appear nowhere; the keychain value only in
  // the keychain store (where `security` keeps it by design).
  const files = filesUnder(mac.root);
  expect(files.length).toBeGreaterThan(30);
  for (const file of files) {
    const content = fs.readFileSync(file, 'latin1');
    const rel = path.relative(mac.root, file);
    expect({ rel, secret: content.includes(SECRET), newSecret: content.includes(NEW_SECRET) }).toEqual({ rel, secret: false, newSecret: false });
    expect({ rel, keychainValue: content.includes(KEYCHAIN_VALUE) }).toEqual({ rel, keychainValue: rel === '.fake/keychain.json' });
  }
});

test('argv forms are recorded verbatim, so tests can prove superd never used them', async () => {
  await runFake(mac.root, '/usr/bin/dscl', ['/Local/Default', '-authonly', 'jdoe', 'argv-visible']);
  await runFake(mac.root, '/usr/bin/security', ['add-generic-password', '-a', 'x', '-s', 'y', '-w', 'argv-visible-too']);
  const argvText = mac.invocations().map((i) => i.argv.join(' ')).join('\n');
  expect(argvText).toContain('-authonly jdoe argv-visible');
  expect(argvText).toContain('-w argv-visible-too');
  const last = mac.invocations().slice(-2);
  expect(last.every((i) => i.stdinUsed === false && !Number.isNaN(Date.parse(i.time)))).toBe(true);
});
