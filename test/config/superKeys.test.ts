import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { main } from '../../daemon/cli/main';
import { parseOptions } from '../../daemon/config/parseOptions';
import { settingsSchema } from '../../daemon/config/schema';
import { superKeyByKey, superKeyByOption, superKeys } from '../../daemon/config/superKeys';
import { validate } from '../../daemon/config/validate';
import { renderArtefacts } from '../../scripts/adminArtefacts';
import { captureOutput } from '../helpers/captureOutput';
import { loadPlist } from '../helpers/plist';
import { describeWithShared, sharedDir } from '../helpers/sharedReference';
import { makeTempRoot } from '../helpers/tempRoot';

const REPO = path.resolve(__dirname, '../..');
const examples = path.join(sharedDir, 'reference/super-examples');

const run = (argv: string[], saved: Record<string, unknown> | null = null) => {
  const parsed = parseOptions(argv);
  return { parsed, result: validate({ managed: null, options: parsed.options, saved }) };
};

describe('the classification is one consistent table', () => {
  test('no key or option is listed twice', () => {
    const keys = superKeys.flatMap((k) => (k.key ? [k.key] : []));
    const options = superKeys.flatMap((k) => (k.option ? [k.option] : []));
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(options).size).toBe(options.length);
  });

  test('every implemented setting names a real setting with the same key and option', () => {
    for (const k of superKeys.filter((e) => e.setting)) {
      const def = settingsSchema[k.setting!];
      expect([k.key, k.class]).toEqual([def.key, 'implemented']);
      if (k.option !== null) expect(k.option).toBe(def.option);
    }
  });

  test('the three keys that make super do less are real typed settings, not ignored', () => {
    for (const key of ['TestMode', 'WorkflowOnlyDownload', 'WorkflowDisableUpdateCheck', 'WorkflowInstallNow'] as const) {
      expect([key, superKeyByKey.get(key)?.class, settingsSchema[key].kind]).toEqual([key, 'implemented', 'boolean']);
    }
    const { result } = run(['--test-mode', '--workflow-only-download', '--workflow-disable-update-check-off']);
    expect(result.errors).toEqual([]);
    expect([result.settings.TestMode, result.settings.WorkflowOnlyDownload, result.settings.WorkflowDisableUpdateCheck]).toEqual([true, true, false]);
    expect(result.toSave).toMatchObject({ TestMode: true, WorkflowOnlyDownload: true, WorkflowDisableUpdateCheck: false });
  });

  test('docs/super-keys.md is what the classification generates now', async () => {
    expect(readFileSync(path.join(REPO, 'docs/super-keys.md'), 'utf8')).toBe((await renderArtefacts()).superKeys);
  });
});

describeWithShared("drift against super 5.1's own schema and example profile", () => {
  test("every property of super's Jamf Pro schema is classified", () => {
    const schema = JSON.parse(readFileSync(path.join(examples, 'Jamf-Pro-External-Application-Custom-Schema-com.macjutsu.super-v5.1.0.json'), 'utf8')) as { properties: Record<string, unknown> };
    const missing = Object.keys(schema.properties).filter((k) => !superKeyByKey.has(k));
    expect(missing).toEqual([]);
  });

  test("every key of super's All-Options example profile is classified", async () => {
    const { parse } = await loadPlist();
    const profile = parse(readFileSync(path.join(examples, 'All-Options-Example-DO-NOT-DEPLOY-com.macjutsu.super.mobileconfig'), 'utf8')) as {
      PayloadContent: Array<{ PayloadContent: Record<string, { Forced: Array<{ mcx_preference_settings: Record<string, unknown> }> }> }>;
    };
    const values = profile.PayloadContent[0]?.PayloadContent['com.macjutsu.super']?.Forced[0]?.mcx_preference_settings ?? {};
    expect(Object.keys(values).length).toBeGreaterThan(60);
    expect(Object.keys(values).filter((k) => !superKeyByKey.has(k))).toEqual([]);
  });

  test('every super 5 option named in super-behaviour.md is classified', () => {
    const text = readFileSync(path.join(sharedDir, 'reference/super-behaviour.md'), 'utf8');
    // Other tools' flags quoted there (curl --head, mist --compatible, softwareupdate --download) and super 3's
    // --skip-updates/--delete-accounts are not super 5 options.
    const options = [...new Set([...text.matchAll(/`[^`]*?--((?:auth|deferral|workflow|install|verbose|reset|deadline|dialog|display|schedule|scheduled|test|config)[a-z0-9-]*)/g)].map((m) => m[1]!))]
      .map((o) => o.replace(/-off$/, ''))
      .filter((o) => o !== 'auth-');
    expect(options.length).toBeGreaterThan(15);
    expect(options.filter((o) => !superKeyByOption.has(o))).toEqual([]);
  });
});

describe('options behave like their profile keys', () => {
  test("a policy passing super's dialog and display options parses, with one info line naming them", () => {
    const argv = ['/', 'Mac-042', 'jdoe', '--dialog-timeout-user-choice=600', '--display-icon-file=/Library/icon.png', '--display-unmovable=ALWAYS',
      '--display-accessory-type=HTML', '--deferral-timer-menu=15,60,240', '--display-help-button-string=https://support.example/', '--test-mode-timeout=30', '--open-logs'];
    const { parsed, result } = run(argv);
    expect(parsed.errors).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(result.notices).toHaveLength(1);
    for (const a of argv.slice(3)) expect(result.notices[0]!.message).toContain(a.split('=')[0]);
    expect(result.toSave).toEqual({});
  });

  test.each(superKeys.filter((k) => k.option !== null).map((k) => [k.option!, k]))('--%s in super\'s syntax is never a usage error (exit 64)', (option, k) => {
    const sample: Record<string, string> = { 'auth-mdm-failover-to-user': 'ALWAYS', 'auth-jamf-custom-url': 'https://jamf.example.com', 'deadline-date-soft': '2030-01-01:09:00', 'deadline-date-hard': '2030-01-02:09:00', 'install-macos-minor-version-target': '15.7', 'install-macos-major-version-target': '26' };
    const argvs = k.form === 'boolean' ? [[`--${option}`], [`--${option}-off`]] : k.form === 'action' ? [[`--${option}`]] : [[`--${option}=${sample[option] ?? '5'}`]];
    for (const argv of argvs) {
      const { parsed, result } = run(argv);
      expect(parsed.errors).toEqual([]);
      // Credentials need their pair (a usage rule of super's too); everything else is accepted or refused as configuration.
      if (k.group !== 'Authentication') expect(result.errors.filter((e) => e.source === 'options')).toEqual([]);
      if (k.class === 'refused' && !argv[0]!.endsWith('-off')) expect(result.errors.map((e) => e.source)).toEqual(['configuration']);
      if (k.class !== 'refused') expect(result.errors.filter((e) => e.source === 'configuration')).toEqual([]);
    }
  });

  test("super's one-letter forms: -V/-v verbose, -T/-t test mode", () => {
    expect(run(['-V', '-T']).result.settings).toMatchObject({ VerboseMode: true, TestMode: true });
    expect(run(['-v', '-t'], { VerboseMode: true, TestMode: true }).result.settings).toMatchObject({ VerboseMode: false, TestMode: false });
  });

  test.each([
    [['--workflow-require-active-user-off'], 'a refused boolean turned off'],
    [['--install-jamf-policy-triggers=X'], 'a refused value unset with X'],
    [['--scheduled-install-delete-all', '--deadline-count-delete-all', '--config-delete-all'], 'deletions of things superd never saves'],
  ])('%j is accepted (%s)', (argv) => {
    const { parsed, result } = run(argv);
    expect([...parsed.errors, ...result.errors]).toEqual([]);
  });

  test('reset actions remove the saved keys they name, as super does', () => {
    const saved = { DeferralTimerDefault: 30, DeferralTimerError: 10, DeadlineDaysSoft: 3, DeadlineDateHard: '2030-01-01:00:00', DialogTimeoutUserAuth: 120, VerboseMode: true };
    const { result } = run(['--deferral-timer-reset-all', '--deadline-date-delete-all', '--dialog-timeout-delete-all'], saved);
    expect(result.errors).toEqual([]);
    expect(result.toSave).toEqual({ DeadlineDaysSoft: 3, VerboseMode: true });
    expect(result.settings).toMatchObject({ DeferralTimerDefault: 60, DeferralTimerError: 60, DialogTimeoutUserAuth: 3600, DeadlineDaysSoft: 3 });
    expect(run(['--deadline-days-delete-all'], saved).result.toSave).not.toHaveProperty('DeadlineDaysSoft');
  });

  test('DialogTimeoutDefault sets the user password dialog timeout unless DialogTimeoutUserAuth is set', () => {
    expect(run(['--dialog-timeout-default=300']).result.settings.DialogTimeoutUserAuth).toBe(300);
    expect(run(['--dialog-timeout-default=300', '--dialog-timeout-user-auth=900']).result.settings.DialogTimeoutUserAuth).toBe(900);
  });

  test('DIALOG and SCHEDULED failover types are accepted, as super accepts them, and dropped with a warning', () => {
    const { result } = run(['--auth-mdm-failover-to-user=ALWAYS,DIALOG,SCHEDULED']);
    expect(result.errors).toEqual([]);
    expect(result.settings.AuthMDMFailoverToUser).toEqual(['ALWAYS']);
    expect(result.warnings.map((w) => w.message).join('\n')).toMatch(/DIALOG.*SCHEDULED.*ignores them/);
  });
});

describe('refused keys and options stop the run with exit 78 naming the key, nothing saved', () => {
  const SAVED = 'Library/Management/superd/com.github.superd.plist';
  const MANAGED = 'Library/Managed Preferences/com.github.superd.plist';
  let root: string;
  let cleanup: () => Promise<void>;
  let savedBefore: string;
  beforeEach(async () => {
    ({ root, cleanup } = await makeTempRoot());
    process.env.SUPERD_ROOT = root;
    savedBefore = (await loadPlist()).build({ DeferralTimerDefault: 30 });
    await mkdir(path.join(root, path.dirname(SAVED)), { recursive: true });
    await writeFile(path.join(root, SAVED), savedBefore);
  });
  afterEach(async () => {
    delete process.env.SUPERD_ROOT;
    await cleanup();
  });

  test.each([
    ['--schedule-workflow-active=MON:09:00-17:00', /--schedule-workflow-active.*maintenance windows/],
    ['--workflow-require-active-user', /--workflow-require-active-user.*logged-in user/],
    ['--workflow-disable-relaunch', /--workflow-disable-relaunch.*false is accepted/],
    ['--deadline-count-focus=3', /--deadline-count-focus/],
    ['--reset-super', /--reset-super/],
    ['-x', /--reset-super/],
    ['--config-start-temp=Weekend', /--config-start-temp.*alternate configurations/],
  ])('option %s', async (arg, mention) => {
    const output = captureOutput();
    expect(await main(['run', '--deferral-timer-default=45', arg], output)).toBe(78);
    expect(output.stderr()).toMatch(mention);
    expect(output.stderr()).toMatch(/nothing was saved/);
    expect(await readFile(path.join(root, SAVED), 'utf8')).toBe(savedBefore);
  });

  test.each([
    [{ ScheduledInstallDate: '2030-01-01:09:00' }, /ScheduledInstallDate in .*com\.github\.superd\.plist.*refused/],
    [{ WorkflowRestartWithoutUpdates: true }, /WorkflowRestartWithoutUpdates.*never restarts/],
    [{ TestBatteryLevel: '80' }, /TestBatteryLevel.*battery/],
  ])('profile key %j', async (values, mention) => {
    await mkdir(path.join(root, path.dirname(MANAGED)), { recursive: true });
    await writeFile(path.join(root, MANAGED), (await loadPlist()).build(values as never));
    const output = captureOutput();
    expect(await main(['run'], output)).toBe(78);
    expect(output.stderr()).toMatch(mention);
    expect(await readFile(path.join(root, SAVED), 'utf8')).toBe(savedBefore);
  });
});
