/**
 * Fuzz of superd's command-line options (issue 16 acceptance: "a fuzz test over options …
 * asserting no exit 70 and nothing saved from invalid input").
 *
 * In process, for volume: hostile and near-valid argument lists through loadSettings (the parse
 * and validation `superd run` uses) and the other argument parsers (main's routing, the
 * privileged commands' flags). Then a smaller number of whole `superd run` invocations through
 * the in-process fake Mac and the Jamf Pro simulator: never exit 70, invalid input exits 64 or
 * 78 naming the option, nothing saved (settings file, keychain), and no secret anywhere.
 */
import fc from 'fast-check';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadSettings, type LoadedSettings } from '../../daemon/config/loadSettings';
import { parseOptions } from '../../daemon/config/parseOptions';
import { settingKeys, settingsSchema, keyByOption } from '../../daemon/config/schema';
import { parseFlags, VALUE_FLAGS, BOOLEAN_FLAGS } from '../../daemon/cli/privilegedOptions';
import { main } from '../../daemon/cli/main';
import { captureOutput } from '../helpers/captureOutput';
import { makeTempRoot } from '../helpers/tempRoot';
import { findSecrets } from '../helpers/secretScan';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';
import {
  allOptionNames, booleanOptions, credentialNames, fuzzRuns, fuzzTimeout, hostileName, hostileValue, nearValidArg, secretArb, secretOptions, shortOptions, valueOptions,
} from './optionArbitraries';

jest.setTimeout(fuzzTimeout(30_000));

/** One argument (or two, for `--name value`) and the secrets it carries. */
interface Arg { args: string[]; secrets: string[]; stdin: string[]; given?: [string, string] }

const plain = (args: string[]): Arg => ({ args, secrets: [], stdin: [] });

const argArb: fc.Arbitrary<Arg> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(hostileName, hostileValue).map(([n, v]) => plain([`--${n}=${v}`])) },
  { weight: 3, arbitrary: hostileName.map((n) => plain([`--${n}`])) },
  { weight: 1, arbitrary: fc.tuple(hostileName, hostileValue).map(([n, v]) => plain([`--${n}`, v])) },
  { weight: 1, arbitrary: fc.tuple(hostileName, hostileValue, fc.constantFrom(' ', '\t', '\n', '\u00a0')).map(([n, v, ws]) => plain([`${ws}--${n}=${v}${ws}`])) },
  { weight: 1, arbitrary: fc.tuple(hostileName, hostileValue, fc.constantFrom('-', '---', '—', '==')).map(([n, v, d]) => plain([d === '==' ? `--${n}==${v}` : `${d}${n}=${v}`])) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...valueOptions), hostileValue).map(([n, v]) => plain([`--${n}=${v}`])) },
  { weight: 1, arbitrary: fc.constantFrom(...shortOptions, '-x', '-Z', '-', '--', '-VT').map((s) => plain([s])) },
  { weight: 1, arbitrary: hostileValue.map((v) => plain([v])) },
  // A secret on argv, as a Jamf Pro policy parameter passes it; or `-` with the secret on stdin.
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constantFrom(...secretOptions), secretArb, fc.boolean()).map(([o, s, onStdin]): Arg => ({ args: [`--${o}=${onStdin ? '-' : s}`], secrets: [s], stdin: onStdin ? [s] : [], given: [o, onStdin ? '-' : s] })),
  },
  // Secrets in the wrong place: a misspelt option, the value as the next argument, no dashes, a URL's user information.
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...secretOptions), secretArb, fc.constantFrom('typo', 'next', 'bare', 'upper', 'url', 'space')).map(([o, s, how]) => {
      const args =
        how === 'typo' ? [`--${o}s=${s}`]
          : how === 'next' ? [`--${o}`, s]
            : how === 'bare' ? [`${o}=${s}`]
              : how === 'upper' ? [`--${o.toUpperCase()}=${s}`]
                : how === 'url' ? [`--auth-jamf-custom-url=https://admin:${s}@jamf.example.com/?token=${s}`]
                  : [`--${o}`, '=', s];
      return { args, secrets: [s], stdin: [] };
    }),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...credentialNames.filter((o) => !secretOptions.includes(o))), hostileValue).map(([o, v]) => plain([`--${o}=${v}`])) },
);

interface Argv { argv: string[]; secrets: string[]; stdin: string; given: Array<[string, string]> }

const argvArb: fc.Arbitrary<Argv> = fc
  .tuple(fc.array(argArb, { maxLength: 8 }), fc.boolean(), fc.nat({ max: 3 }))
  // Repeated options: the first `repeat` arguments given again at the end.
  .map(([once, jamf, repeat]): [Arg[], boolean] => [[...once, ...once.slice(0, repeat)], jamf])
  .map(([parts, jamf]) => {
    const argv = parts.flatMap((p) => p.args);
    return {
      argv: jamf ? ['/', 'Fake Mac', '', ...argv] : argv,
      secrets: parts.flatMap((p) => p.secrets),
      stdin: parts.flatMap((p) => p.stdin).join('\n'),
      given: parts.flatMap((p) => (p.given ? [p.given] : [])),
    };
  });

function allIssues(r: LoadedSettings) {
  return [...r.errors, ...r.warnings, ...r.notices];
}

/** Where the argument at `index` (1-based, as errors count them) is mentioned, or used. */
function accounted(r: LoadedSettings, arg: string, index: number): boolean {
  const subjects = allIssues(r).map((i) => `${i.subject} ${i.message}`);
  if (r.errors.some((e) => e.subject === `argument ${index}`)) return true;
  const name = arg.trimStart().replace(/^-+/, '').split('=')[0]!.trimEnd();
  const options = (r as LoadedSettings & { options: Record<string, unknown> }).options;
  const used = Object.keys(r.credentials).includes(name) || Object.hasOwn(options, name) || (name.endsWith('-off') && Object.hasOwn(options, name.slice(0, -4)));
  if (used) return true;
  return subjects.some((s) => s.includes(`--${name} `) || s.includes(`--${name.replace(/-off$/, '')} `) || s.includes(`--${name},`) || s.includes(`--${name.replace(/-off$/, '')},`) || s.includes(`--${name} (`));
}

/** Rejections nobody awaited and exceptions nobody caught, anywhere in a run. */
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => void uncaught.push(error);
beforeAll(() => {
  process.on('unhandledRejection', onUncaught);
  process.on('uncaughtException', onUncaught);
});
afterAll(() => {
  process.off('unhandledRejection', onUncaught);
  process.off('uncaughtException', onUncaught);
});

let emptyRoot: string;
let cleanupRoot: () => Promise<void>;
beforeAll(async () => {
  ({ root: emptyRoot, cleanup: cleanupRoot } = await makeTempRoot('superd-fuzz-options-'));
});
afterAll(() => cleanupRoot());

describe('options, in process (loadSettings as superd run uses it)', () => {
  test('never throws; a secret on argv arrives intact and appears in no message; what would be saved re-parses; valid settings are in range', async () => {
    await fc.assert(
      fc.asyncProperty(argvArb, async ({ argv, secrets, given }) => {
        const r = await loadSettings(argv, emptyRoot);
        // A secret on argv reaches the credential exactly as given (a password may begin or end with a space).
        const last = new Map(given);
        for (const [option, value] of last) {
          const later = argv.filter((a) => a.trimStart().startsWith(`--${option}=`)).at(-1);
          if (later === `--${option}=${value}`) expect(r.credentials[option as keyof typeof r.credentials]).toBe(value);
        }
        const issues = allIssues(r);
        for (const issue of issues) {
          expect(issue.subject.trim()).not.toBe('');
          expect(issue.message.length).toBeGreaterThan(5);
          expect(['options', 'configuration']).toContain(issue.source);
        }
        // No secret in an issue (stderr, the log, status lastError), in the settings or in the file that would be saved.
        const visible = JSON.stringify([issues, r.settings, r.toSave]);
        for (const s of secrets) expect(visible).not.toContain(s);
        // What would be saved holds settings only, each in its canonical parsed form.
        for (const [key, value] of Object.entries(r.toSave)) {
          expect(Object.hasOwn(settingsSchema, key)).toBe(true);
          const def = settingsSchema[key as keyof typeof settingsSchema];
          const again = def.parse(value as never);
          expect(again.ok).toBe(true);
        }
        if (r.errors.length === 0) {
          for (const key of settingKeys) {
            const def = settingsSchema[key];
            const v = r.settings[key];
            if (v === undefined) continue;
            if (def.kind === 'integer') {
              expect(Number.isSafeInteger(v)).toBe(true);
              expect(v as number).toBeGreaterThanOrEqual(def.range![0]);
              expect(v as number).toBeLessThanOrEqual(def.range![1]);
            }
            if (def.kind === 'boolean') expect(typeof v).toBe('boolean');
            if (def.kind === 'enum') expect(def.values).toContain(v);
          }
        }
      }),
      { numRuns: fuzzRuns(200) },
    );
  });

  test('every argument is either used or reported, never silently dropped', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(argArb, { minLength: 1, maxLength: 6 }), async (parts) => {
        const argv = parts.flatMap((p) => p.args);
        const r = await loadSettings(argv, emptyRoot);
        const parsed = parseOptions(argv);
        const withOptions = Object.assign(Object.create(null) as object, r, { options: parsed.options }) as LoadedSettings;
        argv.forEach((arg, i) => {
          if (arg.trim() === '') return;
          if (shortOptions.includes(arg.trim())) return;
          expect({ arg, accounted: accounted(withOptions, arg, i + 1) }).toEqual({ arg, accounted: true });
        });
      }),
      { numRuns: fuzzRuns(150) },
    );
  });

  // The documented forms (super's REGEX_ANY_WHOLE_NUMBER, booleans with -off, enums) checked against an independent oracle.
  test('integer, boolean and enum options follow their documented forms', async () => {
    const integerOptions = settingKeys.filter((k) => settingsSchema[k].kind === 'integer');
    const enumOptions = settingKeys.filter((k) => settingsSchema[k].kind === 'enum');
    const one = fc.oneof(
      fc.tuple(fc.constantFrom(...integerOptions), hostileValue).map(([k, v]) => ({ k, v, form: 'value' as const })),
      fc.tuple(fc.constantFrom(...enumOptions), hostileValue).map(([k, v]) => ({ k, v, form: 'value' as const })),
      fc.tuple(fc.constantFrom(...booleanOptions.map((o) => keyByOption.get(o)!)), fc.constantFrom('flag', 'off', 'value')).map(([k, form]) => ({ k, v: 'yes', form })),
    );
    await fc.assert(
      fc.asyncProperty(one, async ({ k, v, form }) => {
        const def = settingsSchema[k];
        const arg = form === 'flag' ? `--${def.option}` : form === 'off' ? `--${def.option}-off` : `--${def.option}=${v}`;
        const r = await loadSettings([arg], emptyRoot);
        const named = r.errors.filter((e) => e.subject === `--${def.option}` || e.subject === `--${def.option}-off`);
        if (def.kind === 'boolean') {
          if (form === 'value') expect(named.length).toBe(1);
          else expect(r.settings[k]).toBe(form === 'flag');
          return;
        }
        const t = v.trim();
        if (t === '') return expect(named.length).toBe(1);
        if (t.toUpperCase() === 'X') return expect(r.errors).toEqual([]);
        if (def.kind === 'enum') {
          const ok = (def.values as readonly string[]).includes(t.toLowerCase()) && /^[\x20-\x7e]+$/.test(t);
          if (ok) expect(r.settings[k]).toBe(t.toLowerCase());
          else expect(named.length).toBe(1);
          return;
        }
        const [min, max] = def.range!;
        const digits = /^[0-9]+$/.test(t) ? Number(t) : null;
        if (digits === null || !Number.isSafeInteger(digits)) return expect(named.length).toBe(1);
        if (digits >= min && digits <= max) return expect(r.settings[k]).toBe(digits);
        if (def.clamp) {
          expect(r.settings[k]).toBe(digits < min ? min : max);
          expect(r.warnings.some((w) => w.subject === `--${def.option}`)).toBe(true);
        } else {
          expect(named.length).toBe(1);
        }
      }),
      { numRuns: fuzzRuns(200) },
    );
  });

  test("main's routing: a mistyped command line exits 64 and never echoes a value that could be a secret", async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, fc.constantFrom(...allOptionNames), fc.constantFrom('bare', 'single', 'unicode-dash', 'plain'), async (secret, option, how) => {
        const first = how === 'bare' ? `${option}=${secret}` : how === 'single' ? `-${option}=${secret}` : how === 'unicode-dash' ? `\u2014${option}=${secret}` : secret;
        const output = captureOutput();
        const status = await main([first], output);
        expect(status).toBe(64);
        expect(output.stderr()).toMatch(/usage|unknown command/);
        expect(output.stdout() + output.stderr()).not.toContain(secret);
      }),
      { numRuns: fuzzRuns(60) },
    );
  });

  test('every subcommand refuses a misplaced secret (64) without repeating it', async () => {
    await fc.assert(
      fc.asyncProperty(
        secretArb,
        fc.constantFrom(['status'], ['doctor'], ['daemon'], ['migrate-from-super'], ['credentials'], ['credentials', 'heartbeat'], ['jamf-account'], ['jamf-account', 'rotate'], ['jamf-client'], ['jamf-client', 'rotate-secret']),
        fc.constantFrom('bare', 'as-value-of-unknown', 'after-equals'),
        async (secret, command, how) => {
          const misplaced = how === 'bare' ? [secret] : how === 'as-value-of-unknown' ? [`--password=${secret}`] : [`${secret}=x`];
          const output = captureOutput();
          const status = await main([...command, ...misplaced], output);
          expect(status).toBe(64);
          expect(output.stdout() + output.stderr()).not.toContain(secret.trim());
        },
      ),
      { numRuns: fuzzRuns(60) },
    );
  });

  test("the privileged commands' flags (secrets only on stdin): a secret misplaced on argv is refused without being echoed", () => {
    const allowed = [...VALUE_FLAGS, ...BOOLEAN_FLAGS];
    fc.assert(
      fc.property(
        secretArb,
        fc.constantFrom(...allowed),
        fc.constantFrom('next', 'secret-flag', 'bare', 'typo'),
        (secret, flag, how) => {
          const args =
            how === 'next' ? ['--privileged-client=abc', secret]
              : how === 'secret-flag' ? [`--privileged-secret=${secret}`]
                : how === 'bare' ? [`${flag}=${secret}`]
                  : [`--${flag}x=${secret}`];
          let message = '';
          try {
            parseFlags(args, allowed);
          } catch (error) {
            message = (error as Error).message;
          }
          expect(message).not.toBe('');
          expect(message).not.toContain(secret);
        },
      ),
      { numRuns: fuzzRuns(100) },
    );
  });
});

const SAVED = 'Library/Management/superd/com.github.superd.plist';
const SAVED_XML = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n<dict>\n\t<key>DeferralTimerDefault</key>\n\t<integer>30</integer>\n\t<key>VerboseMode</key>\n\t<true/>\n</dict>\n</plist>\n';

/** Whole-run invalid inputs: at least one argument a run must refuse, among hostile others. */
const invalidRunArgv: fc.Arbitrary<Argv> = fc
  .tuple(
    argvArb,
    fc.constantFrom(
      ['--deferral-timer-error=ten'], ['--no-such-option=1'], ['--verbose-mode=yes'], ['--deferral-timer-default'], ['stray'],
      ['--auth-jamf-custom-url=http://jamf.example.com'], ['--mdm-workflow=ſlow'], ['--auth-mdm-failover-to-user=ſoft'], ['--install-macos-bsi-updates'],
      ['--deadline-date-hard=2030-02-30'], ['--auth-jamf-computer-id=1\u00002'], ['--credential-heartbeat-interval=0'], ['--log-format='],
      ['--auth-jamf-client=abc'], ['--auth-delete-all', '--auth-jamf-account=a', '--auth-jamf-password=-'],
    ),
    fc.nat({ max: 8 }),
  )
  .map(([base, bad, at]) => {
    // A Jamf Pro policy's three positional arguments stay first.
    const prefix = base.argv[0] === '/' ? base.argv.slice(0, 3) : [];
    const rest = base.argv.slice(prefix.length);
    const cut = Math.min(at, rest.length);
    return { ...base, argv: [...prefix, ...rest.slice(0, cut), ...bad, ...rest.slice(cut)] };
  });

describe('whole superd run invocations (in-process fake Mac, Jamf Pro simulator)', () => {
  let w: RunWorld;
  beforeAll(async () => {
    w = await openRunWorld();
    mkdirSync(path.dirname(path.join(w.mac.root, SAVED)), { recursive: true });
    writeFileSync(path.join(w.mac.root, SAVED), SAVED_XML);
    await w.saveClient();
  }, fuzzTimeout(60_000));
  afterAll(() => w?.close());

  const writes = () => w.mac.invocations().filter((i) => i.command === '/usr/bin/security' && (i.argv[0] === '-i' || i.argv.some((a) => /^(add|delete)-generic-password$/.test(a)))).length;

  test('invalid options: exit 64 or 78 naming the option, nothing saved, no secret anywhere, never 70', async () => {
    await fc.assert(
      fc.asyncProperty(invalidRunArgv, async ({ argv, secrets, stdin }) => {
        const expected = await loadSettings(argv, w.mac.root);
        expect(expected.errors.length).toBeGreaterThan(0);
        // Each run's log is scanned on its own: a shrunk input reuses its secrets.
        rmSync(path.join(w.mac.root, 'Library/Management/superd/logs'), { recursive: true, force: true });
        const keychainBefore = JSON.stringify(w.mac.keychain());
        const writesBefore = writes();
        const r = await w.run(['run', ...argv], `${stdin}\n`);
        expect(r.status).not.toBe(70);
        expect(r.stderr).not.toMatch(/internal error/);
        expect([64, 78]).toContain(r.status);
        expect(r.stderr).toMatch(/nothing was saved/);
        for (const e of expected.errors) expect(r.stderr).toContain(e.subject);
        expect(r.status).toBe(expected.errors.some((e) => e.source === 'configuration') ? 78 : 64);
        expect(readFileSync(path.join(w.mac.root, SAVED), 'utf8')).toBe(SAVED_XML);
        expect(JSON.stringify(w.mac.keychain())).toBe(keychainBefore);
        expect(writes()).toBe(writesBefore);
        expect(findSecrets(secrets, w.mac.root, [r.stdout, r.stderr])).toEqual([]);
        expect(uncaught).toEqual([]);
      }),
      { numRuns: fuzzRuns(20) },
    );
  }, fuzzTimeout(300_000));

  /** Mostly valid argument lists, a hostile argument among them now and then, and sometimes a new credential with its secret on stdin. */
  const nearValidArgv: fc.Arbitrary<Argv> = fc
    .tuple(fc.array(nearValidArg, { maxLength: 6 }), fc.option(argArb, { freq: 3, nil: undefined }), fc.option(secretArb, { freq: 2, nil: undefined }), fc.boolean())
    .map(([args, hostile, secret, jamf]) => {
      const argv = [...args, ...(hostile?.args ?? []), ...(secret ? ['--auth-jamf-client=fuzz-client', '--auth-jamf-secret=-'] : [])];
      return {
        argv: jamf ? ['/', 'Fake Mac', 'someone', ...argv] : argv,
        secrets: [...(hostile?.secrets ?? []), ...(secret ? [secret] : [])],
        stdin: [...(hostile?.stdin ?? []), ...(secret ? [secret] : [])].join('\n'),
        given: [],
      };
    });

  test('near-valid and hostile options, valid or not: never exit 70; refused ones save nothing', async () => {
    await fc.assert(
      fc.asyncProperty(nearValidArgv, async ({ argv, secrets, stdin }) => {
        rmSync(path.join(w.mac.root, 'Library/Management/superd/logs'), { recursive: true, force: true });
        writeFileSync(path.join(w.mac.root, SAVED), SAVED_XML);
        const expected = await loadSettings(argv, w.mac.root);
        const keychainBefore = JSON.stringify(w.mac.keychain());
        const r = await w.run(['run', ...argv], `${stdin}\n`);
        expect({ status: r.status, stderr: r.stderr }).not.toMatchObject({ status: 70 });
        expect(r.stderr).not.toMatch(/internal error/);
        if (expected.errors.length > 0) {
          expect([64, 78]).toContain(r.status);
          expect(readFileSync(path.join(w.mac.root, SAVED), 'utf8')).toBe(SAVED_XML);
          expect(JSON.stringify(w.mac.keychain())).toBe(keychainBefore);
        }
        else {
          // What a valid run saved, the next run reads back without a complaint.
          const next = await loadSettings([], w.mac.root);
          expect(next.errors).toEqual([]);
        }
        expect(findSecrets(secrets, w.mac.root, [r.stdout, r.stderr])).toEqual([]);
        expect(uncaught).toEqual([]);
        // The saved client stays the one the world began with, whatever this run was given.
        await w.saveClient();
      }),
      { numRuns: fuzzRuns(12) },
    );
  }, fuzzTimeout(600_000));
});

