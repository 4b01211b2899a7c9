import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { loadPlist } from '../helpers/plist';
import { main } from '../../daemon/cli/main';
import { loadSettings } from '../../daemon/config/loadSettings';
import { settingsSchema } from '../../daemon/config/schema';
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
  test.each(['xml', 'binary'])('all-options mobileconfig payload as %s: supported keys honoured, the rest reported once', async (format) => {
    const values = await mobileconfigSettings();
    const { build, buildBinary } = await loadPlist();
    const data = format === 'binary' ? Buffer.from(buildBinary(values as never)) : build(values as never);
    await writeFile(path.join(root, SUPER_MANAGED), data);

    const loaded = await loadSettings([], root);
    expect(loaded.errors).toEqual([]);
    expect(loaded.managedFile).toContain('com.macjutsu.super.plist');

    // Every key superd supports is honoured, from the profile.
    const supported = Object.keys(values).filter((k) => Object.hasOwn(settingsSchema, k));
    expect(supported.length).toBeGreaterThan(10);
    expect(loaded.settings.AuthAskUserToSavePassword).toBe(true);
    expect(loaded.settings.AuthCredentialFailoverToUser).toBe(true);
    expect(loaded.settings.AuthJamfCustomURL).toBe('https://jamf-api.example.domain.com/');
    expect(loaded.settings.AuthMDMFailoverToUser).toEqual(['NOSERVICE', 'BOOTSTRAP']);
    expect(loaded.settings.DeferralTimerDefault).toBe(60);
    expect(loaded.settings.DialogTimeoutUserAuth).toBe(600);
    expect(loaded.settings.InstallMacOSMajorVersionTarget).toBe(String(values.InstallMacOSMajorVersionTarget));
    expect(loaded.settings.VerboseMode).toBe(true);
    for (const key of supported) {
      if (key === 'AuthJamfComputerID') continue; // $JSSID: reported below, not honoured
      expect([key, loaded.sources[key as keyof typeof settingsSchema]]).toEqual([key, 'managed']);
    }

    // Every other key is reported exactly once, as unsupported: a warning, not an error.
    const unsupported = Object.keys(values).filter((k) => !Object.hasOwn(settingsSchema, k));
    const text = loaded.warnings.map((w) => `${w.subject} ${w.message}`).join('\n');
    for (const key of unsupported) {
      expect([key, text.split(new RegExp(`\\b${key}\\b`)).length - 1]).toEqual([key, 1]);
    }
    expect(text).toMatch(/AuthJamfComputerID.*unresolved Jamf Pro variable \$JSSID/);
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
