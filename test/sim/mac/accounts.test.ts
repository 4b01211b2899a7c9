import { createFakeMac, runFake, type FakeMac, type FakeUser } from './index';
import { blockAfter, blockContaining, loadReference, REFERENCE_MISSING } from './reference';

// dscl, dseditgroup, id, sysadminctl, diskutil, scutil (reference §7, §8).

const hasReference = loadReference() !== null;
if (!hasReference) console.warn(REFERENCE_MISSING);
const withReference = hasReference ? describe : describe.skip;

const NSLOG = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} sysadminctl\[\d+:\d+\] (.*)$/;

const USERS: FakeUser[] = [
  { name: 'jdoe', password: 'jdoe pw', uid: 501, guid: 'DF3F7C85-14FF-4DC2-A089-5CA9D6E7479B', admin: true, secureToken: true, realName: 'Jane Doe' },
  { name: 'agent', password: 'agent-pw', uid: 503, realName: 'agent' },
  { name: 'gone', password: 'gone-pw', uid: 504, disabled: true },
  { name: 'ec2-user', password: 'ec2', uid: 505, secureToken: true },
];

let mac: FakeMac;
const run = (cmd: string, args: string[] = [], stdin?: string) => runFake(mac.root, cmd, args, { stdin });

beforeAll(async () => {
  mac = await createFakeMac({ users: USERS });
});
afterAll(() => mac.cleanup());

describe('dscl (§7.1, §7.2)', () => {
  withReference('reference samples', () => {
    test('read GeneratedUID', async () => {
      const r = await run('/usr/bin/dscl', ['.', 'read', '/Users/jdoe', 'GeneratedUID']);
      expect(r).toEqual({ stdout: blockContaining('### 7.1', 'GeneratedUID: DF3F7C85'), stderr: '', code: 0 });
    });

    test('unknown user: eDSRecordNotFound on stderr, exit 56', async () => {
      const r = await run('/usr/bin/dscl', ['.', '-read', '/Users/nobody', 'GeneratedUID']);
      expect(r).toEqual({ stdout: '', stderr: blockContaining('### 7.1', 'eDSRecordNotFound'), code: 56 });
    });

    test('authonly with a wrong password on stdin: the confirmed two lines, exit 0 (the session status)', async () => {
      const r = await runFake(mac.root, '/usr/bin/dscl', ['/Local/Default'], { stdin: '-authonly jdoe wrong\n', merged: true });
      expect(r).toEqual({ stdout: blockAfter('### 7.2', '**Wrong password**'), stderr: '', code: 0 });
    });
  });

  test('RealName on one line or, with a space, on the next line', async () => {
    expect((await run('/usr/bin/dscl', ['.', 'read', '/Users/jdoe', 'RealName'])).stdout).toBe('RealName:\n Jane Doe\n');
    expect((await run('/usr/bin/dscl', ['.', 'read', '/Users/agent', 'RealName'])).stdout).toBe('RealName: agent\n');
  });

  test('AuthenticationAuthority carries ;SecureToken; only for token holders; missing keys', async () => {
    const tokenUser = await run('/usr/bin/dscl', ['.', 'read', '/Users/jdoe', 'AuthenticationAuthority']);
    expect(tokenUser.stdout).toMatch(/^AuthenticationAuthority: ;ShadowHash;HASHLIST:<[^>]+> .*;SecureToken;\n$/);
    expect((await run('/usr/bin/dscl', ['.', 'read', '/Users/agent', 'AuthenticationAuthority'])).stdout).not.toContain('SecureToken');
    const missing = await run('/usr/bin/dscl', ['.', 'read', '/Users/agent', 'IsHidden']);
    expect(missing.stderr).toBe('No such key: IsHidden\n');
  });

  test('authonly: argv and stdin forms; success prints nothing', async () => {
    expect(await run('/usr/bin/dscl', ['/Local/Default', '-authonly', 'jdoe', 'jdoe pw'])).toEqual({ stdout: '', stderr: '', code: 0 });
    for (const line of ['-authonly jdoe "jdoe pw"', "authonly jdoe 'jdoe pw'", '-authonly jdoe jdoe\\ pw']) {
      expect(await run('/usr/bin/dscl', ['/Local/Default'], `${line}\n`)).toEqual({ stdout: '', stderr: '', code: 0 });
    }
    const last = mac.invocations().pop();
    expect(last).toEqual(expect.objectContaining({ command: '/usr/bin/dscl', argv: ['/Local/Default'], stdinUsed: true }));
  });

  test('authonly on stdin: disabled account, unknown user, same two-line shape, exit 0; the argument form exits 87/56', async () => {
    const disabled = await run('/usr/bin/dscl', ['/Local/Default'], '-authonly gone gone-pw\n');
    expect(disabled).toEqual({
      stdout: 'Authentication for node /Local/Default failed. (-14167, eDSAuthAccountDisabled)\n',
      stderr: '<dscl_cmd> DS Error: -14167 (eDSAuthAccountDisabled)\n',
      code: 0,
    });
    expect((await run('/usr/bin/dscl', ['/Local/Default', '-authonly', 'gone', 'gone-pw'])).code).toBe(87);
    const unknown = await run('/usr/bin/dscl', ['/Local/Default'], '-authonly ghost x\n');
    expect([unknown.code, unknown.stderr]).toEqual([0, '<dscl_cmd> DS Error: -14136 (eDSRecordNotFound)\n']);
    expect((await run('/usr/bin/dscl', ['/Local/Default', '-authonly', 'ghost', 'x'])).code).toBe(56);
  });

  test('create IsHidden 1 hides the user; list /Users', async () => {
    expect((await run('/usr/bin/dscl', ['.', 'create', '/Users/agent', 'IsHidden', '1'])).code).toBe(0);
    expect(mac.world().users.find((u) => u.name === 'agent')?.hidden).toBe(true);
    expect((await run('/usr/bin/dscl', ['.', '-read', '/Users/agent', 'IsHidden'])).stdout).toBe('IsHidden: 1\n');
    expect((await run('/usr/bin/dscl', ['.', 'list', '/Users'])).stdout).toBe('agent\nec2-user\ngone\njdoe\n');
  });
});

describe('groups and ids (§7.3)', () => {
  withReference('dseditgroup checkmember texts', () => {
    test('yes (exit 0) and no (exit 67)', async () => {
      mac.update({ users: [...USERS.filter((u) => u.name !== 'agent'), { name: 'agent', password: 'agent-pw', uid: 503 }] });
      const yes = await run('/usr/sbin/dseditgroup', ['-o', 'checkmember', '-m', 'jdoe', 'admin']);
      expect(yes).toEqual({ stdout: blockContaining('### 7.3', 'yes jdoe'), stderr: '', code: 0 });
      const no = await run('/usr/sbin/dseditgroup', ['-o', 'checkmember', '-m', 'agent', 'admin']);
      expect(no).toEqual({ stdout: blockContaining('### 7.3', 'no agent'), stderr: '', code: 67 });
    });

    test('id for an unused UID', async () => {
      const r = await run('/usr/bin/id', ['502']);
      expect(r).toEqual({ stdout: '', stderr: 'id: 502: no such user\n', code: 1 });
    });
  });

  test('id -u, id -u NAME, id -Gn NAME (admin is a whole word)', async () => {
    expect((await run('/usr/bin/id', ['-u'])).stdout).toBe('0\n');
    expect((await run('/usr/bin/id', ['-u', 'jdoe'])).stdout).toBe('501\n');
    expect((await run('/usr/bin/id', ['-Gn', 'jdoe'])).stdout.trim().split(/\s+/)).toContain('admin');
    expect((await run('/usr/bin/id', ['-Gn', 'agent'])).stdout.trim().split(/\s+/)).not.toContain('admin');
    expect((await run('/usr/bin/id', ['jdoe'])).stdout).toMatch(/^uid=501\(jdoe\) gid=20\(staff\) groups=20\(staff\),/);
  });

  test('dseditgroup edit adds a user to admin', async () => {
    expect((await run('/usr/sbin/dseditgroup', ['-o', 'edit', '-a', 'agent', '-t', 'user', 'admin'])).code).toBe(0);
    expect((await run('/usr/sbin/dseditgroup', ['-o', 'checkmember', '-m', 'agent', 'admin'])).stdout).toBe('yes agent is a member of admin\n');
  });
});

describe('sysadminctl (§7.4)', () => {
  withReference('secure token status: NSLog lines on stderr, stdout empty, exit 0', () => {
    test('ENABLED and DISABLED', async () => {
      const enabled = await run('/usr/sbin/sysadminctl', ['-secureTokenStatus', 'ec2-user']);
      const sample = blockContaining('### 7.4', 'Secure token is ENABLED');
      expect([enabled.stdout, enabled.code]).toEqual(['', 0]);
      expect(NSLOG.exec(enabled.stderr.trimEnd())?.[1]).toBe(NSLOG.exec(sample.trimEnd())?.[1]);
      mac.update({ users: USERS.map((u) => (u.name === 'ec2-user' ? { ...u, secureToken: false } : u)) });
      const disabled = await run('/usr/sbin/sysadminctl', ['-secureTokenStatus', 'ec2-user']);
      expect(NSLOG.exec(disabled.stderr.trimEnd())?.[1]).toBe(NSLOG.exec(blockContaining('### 7.4', 'Secure token is DISABLED').trimEnd())?.[1]);
    });
  });

  test('-addUser with "-password - -adminPassword -" reads both from stdin, in argv order', async () => {
    const args = ['-addUser', 'superd', '-fullName', 'superd Update Service', '-password', '-', '-UID', '510', '-GID', '20',
      '-shell', '/dev/null', '-home', '/dev/null', '-adminUser', 'jdoe', '-adminPassword', '-'];
    const r = await run('/usr/sbin/sysadminctl', args, 'svc secret\njdoe pw\n');
    expect([r.stdout, r.code]).toEqual(['', 0]);
    expect(NSLOG.exec(r.stderr.split('\n')[0] ?? '')?.[1]).toBe('Creating user record\u2026');
    const svc = mac.world().users.find((u) => u.name === 'superd');
    expect(svc).toMatchObject({ uid: 510, secureToken: true, volumeOwner: true, admin: false, realName: 'superd Update Service' });
    expect(mac.invocations().pop()).toMatchObject({ argv: args, stdinUsed: true });
    expect((await run('/usr/bin/dscl', ['/Local/Default'], '-authonly superd "svc secret"\n')).code).toBe(0);
    expect((await run('/usr/sbin/diskutil', ['apfs', 'listcryptousers', '/'])).stdout).toContain(svc?.guid);
  });

  test('-addUser with a wrong admin password creates an account without a secure token (exit 0 anyway)', async () => {
    const r = await run('/usr/sbin/sysadminctl', ['-addUser', 'weak', '-password', '-', '-adminUser', 'jdoe', '-adminPassword', '-'], 'pw\nwrong\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Operation is not permitted without secure token unlock.');
    expect(mac.world().users.find((u) => u.name === 'weak')).toMatchObject({ secureToken: false, volumeOwner: false });
  });

  test('-deleteUser removes the record', async () => {
    expect((await run('/usr/sbin/sysadminctl', ['-deleteUser', 'weak'])).code).toBe(0);
    expect((await run('/usr/bin/dscl', ['.', 'read', '/Users/weak', 'GeneratedUID'])).code).toBe(56);
  });
});

describe('diskutil apfs listcryptousers / (§7.5)', () => {
  withReference('reference samples', () => {
    test('Apple silicon with Volume Owner lines', async () => {
      mac.update({
        appleSilicon: true, cryptoDisk: 'disk3s5',
        users: [{ name: 'owner', password: 'x', guid: '5E3B8B1A-XXXX-XXXX-XXXX-XXXXXXXXXXXX', secureToken: true }, { name: 'other', password: 'y' }],
        cryptoUsers: [{ uuid: 'EBC6C064-XXXX-XXXX-XXXX-XXXXXXXXXXXX', type: 'Personal Recovery User', volumeOwner: false }],
      });
      const r = await run('/usr/sbin/diskutil', ['apfs', 'listcryptousers', '/']);
      expect(r).toEqual({ stdout: blockAfter('### 7.5', 'Apple silicon adds a `Volume Owner:`'), stderr: '', code: 0 });
    });

    test('Intel form (the published header says "4 found" for three entries; everything else matches)', async () => {
      mac.update({
        appleSilicon: false, cryptoDisk: 'disk1s5',
        users: [{ name: 'fv', password: 'x', guid: 'FB756838-XXXX-XXXX-XXXX-40FB5E7D5D3F', secureToken: true }],
        cryptoUsers: [
          { uuid: 'EBC6C064-XXXX-XXXX-XXXX-00306543ECAC', type: 'Personal Recovery User' },
          { uuid: '2457711A-XXXX-XXXX-XXXX-F48A571D5036', type: 'MDM Bootstrap Token External Key' },
        ],
      });
      const r = await run('/usr/sbin/diskutil', ['apfs', 'listcryptousers', '/']);
      const sample = blockAfter('### 7.5', 'Intel, macOS 10.15');
      expect(r.stdout.split('\n')[0]).toBe('Cryptographic users for disk1s5 (3 found)');
      expect(r.stdout.split('\n').slice(1)).toEqual(sample.split('\n').slice(1));
    });

    test('a single user: singular header', async () => {
      mac.update({ appleSilicon: false, cryptoDisk: 'disk3s1', users: [], cryptoUsers: [{ uuid: 'XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX', type: 'Disk User' }] });
      expect((await run('/usr/sbin/diskutil', ['apfs', 'listcryptousers', '/'])).stdout).toBe(blockAfter('### 7.5', 'Single user'));
    });
  });

  test('a user without a secure token is missing from the list', async () => {
    mac.update({ appleSilicon: true, cryptoDisk: undefined, cryptoUsers: [], users: USERS });
    const text = (await run('/usr/sbin/diskutil', ['apfs', 'listcryptousers', '/'])).stdout;
    const agent = mac.world().users.find((u) => u.name === 'agent');
    expect(text).toMatch(/^Cryptographic users for disk3s5 \(2 found\)\n/);
    expect(text).not.toContain(agent?.guid);
    expect(text).toContain('DF3F7C85-14FF-4DC2-A089-5CA9D6E7479B');
  });
});

describe('scutil console user (§8.1)', () => {
  const show = () => run('/usr/sbin/scutil', [], 'show State:/Users/ConsoleUser\n');

  withReference('reference sample', () => {
    test('two sessions (fast user switching), verbatim', async () => {
      mac.update({
        users: [{ name: 'jandoe', password: 'a', uid: 501, realName: 'Janice Doe' }, { name: 'jrdoe', password: 'b', uid: 502, realName: 'Doe Junior' }],
        consoleUser: 'jandoe',
        consoleSessions: [
          { user: 'jandoe', auditId: 100099, sessionId: 257, onConsole: true },
          { user: 'jrdoe', auditId: 100999, sessionId: 265, onConsole: false },
        ],
      });
      expect(await show()).toEqual({ stdout: blockContaining('### 8.1', 'kCGSSessionUserNameKey : jrdoe'), stderr: '', code: 0 });
      expect(mac.invocations().pop()).toMatchObject({ command: '/usr/sbin/scutil', argv: [], stdinUsed: true });
    });
  });

  test('a single session by default; loginwindow; _mbsetupuser; No such key', async () => {
    mac.update({ users: USERS, consoleUser: 'jdoe', consoleSessions: undefined });
    const user = (await show()).stdout;
    expect(/^ {2}Name : (.+)$/m.exec(user)?.[1]).toBe('jdoe');
    expect(user).toContain('      kCGSSessionOnConsoleKey : TRUE\n');
    expect(user).toMatch(/^ {2}UID : 501$/m);
    mac.update({ consoleUser: null });
    expect(/^ {2}Name : (.+)$/m.exec((await show()).stdout)?.[1]).toBe('loginwindow');
    mac.update({ consoleUser: '_mbsetupuser' });
    expect((await show()).stdout).toMatch(/^ {2}Name : _mbsetupuser\n[\s\S]*^ {2}UID : 248$/m);
    mac.update({ consoleUserKeyMissing: true });
    expect((await show()).stdout).toBe('  No such key\n');
    mac.update({ consoleUserKeyMissing: false, consoleUser: 'jdoe' });
  });
});
