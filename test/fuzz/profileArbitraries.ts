/**
 * fast-check generators of hostile and near-valid managed-preference dictionaries (issue 16
 * fuzz acceptance): superd's and super's key names (schema.ts, superKeys.ts) with values of every
 * property-list type, wrong ones included: huge and unicode strings, NUL, dates, data, integers
 * out of range, reals, arrays and nested dictionaries.
 */
import fc from 'fast-check';
import { credentialOptions } from '../../daemon/config/credentialOptions';
import { settingKeys, settingsSchema } from '../../daemon/config/schema';
import { superKeyByKey } from '../../daemon/config/superKeys';
import { secretArb } from './optionArbitraries';

export const secretProfileKeys: readonly string[] = Object.values(credentialOptions).filter((d) => d.secret).map((d) => d.profileKey);
export const otherCredentialKeys = Object.values(credentialOptions).filter((d) => !d.secret).map((d) => d.profileKey);
export const superOnlyKeys = [...superKeyByKey.keys()].filter((k) => !Object.hasOwn(settingsSchema, k));

export const keyArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...settingKeys) },
  { weight: 3, arbitrary: fc.constantFrom(...superOnlyKeys) },
  { weight: 1, arbitrary: fc.constantFrom(...otherCredentialKeys, 'PayloadUUID', 'PayloadType', '__proto__', 'constructor', 'toString', '') },
  { weight: 1, arbitrary: fc.constantFrom(...settingKeys).map((k) => k.toLowerCase()) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

/** Scalars as a property list can hold them (`null` is not one; plist writes it as an empty string). */
export const scalarArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('', ' ', 'X', 'x', '$JSSID', '$COMPUTERNAME', 'true', 'false', 'YES', '1', '0', '60', '-5', '1e3', 'ten', 'auto', 'PLANS', 'ſoft', 'ALWAYS,ERROR',
    '2030-01-14', '2030-02-30:10:00', '26', '15.7', 'https://jamf.example.com', 'http://jamf.example.com', 'https://u:p@jamf.example.com/', '\u202e', '\u{1F600}', 'é\u0301',
    'A'.repeat(100_000), 'a\u0000b'),
  fc.string({ maxLength: 30 }),
  fc.boolean(),
  fc.integer({ min: -2_000_000, max: 2_000_000 }),
  fc.constantFrom(0, 1, 2, 59, 60, 10080, 10081, 86400, 86401, 2 ** 31, 2 ** 53 + 2, -(2 ** 53), Number.MAX_SAFE_INTEGER),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
  fc.uint8Array({ maxLength: 32 }),
);

export const valueArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalarArb, tie('array'), tie('dict')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  dict: fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 }),
})).value;

export interface Profile { values: Record<string, unknown>; secrets: string[] }

/** A profile: hostile keys and values, sometimes with a secret under a credential or password-like key. */
export const profileArb: fc.Arbitrary<Profile> = fc
  .tuple(
    fc.array(fc.tuple(keyArb, valueArb), { maxLength: 10 }),
    fc.option(fc.tuple(fc.constantFrom(...secretProfileKeys, 'JamfApiPassword', 'ClientSecret', 'BearerToken'), secretArb), { nil: undefined }),
  )
  .map(([pairs, secret]) => {
    const values: Record<string, unknown> = {};
    for (const [k, v] of pairs) Object.defineProperty(values, k, { value: v, enumerable: true, writable: true, configurable: true });
    const secrets: string[] = [];
    if (secret) {
      values[secret[0]] = secret[1];
      secrets.push(secret[1]);
    }
    return { values, secrets };
  });
