import Ajv from 'ajv';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { settingKeys, settingsSchema, type SettingKey } from '../../daemon/config/schema';
import { validate } from '../../daemon/config/validate';
import { jamfCustomSchema } from '../../scripts/adminArtefacts';

/**
 * The Jamf Pro schema (docs/com.github.superd.json) and superd's validator apply the same rules:
 * every value the schema accepts, superd accepts; every common form superd accepts without
 * rewriting it, the schema accepts. (superd also accepts forms the schema does not offer, as super
 * does: digit strings for numbers, out-of-range timers it clamps, dates without a time.)
 */
const REPO = path.resolve(__dirname, '../..');
const schema = JSON.parse(readFileSync(path.join(REPO, 'docs/com.github.superd.json'), 'utf8')) as { properties: Record<string, { type: string; pattern?: string; enum?: string[]; minimum?: number; maximum?: number }>; options: Record<string, unknown> };
const ajv = new Ajv({ strict: false });
const checkProperty = (key: SettingKey) => ajv.compile({ type: 'object', properties: { [key]: schema.properties[key] } });

const superdAccepts = (key: SettingKey, value: unknown) =>
  validate({ managed: { file: 'p.plist', domain: 'com.github.superd', values: { [key]: value } }, options: {}, saved: null });

/** Values a property of the schema might receive: from its own pattern or range, and random ones. */
function candidates(key: SettingKey): fc.Arbitrary<unknown> {
  const p = schema.properties[key]!;
  const random = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(''), fc.constant('X'));
  if (p.type === 'boolean') return fc.oneof(fc.boolean(), random);
  if (p.type === 'integer') return fc.oneof(fc.integer({ min: p.minimum!, max: p.maximum! }), fc.integer({ min: -10, max: p.maximum! * 2 }), random);
  if (p.enum) return fc.oneof(fc.constantFrom(...p.enum), random);
  return fc.oneof(fc.stringMatching(new RegExp(p.pattern!)), random);
}

/** Common forms an admin writes, which superd accepts as they are. */
const commonForms: Partial<Record<SettingKey, fc.Arbitrary<unknown>>> = {
  DeadlineDateSoft: fc.date({ min: new Date(2024, 0, 1), max: new Date(2040, 11, 31), noInvalidDate: true }).map(
    (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}:${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`,
  ),
  AuthJamfCustomURL: fc.tuple(fc.constantFrom('https://', 'HTTPS://'), fc.array(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}$/), { minLength: 0, maxLength: 3 }), fc.stringMatching(/^[a-z][a-z0-9]{1,8}$/), fc.constantFrom('', ':8443', '/', '/jamf/', '/api'))
    .map(([scheme, labels, tld, tail]) => `${scheme}${[...labels, tld].join('.')}${tail}`),
  InstallMacOSMajorVersionTarget: fc.tuple(fc.integer({ min: 11, max: 30 }), fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 2 })).map(([m, rest]) => [m, ...rest].join('.')),
  InstallMacOSMinorVersionTarget: fc.tuple(fc.integer({ min: 11, max: 30 }), fc.integer({ min: 0, max: 9 }), fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined })).map(([a, b, c]) => [a, b, ...(c === undefined ? [] : [c])].join('.')),
  AuthMDMFailoverToUser: fc.uniqueArray(fc.constantFrom('ALWAYS', 'NOSERVICE', 'HARD', 'SOFT', 'INSTALLNOW', 'BOOTSTRAP', 'DEADLINE', 'ERROR'), { minLength: 1 }).map((a) => a.join(',')),
  AuthJamfComputerID: fc.oneof(fc.integer({ min: 1, max: 999999 }).map(String), fc.constant('$JSSID')),
};
commonForms.DeadlineDateHard = commonForms.DeadlineDateSoft;

test('the Jamf Pro schema drops blank fields and has a type for every key', () => {
  expect(schema.options).toEqual({ remove_empty_properties: true });
  expect(jamfCustomSchema().properties).toEqual(schema.properties);
  for (const key of settingKeys) {
    const p = schema.properties[key]!;
    expect([key, typeof p.type]).toEqual([key, 'string']);
    if (p.type === 'string') expect([key, Boolean(p.pattern || p.enum)]).toEqual([key, true]);
    if (p.type === 'integer') expect([key, p.minimum !== undefined && p.maximum !== undefined]).toEqual([key, true]);
  }
});

describe.each(settingKeys)('%s', (key) => {
  const accepts = checkProperty(key);

  test('every value the schema accepts, superd accepts', () => {
    fc.assert(
      fc.property(candidates(key), (value) => {
        fc.pre(accepts({ [key]: value }));
        expect(superdAccepts(key, value).errors).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  test('every common form superd accepts unchanged, the schema accepts', () => {
    const def = settingsSchema[key];
    const forms: fc.Arbitrary<unknown> =
      commonForms[key] ??
      (def.kind === 'boolean' ? fc.boolean()
        : def.kind === 'integer' ? fc.integer({ min: def.range![0], max: def.range![1] })
        : def.kind === 'enum' ? fc.constantFrom(...def.values!)
        : fc.constant('X'));
    fc.assert(
      fc.property(forms, (value) => {
        const result = superdAccepts(key, value);
        expect(result.errors).toEqual([]);
        expect(accepts({ [key]: value })).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

test('the example profile is clearly an example, validates against the schema, and superd accepts it', async () => {
  const { parse } = await import('plist');
  const profile = parse(readFileSync(path.join(REPO, 'docs/com.github.superd.example.mobileconfig'), 'utf8')) as { PayloadDisplayName: string; PayloadContent: Record<string, unknown>[] };
  expect(profile.PayloadDisplayName).toMatch(/EXAMPLE/);
  const payload = { ...profile.PayloadContent[0] };
  for (const k of Object.keys(payload)) if (k.startsWith('Payload')) delete payload[k];
  expect(ajv.compile(schema)(payload)).toBe(true);
  expect(payload.AuthJamfCustomURL).toBe('https://your-jamf-pro.example/');
  const result = validate({ managed: { file: 'example.mobileconfig', domain: 'com.github.superd', values: payload }, options: {}, saved: null });
  expect(result.errors).toEqual([]);
  // Only $JSSID outside Jamf Pro, and the major target that needs InstallMacOSMajorUpgrades (off in the example, so it never upgrades).
  expect(result.warnings.map((w) => w.subject)).toEqual(['AuthJamfComputerID in example.mobileconfig', 'InstallMacOSMajorVersionTarget']);
  expect(result.settings.TestMode).toBe(true);
  expect(Date.parse(String(payload.DeadlineDateSoft).slice(0, 10))).toBeGreaterThan(Date.parse('2026-12-31'));
});
