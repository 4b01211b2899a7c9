import fc from 'fast-check';
import { CHARACTER_SETS, checkRules, DEFAULT_RULES, generatePassword, type CharacterSet, type PasswordRules } from '../../daemon/credentials/passwordGenerator';

const SETS = Object.keys(CHARACTER_SETS) as CharacterSet[];
const rulesArb = fc
  .record({
    length: fc.integer({ min: 10, max: 64 }),
    sets: fc.subarray(SETS, { minLength: 1 }),
    minPerSet: fc.integer({ min: 0, max: 3 }),
    exclude: fc.string({ unit: fc.constantFrom(...[...Object.values(CHARACTER_SETS).join('')]), maxLength: 12 }),
  })
  .filter((r) => checkRules(r) === null);

test('property: every password meets its rules, and excluded characters never appear', () => {
  fc.assert(
    fc.property(rulesArb, (rules: PasswordRules) => {
      const pw = generatePassword(rules);
      expect(pw).toHaveLength(rules.length);
      for (const c of rules.exclude) expect(pw).not.toContain(c);
      const allowed = rules.sets.map((s) => CHARACTER_SETS[s]).join('');
      for (const c of pw) expect(allowed).toContain(c);
      for (const s of rules.sets) expect([...pw].filter((c) => CHARACTER_SETS[s].includes(c)).length).toBeGreaterThanOrEqual(rules.minPerSet);
    }),
    { numRuns: 300 },
  );
});

test('defaults: 24 characters with upper, lower, digit and symbol', () => {
  const pw = generatePassword();
  expect(pw).toHaveLength(24);
  for (const s of DEFAULT_RULES.sets) expect([...pw].some((c) => CHARACTER_SETS[s].includes(c))).toBe(true);
});

test.each<[Partial<PasswordRules>, RegExp]>([
  [{ length: 9 }, /at least 10 \(Jamf Pro's minimum\)/],
  [{ sets: [] }, /at least one character set/],
  [{ length: 10, minPerSet: 3 }, /do not fit in 10/],
  [{ sets: ['digit'], exclude: '0123456789' }, /every digit character is excluded/],
])('rules that cannot work are refused: %j', (change, why) => {
  expect(() => generatePassword({ ...DEFAULT_RULES, ...change })).toThrow(why);
});
