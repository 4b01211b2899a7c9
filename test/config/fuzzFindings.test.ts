/**
 * Regression tests for the defects the option and profile fuzz (test/fuzz/) found, one per fix.
 */
import { helpText } from '../../daemon/cli/help';
import { main } from '../../daemon/cli/main';
import { ExitStatus } from '../../daemon/exitStatus';
import { BOOLEAN_FLAGS, parseFlags, VALUE_FLAGS } from '../../daemon/cli/privilegedOptions';
import { parseOptions } from '../../daemon/config/parseOptions';
import { parsePlistDict } from '../../daemon/config/readPlist';
import { validate } from '../../daemon/config/validate';
import { captureOutput } from '../helpers/captureOutput';
import { loadPlist } from '../helpers/plist';
import { makeTempRoot } from '../helpers/tempRoot';

const fromArgv = (argv: string[], saved: Record<string, unknown> | null = null) => {
  const parsed = parseOptions(argv);
  return { parsed, result: validate({ managed: null, options: parsed.options, saved }) };
};

test('a refused URL is quoted without its user information, query or fragment (they carry passwords and tokens)', () => {
  const { result } = fromArgv(['--auth-jamf-custom-url=https://admin:pw-4711@jamf.example.com/?token=tok-4711&x=1#frag-4711']);
  const text = JSON.stringify(result.errors);
  expect(result.errors.map((e) => e.subject)).toEqual(['--auth-jamf-custom-url']);
  expect(text).toMatch(/no user, query or fragment/);
  for (const secret of ['pw-4711', 'tok-4711', 'frag-4711', 'admin']) expect(text).not.toContain(secret);
  expect(text).toContain('https://…@jamf.example.com/?token=…');

  const managed = validate({ managed: { file: 'm.plist', domain: 'com.github.superd', values: { AuthJamfCustomURL: 'http://u:pw-4711 x@jamf.example.com/' } }, options: {}, saved: null });
  expect(managed.errors.map((e) => e.subject)).toEqual(['AuthJamfCustomURL in m.plist']);
  expect(JSON.stringify(managed.errors)).not.toContain('pw-4711');
});

describe("main's first argument", () => {
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    const t = await makeTempRoot();
    cleanup = t.cleanup;
    process.env.SUPERD_ROOT = t.root;
  });
  afterEach(async () => {
    delete process.env.SUPERD_ROOT;
    await cleanup();
  });

  test('an option without its dashes, or a bare value, is refused (64) without being repeated: it may be a secret', async () => {
    for (const first of ['auth-jamf-secret=Secret-4711', 'Secret-4711', '\u2014auth-jamf-secret=Secret-4711']) {
      const output = captureOutput();
      expect(await main([first], output)).toBe(64);
      expect(output.stderr()).toMatch(/neither a superd command nor an option/);
      expect(output.stderr()).not.toContain('Secret-4711');
    }
    const word = captureOutput();
    expect(await main(['frobnicate'], word)).toBe(64);
    expect(word.stderr()).toMatch(/unknown command "frobnicate"/);
  });

  test("super's one-letter options work without `run`, as the help says (`superd -V` is `superd run -V`)", async () => {
    const output = captureOutput();
    expect(await main(['-V', '--no-such-option'], output)).toBe(64);
    expect(output.stderr()).toMatch(/--no-such-option is not a superd option/);
    expect(output.stderr()).not.toMatch(/unknown command|neither a superd command/);
  });
});

test("the privileged commands' flags never repeat an argument that is not an option (a secret put on argv)", () => {
  const allowed = [...VALUE_FLAGS, ...BOOLEAN_FLAGS];
  expect(() => parseFlags(['--privileged-client=abc', 'Secret-4711'], allowed)).toThrow(/argument 2 is not an option/);
  try {
    parseFlags(['--privileged-client=abc', 'Secret-4711'], allowed);
  } catch (error) {
    expect((error as Error).message).not.toContain('Secret-4711');
  }
  expect(() => parseFlags(['--privileged-secret=Secret-4711'], allowed)).toThrow(/unknown option "--privileged-secret"/);
  expect(() => parseFlags(['--privileged-secret=Secret-4711'], allowed)).not.toThrow(/Secret-4711/);
});

test('a secret given on argv keeps its leading and trailing spaces; blanks around flags and values of settings are still ignored', () => {
  const { parsed, result } = fromArgv(['--auth-jamf-client=c', '--auth-jamf-secret= pass word ', ' --verbose-mode ', '--deferral-timer-error= 30 ', '\t--test-mode-off\n']);
  expect(parsed.errors).toEqual([]);
  expect(result.errors).toEqual([]);
  expect(result.credentials['auth-jamf-secret']).toBe(' pass word ');
  expect(result.settings.VerboseMode).toBe(true);
  expect(result.settings.TestMode).toBe(false);
  expect(result.settings.DeferralTimerError).toBe(30);
});

test('failover types given as an option are saved as the comma-separated string the next run reads back', async () => {
  const { build } = await loadPlist();
  const first = fromArgv(['--auth-mdm-failover-to-user=deadline,ERROR']).result;
  expect(first.errors).toEqual([]);
  expect(first.toSave.AuthMDMFailoverToUser).toBe('HARD,SOFT,NOSERVICE,BOOTSTRAP');
  // Through the file, as the next run reads it.
  const saved = await parsePlistDict(Buffer.from(build(first.toSave as never)), 'saved.plist');
  const next = validate({ managed: null, options: {}, saved });
  expect(next.errors).toEqual([]);
  expect(next.settings.AuthMDMFailoverToUser).toEqual(['HARD', 'SOFT', 'NOSERVICE', 'BOOTSTRAP']);
  // Only ignored types: nothing to save, and an earlier saved list is removed.
  const dialogOnly = fromArgv(['--auth-mdm-failover-to-user=DIALOG'], { AuthMDMFailoverToUser: 'ALWAYS' }).result;
  expect(dialogOnly.errors).toEqual([]);
  expect(Object.hasOwn(dialogOnly.toSave, 'AuthMDMFailoverToUser')).toBe(false);
});

test('types and enum values fold ASCII case only: ſoft, ınstallnow and full-width letters are refused', () => {
  for (const [arg, subject] of [
    ['--auth-mdm-failover-to-user=ſoft', '--auth-mdm-failover-to-user'],
    ['--auth-mdm-failover-to-user=ınstallnow', '--auth-mdm-failover-to-user'],
    ['--log-format=ＪＳＯＮ', '--log-format'],
  ] as const) {
    const { result } = fromArgv([arg]);
    expect(result.errors.map((e) => e.subject)).toEqual([subject]);
  }
  const { result } = fromArgv(['--auth-mdm-failover-to-user=soft,InstallNow', '--mdm-workflow=PLANS', '--log-format=Json']);
  expect(result.errors).toEqual([]);
  expect(result.settings.AuthMDMFailoverToUser).toEqual(['SOFT', 'INSTALLNOW']);
  expect(result.settings.MDMWorkflow).toBe('plans');
  expect(result.settings.LogFormat).toBe('json');
});

test('credential names are checked for form before any macOS command or Jamf Pro sees them, and never echoed', () => {
  const refused: Array<[string, string]> = [
    ['--auth-local-account=../../etc', '--auth-local-account'],
    ['--auth-local-account=a\nb', '--auth-local-account'],
    ['--auth-local-account=-delete', '--auth-local-account'],
    ['--auth-service-account=-p', '--auth-service-account'],
    ['--auth-service-add-via-admin-account=adm in', '--auth-service-add-via-admin-account'],
    ['--auth-jamf-client=a\u0000b', '--auth-jamf-client'],
    ['--auth-jamf-account=first\nsecond', '--auth-jamf-account'],
    [`--auth-jamf-client=${'A'.repeat(256)}`, '--auth-jamf-client'],
    ['--auth-jamf-secret=two\nlines', '--auth-jamf-secret'],
  ];
  for (const [arg, subject] of refused) {
    const { parsed } = fromArgv([arg]);
    expect(parsed.errors.map((e) => e.subject)).toEqual([subject]);
    expect(parsed.errors[0]!.message).not.toContain(arg.split('=')[1]!.slice(0, 4));
  }
  const { parsed, result } = fromArgv(['--auth-local-account=_mbsetup.user-1 ', '--auth-local-password= p\tw ', '--auth-jamf-client= b0a5d5f4-1c2d-4e5f-8a9b-0c1d2e3f4a5b ', '--auth-jamf-secret=-']);
  expect(parsed.errors).toEqual([]);
  // Names are trimmed (a pasted Jamf Pro parameter), secrets never.
  expect(result.credentials['auth-local-account']).toBe('_mbsetup.user-1');
  expect(result.credentials['auth-jamf-client']).toBe('b0a5d5f4-1c2d-4e5f-8a9b-0c1d2e3f4a5b');
  expect(result.credentials['auth-local-password']).toBe(' p\tw ');
});

test('--help names every exit status superd can return (69 was missing)', () => {
  const exitLines = helpText().split('Exit status:')[1] ?? '';
  for (const status of Object.values(ExitStatus)) expect(exitLines).toMatch(new RegExp(`\\b${status}\\b`));
});

/**
 * Found by the fuzz, fixed in daemon/config/plistFault.ts:
 * plist 5.0.0 reads `<integer>` with parseInt and `<real>` with parseFloat, so a malformed number
 * in an XML profile is silently read as another one: `<integer>12abc</integer>` is 12,
 * `<integer>1e+118</integer>` is 1 (TestMode on), `<integer>0x10</integer>` is 0. CFPropertyList
 * refuses such a file; so does superd now (a configuration error naming the file and the line).
 */
test('a malformed <integer> in an XML profile is refused, not read as another number', async () => {
  const xml = (value: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n\t<key>DeferralTimerError</key>\n\t<integer>${value}</integer>\n</dict>\n</plist>\n`);
  for (const bad of ['12abc', '1e+118', '0x10', '6O']) {
    await expect(parsePlistDict(xml(bad), 'com.github.superd.plist')).rejects.toThrow(/com\.github\.superd\.plist.*line 5.*whole number/s);
  }
  for (const good of ['12', '-3', '+0', ' 60 ']) await expect(parsePlistDict(xml(good), 'com.github.superd.plist')).resolves.toMatchObject({ DeferralTimerError: Number(good) });
});

test('subcommands name a refused argument without repeating one that may be a secret', async () => {
  const { root, cleanup } = await makeTempRoot();
  process.env.SUPERD_ROOT = root;
  try {
    for (const argv of [['status', 'Hunter-2!'], ['doctor', 'Hunter-2!'], ['daemon', 'Hunter-2!=x'], ['migrate-from-super', 'Hunter-2!'], ['credentials', 'Hunter-2!'], ['jamf-account', 'Hunter-2!'], ['jamf-client', 'Hunter-2!']]) {
      const output = captureOutput();
      expect(await main(argv, output)).toBe(64);
      expect(output.stderr()).toMatch(/not repeated here/);
      expect(output.stderr()).not.toContain('Hunter-2');
    }
    // Options and command words are still named.
    const status = captureOutput();
    expect(await main(['status', '--xml=1'], status)).toBe(64);
    expect(status.stderr()).toContain('got "--xml"');
    const credentials = captureOutput();
    expect(await main(['credentials', 'beat'], credentials)).toBe(64);
    expect(credentials.stderr()).toContain('got "beat"');
  } finally {
    delete process.env.SUPERD_ROOT;
    await cleanup();
  }
});

test('a Jamf Pro URL that the URL parser would quietly repair is refused (tab or line break inside, backslash, empty authority, port 0)', () => {
  for (const url of ['https://ja\tmf.example.com/', 'https://ja\nmf.example.com/', 'https://jamf.example.com\\api', 'https:///jamf.example.com', 'https://jamf.example.com:0/', 'https://jamf.example.com/a b']) {
    const { result } = fromArgv([`--auth-jamf-custom-url=${url}`]);
    expect(result.errors.map((e) => e.subject)).toEqual(['--auth-jamf-custom-url']);
  }
  const { result } = fromArgv(['--auth-jamf-custom-url=HTTPS://Jamf.Example.com:8443/jamf']);
  expect(result.errors).toEqual([]);
  expect(result.settings.AuthJamfCustomURL).toBe('https://jamf.example.com:8443/jamf/');
});
