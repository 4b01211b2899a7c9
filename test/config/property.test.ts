import fc from 'fast-check';
import { parseOptions } from '../../daemon/config/parseOptions';
import { parsePlistDict } from '../../daemon/config/readPlist';
import { validate } from '../../daemon/config/validate';
import { ConfigError } from '../../daemon/errors';
import { keyByOption } from '../../daemon/config/schema';

const optionNames = [...keyByOption.keys(), 'auth-jamf-client', 'auth-jamf-secret', 'auth-delete-all', 'bogus'];
const optionArg = fc.oneof(
  fc.string(),
  fc.tuple(fc.constantFrom(...optionNames), fc.string()).map(([n, v]) => `--${n}=${v}`),
  fc.constantFrom(...optionNames).map((n) => `--${n}`),
  fc.constantFrom(...optionNames).map((n) => `--${n}-off`),
  fc.constant('/'),
  fc.constant('X'),
);

describe('never a crash: always a clear error or valid settings', () => {
  test('random option arrays', () => {
    fc.assert(
      fc.property(fc.array(optionArg, { maxLength: 12 }), (argv) => {
        const parsed = parseOptions(argv);
        const result = validate({ managed: null, options: parsed.options, saved: null });
        for (const issue of [...parsed.errors, ...result.errors]) {
          expect(issue.subject.length).toBeGreaterThan(0);
          expect(issue.message.length).toBeGreaterThan(5);
        }
        if (parsed.errors.length === 0 && result.errors.length === 0) {
          expect(result.settings.DeferralTimerDefault).toBeGreaterThanOrEqual(2);
          expect(result.settings.DeferralTimerError).toBeGreaterThanOrEqual(2);
        }
      }),
      { numRuns: 500 },
    );
  });

  const managedBytes = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }).map((b) => new Uint8Array([...Buffer.from('bplist00'), ...b])),
    fc.string({ maxLength: 200 }).map((s) => new Uint8Array(Buffer.from(`<?xml version="1.0"?><plist version="1.0"><dict>${s}</dict></plist>`))),
  );

  test('random bytes as a managed plist', async () => {
    await fc.assert(
      fc.asyncProperty(managedBytes, async (bytes) => {
        let values: Record<string, unknown>;
        try {
          values = await parsePlistDict(bytes, '/Library/Managed Preferences/com.github.superd.plist');
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as ConfigError).message).toContain('com.github.superd.plist');
          return;
        }
        const result = validate({ managed: { file: 'm.plist', domain: 'com.github.superd', values }, options: {}, saved: null });
        expect(Array.isArray(result.errors)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
