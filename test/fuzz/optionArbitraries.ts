/**
 * fast-check generators of hostile and near-valid command-line options for superd's parsers
 * (issue 16, fuzz acceptance). Each generated argument carries what a reader of design.md §4/§10
 * expects of it, so the properties can check the answer, not just the absence of a crash.
 */
import fc from 'fast-check';
import { actionOptions, credentialOptions } from '../../daemon/config/credentialOptions';
import { settingKeys, settingsSchema, type SettingKey } from '../../daemon/config/schema';
import { superKeyByOption, superShortOptions } from '../../daemon/config/superKeys';
import { resetActions } from '../../daemon/config/screenSuperKeys';

export const settingOptions = settingKeys.map((k) => settingsSchema[k].option);
export const booleanOptions = settingKeys.filter((k) => settingsSchema[k].kind === 'boolean').map((k) => settingsSchema[k].option);
export const valueOptions = settingKeys.filter((k) => settingsSchema[k].kind !== 'boolean').map((k) => settingsSchema[k].option);
export const credentialNames = Object.keys(credentialOptions) as (keyof typeof credentialOptions)[];
export const secretOptions = credentialNames.filter((o) => credentialOptions[o].secret);
export const actionNames = [...Object.keys(actionOptions), ...Object.keys(resetActions)];
export const superOnlyOptions = [...superKeyByOption.keys()].filter((o) => !settingOptions.includes(o) && !credentialNames.includes(o as never) && !actionNames.includes(o));
export const shortOptions = [...superShortOptions.keys()];
export const allOptionNames = [...settingOptions, ...credentialNames, ...actionNames, ...superOnlyOptions];

/** A secret with a shape no other generator produces, so finding it anywhere is a leak. */
export const secretArb = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9]{10,24}$/), fc.constantFrom('', ' ', '  pad', '=eq=', '\u00e9t\u00e9', '\u{1F511}', '\\"\'$`;'))
  .map(([core, tail]) => `Zq9Secret-${core}${tail}`);

/** Hostile values: empty, blank, X, `-`, NUL and control bytes, unicode, huge, `=` games, numbers of every wrong form. */
export const hostileValue = fc.oneof(
  fc.constantFrom(
    '', ' ', '\t', 'X', 'x', ' X ', '-', '--', '=', '==', 'a=b', '=X', 'true', 'false', 'yes', 'on', '1', '0', '-1', '+5', '05', '1.5', '1e3', '0x10',
    '１２', '٣', 'NaN', 'Infinity', '99999999999999999999', '9007199254740993', '2', '10080', '10081', '60', '86401',
    'auto', 'AUTO', 'plans', 'json', 'TEXT', 'ſoft', 'ınstallnow', 'ALWAYS,', ',', 'ALWAYS,,SOFT', 'DEADLINE', 'dialog',
    '2030-01-14', '2030-01-14:09:00', '2030-02-29:10:00', '2028-02-29', '2030-13-01', '2030-01-14T09:00:00', '2030-01-14:9:00', '0999-01-01',
    '26', '15.7', '15.7.2', '10.15', '15.7.2.1', '$JSSID', '$COMPUTERNAME', '42', '0042', '1234567890123',
    'https://jamf.example.com', 'http://jamf.example.com', 'https://jamf.example.com:8443/path', 'https://1.2.3.4/', 'https://jamf.example.com/?a=b',
    'https://jamf.example.com/#frag', 'https:///jamf.example.com', 'https://ja\tmf.example.com/', 'https://ja\nmf.example.com/', 'HTTPS://JAMF.EXAMPLE.COM',
    'https://xn--jmf-qla.example/', 'https://jämf.example/', 'https://jamf.example.com:0/', 'https://jamf.example.com:99999/',
    'a\u0000b', '\u0000', '5\u0000', '\u202e\u0031', '\u00a05\u00a0', '\ufeff60', '\u2028', '\ud800', 'é', '\u{1F600}',
    'A'.repeat(70_000), '9'.repeat(5_000), '\n60', '60\n',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer({ min: -1_000_000, max: 10_000_000 }).map(String),
  fc.double().map(String),
  fc.stringMatching(/^[0-9]{4}-[0-9]{2}-[0-9]{2}([:T ][0-9]{1,2}(:[0-9]{1,2}){0,2})?$/),
  fc.stringMatching(/^[0-9]{1,2}(\.[0-9]{1,3}){0,3}$/),
  fc.array(fc.constantFrom('ALWAYS', 'NOSERVICE', 'HARD', 'SOFT', 'INSTALLNOW', 'BOOTSTRAP', 'DEADLINE', 'ERROR', 'DIALOG', 'SCHEDULED', 'soft', ' hard ', 'NOPE', ''), { minLength: 1, maxLength: 5 }).map((a) => a.join(',')),
);

/** Option names: every real one, and near misses (case, unicode look-alikes, underscores, extra dashes, `-off` on the wrong kind). */
export const hostileName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...allOptionNames) },
  { weight: 2, arbitrary: fc.constantFrom(...valueOptions, ...credentialNames, ...superOnlyOptions).map((n) => `${n}-off`) },
  { weight: 2, arbitrary: fc.constantFrom(...booleanOptions).map((n) => `${n}-off`) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...allOptionNames), fc.constantFrom('upper', 'underscore', 'homoglyph', 'dash', 'trail', 'space', 'nul')).map(([n, how]) => {
      switch (how) {
        case 'upper': return n.toUpperCase();
        case 'underscore': return n.replaceAll('-', '_');
        case 'homoglyph': return n.replace('a', '\u0430').replace('e', '\u0435');
        case 'dash': return n.replace('-', '--');
        case 'trail': return `${n}-`;
        case 'space': return n.replace('-', ' ');
        default: return `${n}\u0000`;
      }
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'off', '-off', '', '-', 'x') },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9-]{1,30}$/) },
);

/**
 * Near-valid options: each a form design.md §4 and super accept (whole numbers in and out of a
 * clamped range, date-only deadlines, X to unset, mixed-case enums, failover aliases), so most
 * argument lists are valid and the run goes on into the workflow.
 */
const validValue: Record<string, fc.Arbitrary<string>> = {
  integer: fc.oneof(fc.integer({ min: 1, max: 400 }).map(String), fc.constantFrom('X', ' 60 ', '100000', '1')),
  string: fc.constantFrom('X', 'x'),
  enum: fc.constantFrom('X'),
  list: fc.constantFrom('ALWAYS', 'nosERVICE,bootstrap', 'DEADLINE', 'ERROR,DIALOG', 'SCHEDULED', 'X', 'HARD, SOFT'),
};
const stringValues: Record<string, fc.Arbitrary<string>> = {
  InstallMacOSMajorVersionTarget: fc.constantFrom('26', '15.6.1', 'X'),
  InstallMacOSMinorVersionTarget: fc.constantFrom('15.6', '15.7', 'X'),
  DeadlineDateSoft: fc.constantFrom('2030-01-14', '2030-01-14:09:00', '2030-01-14T09', '2028-02-29:23:59:59', 'X'),
  DeadlineDateHard: fc.constantFrom('2030-01-21:17:00', '2030-01-21', 'X'),
  AuthJamfComputerID: fc.constantFrom('X'),
  AuthJamfCustomURL: fc.constantFrom('X'),
  MDMWorkflow: fc.constantFrom('auto', 'PLANS', 'Auto', 'X'),
  LogFormat: fc.constantFrom('text', 'JSON', 'X'),
};
const skipInValidRuns = new Set(['AuthAskUserToSavePassword', 'AuthCredentialFailoverToUser']);

export const nearValidArg: fc.Arbitrary<string> = fc.constantFrom(...settingKeys.filter((k) => !skipInValidRuns.has(k))).chain((key: SettingKey) => {
  const def = settingsSchema[key];
  if (def.kind === 'boolean') return fc.constantFrom(`--${def.option}`, `--${def.option}-off`, ` --${def.option} `);
  const values = stringValues[key] ?? validValue[def.kind] ?? fc.constant('X');
  return values.map((v) => `--${def.option}=${v}`);
});

/**
 * The number of cases of a property: `n`, times SUPERD_FUZZ_SCALE when set (a deeper search on
 * a quiet machine: `SUPERD_FUZZ_SCALE=20 npx jest test/fuzz`). The default keeps the suite fast.
 */
export function fuzzRuns(n: number): number {
  const scale = Number(process.env.SUPERD_FUZZ_SCALE ?? '1');
  return Number.isFinite(scale) && scale > 0 ? Math.max(1, Math.round(n * scale)) : n;
}

/** A test's time limit, scaled with SUPERD_FUZZ_SCALE like its number of cases. */
export function fuzzTimeout(ms: number): number {
  return Math.max(ms, Math.round((ms * fuzzRuns(1000)) / 1000));
}
