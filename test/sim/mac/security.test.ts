import { createFakeMac, runFake, type FakeMac } from './index';
import { blockContaining, loadReference, REFERENCE_MISSING, section } from './reference';

// security add/find/delete-generic-password and `security -i` (reference §9).

const hasReference = loadReference() !== null;
if (!hasReference) console.warn(REFERENCE_MISSING);
const withReference = hasReference ? describe : describe.skip;

const SECURITY = '/usr/bin/security';
const SYSTEM = '/Library/Keychains/System.keychain';

let mac: FakeMac;
const run = (args: string[], stdin?: string) => runFake(mac.root, SECURITY, args, { stdin });

beforeEach(async () => {
  mac = await createFakeMac();
});
afterEach(() => mac.cleanup());

describe('single commands', () => {
  test('add: no output, exit 0; the value is stored exactly as given', async () => {
    expect(await run(['add-generic-password', '-a', 'superd_auth_jamf_client', '-s', 'superd', '-w', 'YWJj ZA==', SYSTEM])).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(mac.keychain()).toEqual([{ account: 'superd_auth_jamf_client', service: 'superd', keychain: SYSTEM, value: 'YWJj ZA==' }]);
  });

  withReference('messages and exit codes of the reference', () => {
    test('duplicate without -U: SecKeychainItemCreateFromContent (<path>|<default>), exit 45', async () => {
      const sample = blockContaining('### 9.1', 'already exists in the keychain');
      await run(['add-generic-password', '-a', 'a', '-s', 'superd', '-w', 'one', SYSTEM]);
      const dup = await run(['add-generic-password', '-a', 'a', '-s', 'superd', '-w', 'two', SYSTEM]);
      expect(dup).toEqual({ stdout: '', stderr: sample, code: 45 });
      const dupDefault = await run(['add-generic-password', '-a', 'a', '-s', 'superd', '-w', 'two']);
      expect(dupDefault.stderr).toBe(sample.replace(`(${SYSTEM})`, '(<default>)'));
      expect(mac.keychain().map((i) => i.value)).toEqual(['one']);
    });

    test('find missing / delete missing: SecKeychainSearchCopyNext, exit 44', async () => {
      const sample = blockContaining('### 9.2', 'could not be found');
      expect(await run(['find-generic-password', '-a', 'nope', '-s', 'superd', '-w', SYSTEM])).toEqual({ stdout: '', stderr: sample, code: 44 });
      expect(await run(['delete-generic-password', '-a', 'nope', '-s', 'superd', SYSTEM])).toEqual({ stdout: '', stderr: sample, code: 44 });
    });

    test('delete: attributes on stdout, "password has been deleted." on stderr', async () => {
      await run(['add-generic-password', '-a', 'super_auth_local_account', '-s', 'Super Update Service', '-w', 'x', SYSTEM]);
      const r = await run(['delete-generic-password', '-a', 'super_auth_local_account', '-s', 'Super Update Service', SYSTEM]);
      const sample = blockContaining('### 9.3', 'password has been deleted.');
      const withoutDates = (text: string) => text.replace(/^ {4}"(cdat|mdat)"<timedate>=.*$/gm, '$1');
      expect(withoutDates(r.stdout)).toBe(withoutDates(sample.replace('password has been deleted.\n', '')));
      expect(r.stdout).toMatch(/^ {4}"cdat"<timedate>=0x[0-9A-F]{32} {2}"\d{14}Z\\000"$/m);
      expect([r.stderr, r.code]).toEqual(['password has been deleted.\n', 0]);
      expect(mac.keychain()).toEqual([]);
    });
  });

  test('-U updates in place (or adds); find -w prints the value alone; -g prints it on stderr', async () => {
    await run(['add-generic-password', '-U', '-a', 'acct', '-s', 'superd', '-w', 'first', SYSTEM]);
    await run(['add-generic-password', '-U', '-a', 'acct', '-s', 'superd', '-w', 'second', SYSTEM]);
    expect(mac.keychain()).toEqual([{ account: 'acct', service: 'superd', keychain: SYSTEM, value: 'second' }]);
    expect(await run(['find-generic-password', '-a', 'acct', '-s', 'superd', '-w', SYSTEM])).toEqual({ stdout: 'second\n', stderr: '', code: 0 });
    expect(await run(['find-generic-password', '-w', '-s', 'superd'])).toEqual({ stdout: 'second\n', stderr: '', code: 0 });
    const g = await run(['find-generic-password', '-g', '-a', 'acct', '-s', 'superd']);
    expect(g.stdout).toContain('"acct"<blob>="acct"');
    expect(g.stderr).toBe('password: "second"\n');
  });

  test('lookups only match the given attributes and keychain', async () => {
    await run(['add-generic-password', '-a', 'acct', '-s', 'superd', '-w', 'v', SYSTEM]);
    expect((await run(['find-generic-password', '-a', 'acct', '-s', 'other', '-w'])).code).toBe(44);
    expect((await run(['find-generic-password', '-a', 'acct', '-s', 'superd', '-w', '/Users/x/Library/Keychains/login.keychain-db'])).code).toBe(44);
  });
});

describe('security -i (§9.4)', () => {
  test('commands come from stdin; output in order; errors with "returned N"; exit status of the last line', async () => {
    const stdin = [
      'add-generic-password -U -a superd_auth_jamf_client -s superd -w "Y2xpZW50" /Library/Keychains/System.keychain',
      'add-generic-password -U -a superd_auth_jamf_secret -s superd -w \'c2VjcmV0\' /Library/Keychains/System.keychain',
      'find-generic-password -w -a superd_auth_jamf_client -s superd',
      'find-generic-password -w -a missing -s superd',
      'find-generic-password -w -a superd_auth_jamf_secret -s superd',
    ].join('\n');
    const r = await run(['-i'], `${stdin}\n`);
    expect(r.stdout).toBe('Y2xpZW50\nc2VjcmV0\n');
    expect(r.stderr).toBe('security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.\nfind-generic-password: returned -25300\n');
    expect(r.code).toBe(0);
    expect(mac.keychain().map((i) => [i.account, i.value])).toEqual([['superd_auth_jamf_client', 'Y2xpZW50'], ['superd_auth_jamf_secret', 'c2VjcmV0']]);
    expect(mac.invocations()).toEqual([expect.objectContaining({ command: SECURITY, argv: ['-i'], stdinUsed: true })]);
  });

  test('a failing last line sets the exit status (truncated to a byte); a trailing blank line resets it; -q is quiet', async () => {
    const failing = await run(['-i'], 'add-generic-password -a a -s s -w 1\nadd-generic-password -a a -s s -w 2\n');
    expect([failing.code, failing.stderr.endsWith('add-generic-password: returned -25299\n')]).toEqual([45, true]);
    expect((await run(['-i'], 'add-generic-password -a a -s s -w 2\n\n')).code).toBe(0);
    const quiet = await run(['-q', '-i'], 'find-generic-password -a zz -w\n');
    expect([quiet.code, quiet.stderr.includes('returned')]).toEqual([44, false]);
  });

  test('quoting: double/single quotes, backslash escapes inside and outside, quotes mid-word', async () => {
    const lines = [
      'add-generic-password -a q1 -s s -w "a b\\"c"',
      "add-generic-password -a q2 -s s -w 'it\\'s'",
      'add-generic-password -a q3 -s s -w back\\ slash\\\\',
      'add-generic-password -a q4 -s s -w pre"mid dle"post',
      'add-generic-password -a "q 5" -s s -w ""',
    ];
    expect((await run(['-i'], `${lines.join('\n')}\n`)).code).toBe(0);
    expect(Object.fromEntries(mac.keychain().map((i) => [i.account, i.value]))).toEqual({
      q1: 'a b"c', q2: "it's", q3: 'back slash\\', q4: 'premid dlepost', 'q 5': '',
    });
  });

  test('command names match on a prefix; more than 32 words are cut', async () => {
    expect((await run(['-i'], 'add-gen -a p -s s -w v\nfind-generic -a p -s s -w\n')).stdout).toBe('v\n');
    await run(['-i'], 'add-generic-password -a cut -s s -w v\n');
    const flags = (n: number) => Array.from({ length: n }, () => '-g').join(' ');
    const within = await run(['-i'], `find-generic-password -a cut -s s ${flags(26)} -w\n`); // 32 words
    expect(within.stdout).toBe('v\n');
    const beyond = await run(['-i'], `find-generic-password -a cut -s s ${flags(27)} -w\n`); // 33: -w is cut
    expect(beyond.stdout).toContain('"acct"<blob>="cut"');
  });

  withReference('reference example batch', () => {
    test('the example line of §9.4 stores the base64 value in the System keychain', async () => {
      const example = /Example batch[\s\S]*?```\n([^\n]+)\n```/.exec(section('### 9.4'))?.[1] ?? '';
      expect(example.startsWith('add-generic-password -U')).toBe(true);
      expect((await run(['-i'], `${example}\n`)).code).toBe(0);
      expect(mac.keychain()).toEqual([{ account: 'super_auth_local_password', service: 'Super Update Service', keychain: SYSTEM, value: 'c2VjcmV0Cg==' }]);
    });
  });
});
