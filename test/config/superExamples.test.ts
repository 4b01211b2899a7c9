import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { loadPlist } from '../helpers/plist';
import { main } from '../../daemon/cli/main';
import { loadSettings } from '../../daemon/config/loadSettings';
import { settingsSchema } from '../../daemon/config/schema';
import { superKeyByKey } from '../../daemon/config/superKeys';
import { captureOutput } from '../helpers/captureOutput';
import { describeWithShared, sharedDir } from '../helpers/sharedReference';
import { makeTempRoot } from '../helpers/tempRoot';

const examples = path.join(sharedDir, 'reference/super-examples');
const SUPER_MANAGED = 'Library/Managed Preferences/com.macjutsu.super.plist';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot());
  await mkdir(path.join(root, path.dirname(SUPER_MANAGED)), { recursive: true });
});
afterEach(() => cleanup());

/** The settings dictionary inside super's all-options .mobileconfig (MCX "Forced" payload). */
async function mobileconfigSettings(): Promise<Record<string, unknown>> {
  const { parse } = await loadPlist();
  const profile = parse(await readFile(path.join(examples, 'All-Options-Example-DO-NOT-DEPLOY-com.macjutsu.super.mobileconfig'), 'utf8')) as {
    PayloadContent: Array<{ PayloadContent: Record<string, { Forced: Array<{ mcx_preference_settings: Record<string, unknown> }> }> }>;
  };
  const settings = profile.PayloadContent[0]?.PayloadContent['com.macjutsu.super']?.Forced[0]?.mcx_preference_settings;
  if (!settings) throw new Error('the example mobileconfig no longer has the MCX payload this test expects');
  return settings;
}

describeWithShared("super's real configuration files, read through the com.macjutsu.super fallback", () => {
  test.each(['xml', 'binary'])('all-options mobileconfig payload as %s: implemented keys honoured, irrelevant ones named in one note, refused ones exit 78 by name', async (format) => {
    const values = await mobileconfigSettings();
    const { build, buildBinary } = await loadPlist();
    const data = format === 'binary' ? Buffer.from(buildBinary(values as never)) : build(values as never);
    await writeFile(path.join(root, SUPER_MANAGED), data);

    const loaded = await loadSettings([], root);
    expect(loaded.managedFile).toContain('com.macjutsu.super.plist');
    // Nothing is a usage error: every key is super's, and a profile problem is a configuration error (78).
    expect(loaded.errors.every((e) => e.source === 'configuration')).toBe(true);

    // Every key superd supports is honoured, from the profile; TestMode parses as a real setting.
    const supported = Object.keys(values).filter((k) => Object.hasOwn(settingsSchema, k));
    expect(supported.length).toBeGreaterThan(10);
    expect(loaded.settings.TestMode).toBe(true);
    expect(loaded.settings.WorkflowOnlyDownload).toBe(true);
    expect(loaded.settings.WorkflowDisableUpdateCheck).toBe(true);
    expect(loaded.settings.WorkflowInstallNow).toBe(true);
    expect(loaded.settings.AuthAskUserToSavePassword).toBe(true);
    expect(loaded.settings.AuthCredentialFailoverToUser).toBe(true);
    expect(loaded.settings.AuthJamfCustomURL).toBe('https://jamf-api.example.domain.com/');
    expect(loaded.settings.AuthMDMFailoverToUser).toEqual(['NOSERVICE', 'BOOTSTRAP']);
    expect(loaded.settings.DeferralTimerDefault).toBe(60);
    expect(loaded.settings.DialogTimeoutUserAuth).toBe(600);
    expect(loaded.settings.DialogTimeoutDefault).toBe(600);
    expect(loaded.settings.DeadlineDateHard).toBe('2023-09-27:00:00');
    expect(loaded.settings.InstallMacOSMajorVersionTarget).toBe(String(values.InstallMacOSMajorVersionTarget));
    expect(loaded.settings.VerboseMode).toBe(true);
    for (const key of supported) {
      if (key === 'AuthJamfComputerID') continue; // $JSSID: reported below, not honoured
      expect([key, loaded.sources[key as keyof typeof settingsSchema]]).toEqual([key, 'managed']);
    }

    // Every other key is super's and classified: refused ones are errors naming the key (exit 78),
    // the rest named exactly once in one info line. None is reported as unknown.
    const others = Object.keys(values).filter((k) => !Object.hasOwn(settingsSchema, k));
    const refusedKeys = others.filter((k) => superKeyByKey.get(k)?.class === 'refused');
    expect(refusedKeys).toEqual(expect.arrayContaining(['ScheduleWorkflowActive', 'WorkflowRequireActiveUser', 'DeadlineCountFocus', 'InstallJamfPolicyTriggers']));
    expect(refusedKeys).not.toContain('DeadlineCountHard');
    expect(loaded.errors.map((e) => e.subject.split(' ')[0]).sort()).toEqual([...refusedKeys].sort());
    const notes = loaded.notices.map((n) => `${n.subject} ${n.message}`).join('\n');
    expect(loaded.notices).toHaveLength(1);
    for (const key of others.filter((k) => !refusedKeys.includes(k))) {
      expect([key, superKeyByKey.get(key)?.class]).toEqual([key, 'irrelevant']);
      expect([key, notes.split(new RegExp(`\\b${key}\\b`)).length - 1]).toEqual([key, 1]);
    }
    const warnings = loaded.warnings.map((w) => `${w.subject} ${w.message}`).join('\n');
    expect(warnings).not.toMatch(/does not support/);
    expect(warnings).toMatch(/AuthJamfComputerID.*unresolved Jamf Pro variable \$JSSID/);
    // super's date-only style is not used here, but midnight dates are kept as written.
    expect(warnings).not.toMatch(/DeadlineDateHard/);
  });

  test('the same profile without its refused keys runs: no error, TestMode on', async () => {
    const values = await mobileconfigSettings();
    for (const k of Object.keys(values)) if (superKeyByKey.get(k)?.class === 'refused') delete values[k];
    await writeFile(path.join(root, SUPER_MANAGED), (await loadPlist()).build(values as never));
    const loaded = await loadSettings([], root);
    expect(loaded.errors).toEqual([]);
    expect(loaded.settings.TestMode).toBe(true);
  });

  test('the $JSSID-only plist is reported as an unresolved Jamf variable', async () => {
    await copyFile(path.join(examples, 'Jamf-Pro-ID-Only-Example-com.macjutsu.super.plist'), path.join(root, SUPER_MANAGED));
    const loaded = await loadSettings([], root);
    expect(loaded.errors).toEqual([]);
    expect(loaded.settings.AuthJamfComputerID).toBeUndefined();
    expect(loaded.warnings.map((w) => w.message).join('\n')).toMatch(/unresolved Jamf Pro variable \$JSSID.*looks the computer up by its hardware UUID/);
  });

  test('the all-options .plist as shipped is malformed: file and position named, exit 78, nothing acted on', async () => {
    const shipped = path.join(examples, 'All-Options-Example-DO-NOT-DEPLOY-com.macjutsu.super.plist');
    await copyFile(shipped, path.join(root, SUPER_MANAGED));
    // The fault is the second value after a key: find where it really is, independently.
    const lines = (await readFile(shipped, 'utf8')).split('\n');
    const faultLine = lines.findIndex((l) => /<key>DisplayAccessory\w+File<\/key> <string>path or URL<\/string>/.test(l)) + 2;
    expect(faultLine).toBeGreaterThan(1);

    process.env.SUPERD_ROOT = root;
    try {
      const output = captureOutput();
      expect(await main(['run', '--deferral-timer-default=30'], output)).toBe(78);
      expect(output.stderr()).toContain('com.macjutsu.super.plist');
      expect(output.stderr()).toMatch(new RegExp(`line ${faultLine}, column \\d+`));
      expect(output.stdout()).toBe('');
      await expect(readFile(path.join(root, 'Library/Management/superd/com.github.superd.plist'))).rejects.toThrow(/ENOENT/);
    } finally {
      delete process.env.SUPERD_ROOT;
    }
  });
});
