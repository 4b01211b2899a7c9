import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { loadSettings } from '../../daemon/config/loadSettings';
import { settingKeys } from '../../daemon/config/schema';
import { superKeys } from '../../daemon/config/superKeys';
import { loadPlist } from '../helpers/plist';
import { makeTempRoot } from '../helpers/tempRoot';

/**
 * Jamf Pro writes an empty <string/> for a field left blank in a custom-schema form when the
 * schema does not remove empty properties (super's own v5.1.0 schema sets remove_empty_properties
 * for this reason). An empty value means "not set": a profile of blanks runs as if it were absent.
 */
const MANAGED = 'Library/Managed Preferences/com.github.superd.plist';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ root, cleanup } = await makeTempRoot()));
afterEach(() => cleanup());

async function writeProfile(values: Record<string, unknown>, binary: boolean): Promise<void> {
  await mkdir(path.join(root, path.dirname(MANAGED)), { recursive: true });
  const { build, buildBinary } = await loadPlist();
  await writeFile(path.join(root, MANAGED), binary ? Buffer.from(buildBinary(values as never)) : build(values as never));
}

test.each([false, true])('binary=%s: every superd and super field blank runs as if none were set', async (binary) => {
  const none = await loadSettings(['--deferral-timer-default=45'], root);
  const blanks: Record<string, unknown> = {};
  for (const key of settingKeys) blanks[key] = '';
  for (const k of superKeys) if (k.key) blanks[k.key] = '  ';
  await writeProfile(blanks, binary);

  const blank = await loadSettings(['--deferral-timer-default=45'], root);
  expect(blank.errors).toEqual([]);
  expect(blank.warnings).toEqual([]);
  expect(blank.notices).toEqual([]);
  expect(blank.settings).toEqual(none.settings);
  expect(blank.toSave).toEqual(none.toSave);
  // The option still counts: a blank profile field does not override it.
  expect(blank.sources.DeferralTimerDefault).toBe('option');
  expect(blank.settings.DeferralTimerDefault).toBe(45);
});

test('a blank field beside set ones: the set ones apply, the blank one is the default', async () => {
  await writeProfile({ DeferralTimerError: '', DeferralTimerDefault: '90', AuthJamfCustomURL: '', TestMode: true }, false);
  const loaded = await loadSettings([], root);
  expect(loaded.errors).toEqual([]);
  expect(loaded.settings).toMatchObject({ DeferralTimerDefault: 90, DeferralTimerError: 90, AuthJamfCustomURL: undefined, TestMode: true });
  expect(loaded.sources.DeferralTimerError).toBe('default');
});
