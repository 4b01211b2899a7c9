import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { loadPlist } from '../helpers/plist';
import { main } from '../../daemon/cli/main';
import { captureOutput } from '../helpers/captureOutput';
import { makeTempRoot } from '../helpers/tempRoot';

const SAVED = 'Library/Management/superd/com.github.superd.plist';
const MANAGED = 'Library/Managed Preferences/com.github.superd.plist';

let root: string;
let cleanup: () => Promise<void>;
let savedBefore: string;
beforeAll(async () => {
  savedBefore = (await loadPlist()).build({ DeferralTimerDefault: 30, VerboseMode: true });
});

beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot());
  process.env.SUPERD_ROOT = root;
  await mkdir(path.join(root, path.dirname(SAVED)), { recursive: true });
  await writeFile(path.join(root, SAVED), savedBefore);
});
afterEach(async () => {
  delete process.env.SUPERD_ROOT;
  await cleanup();
});

async function writeManaged(values: Record<string, unknown>, binary: boolean): Promise<void> {
  await mkdir(path.join(root, path.dirname(MANAGED)), { recursive: true });
  const { build, buildBinary } = await loadPlist();
  const data = binary ? Buffer.from(buildBinary(values as never)) : build(values as never);
  await writeFile(path.join(root, MANAGED), data);
}

async function runAndExpectRejected(argv: string[], status: number, mustMention: RegExp[]): Promise<string> {
  const output = captureOutput();
  const code = await main(['run', ...argv], output);
  expect(code).toBe(status);
  const err = output.stderr();
  for (const re of mustMention) expect(err).toMatch(re);
  expect(err).toMatch(/nothing was saved/);
  // Nothing written: the saved settings file is byte-for-byte what it was.
  expect(await readFile(path.join(root, SAVED), 'utf8')).toBe(savedBefore);
  return err;
}

describe('every option validation error names the option and the expected form, exits 64, saves nothing', () => {
  test.each([
    [['--deferral-timer-default=-1'], [/--deferral-timer-default/, /whole number of minutes from 2 to 10080/]],
    [['--deferral-timer-error=abc'], [/--deferral-timer-error/, /from 2 to 10080/]],
    [['--deferral-timer-error=1.5'], [/--deferral-timer-error/, /10080/]],
    [['--dialog-timeout-user-auth=ten'], [/--dialog-timeout-user-auth/, /seconds from 60 to 86400/]],
    [['--credential-heartbeat-interval=0'], [/--credential-heartbeat-interval/, /hours from 1 to 168/]],
    [['--deadline-days-soft=400'], [/--deadline-days-soft/, /days from 1 to 365/]],
    [['--auth-jamf-custom-url=http://jamf.example.com'], [/--auth-jamf-custom-url/, /https:\/\//]],
    [['--auth-jamf-custom-url=https://user:pw@jamf.example.com'], [/--auth-jamf-custom-url/, /no user/]],
    [['--auth-mdm-failover-to-user=ALWAYS,SOMETIMES'], [/--auth-mdm-failover-to-user/, /ALWAYS, NOSERVICE, HARD, SOFT, INSTALLNOW, BOOTSTRAP/, /SOMETIMES/]],
    [['--auth-jamf-computer-id=abc'], [/--auth-jamf-computer-id/, /digits only/]],
    [['--mdm-workflow=fast'], [/--mdm-workflow/, /one of auto, plans, legacy, ddm/]],
    [['--log-format=xml'], [/--log-format/, /one of text, json/]],
    [['--deadline-date-hard=2026-02-30:10:00'], [/--deadline-date-hard/, /YYYY-MM-DD:hh:mm/]],
    [['--deadline-date-soft=tomorrow'], [/--deadline-date-soft/, /YYYY-MM-DD:hh:mm/]],
    [['--install-macos-major-version-target=twenty'], [/--install-macos-major-version-target/, /such as 26/]],
    [['--install-macos-minor-version-target=15'], [/--install-macos-minor-version-target/, /such as 15.7/]],
    [['--verbose-mode=yes'], [/--verbose-mode/, /takes no value/]],
    [['--deferral-timer-default'], [/--deferral-timer-default/, /needs a value/]],
    [['--no-such-option=1'], [/--no-such-option/, /not a superd option/]],
    [['stray'], [/argument 1/, /not an option/]],
    [['--auth-jamf-client=abc'], [/--auth-jamf-client/, /requires --auth-jamf-secret/]],
    [['--auth-jamf-password=pw-123456'], [/--auth-jamf-password/, /requires --auth-jamf-account/]],
    [['--auth-local-account=admin'], [/--auth-local-account/, /requires --auth-local-password/]],
    [['--auth-service-add-via-admin-account=admin'], [/requires --auth-service-add-via-admin-password/]],
    [['--auth-service-account=svc'], [/--auth-service-account/, /requires --auth-service-add-via-admin-account/]],
    [['--auth-jamf-secret='], [/--auth-jamf-secret/, /needs a value/]],
    [['--auth-delete-all', '--auth-jamf-client=c', '--auth-jamf-secret=s-123456'], [/--auth-delete-all/, /cannot be combined/]],
  ])('%j', async (argv, mentions) => {
    const err = await runAndExpectRejected(argv, 64, mentions);
    expect(err).not.toContain('s-123456');
    expect(err).not.toContain('pw-123456');
  });
});

describe('profile errors exit 78 and save nothing, for XML and binary managed plists', () => {
  test.each([false, true])('binary=%s: invalid value in the profile names the key and file', async (binary) => {
    await writeManaged({ DeferralTimerError: 'one' }, binary);
    await runAndExpectRejected(['--deferral-timer-default=45'], 78, [/DeferralTimerError in .*com\.github\.superd\.plist/, /from 2 to 10080/]);
  });

  test.each([false, true])('binary=%s: a secret in a profile is refused with the reason', async (binary) => {
    await writeManaged({ AuthJamfSecret: 'TopSecret-998877' }, binary);
    const err = await runAndExpectRejected([], 78, [/AuthJamfSecret/, /readable by every local user/, /--auth-jamf-secret/]);
    expect(err).not.toContain('TopSecret-998877');
  });

  test('any password-like key is refused even if superd does not know it', async () => {
    await writeManaged({ JamfApiPassword: 'pw-77665544' }, false);
    const err = await runAndExpectRejected([], 78, [/JamfApiPassword/, /secret/]);
    expect(err).not.toContain('pw-77665544');
  });

  test('a malformed XML profile names the file and the line and column of the fault', async () => {
    await mkdir(path.join(root, path.dirname(MANAGED)), { recursive: true });
    await writeFile(path.join(root, MANAGED), '<?xml version="1.0"?>\n<plist version="1.0">\n<dict>\n\t<key>VerboseMode</key>\n\t<true/>\n\t<string>orphan</string>\n</dict>\n</plist>\n');
    await runAndExpectRejected([], 78, [/com\.github\.superd\.plist/, /line 6, column 2/]);
  });

  test('a corrupt binary profile is a configuration error, not a crash', async () => {
    await mkdir(path.join(root, path.dirname(MANAGED)), { recursive: true });
    await writeFile(path.join(root, MANAGED), Buffer.from('bplist00\x00\x01\x02garbage'));
    await runAndExpectRejected([], 78, [/com\.github\.superd\.plist/, /binary property list/]);
  });

  test('a corrupt saved settings file is a configuration error naming it', async () => {
    await writeFile(path.join(root, SAVED), '<plist><dict><key>A</key></dict></plist>');
    const output = captureOutput();
    expect(await main(['run'], output)).toBe(78);
    expect(output.stderr()).toMatch(/com\.github\.superd\.plist.*line 1/);
  });
});
