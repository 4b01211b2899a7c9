import { randomInt } from 'node:crypto';
import { InternalError } from '../errors';

export const CHARACTER_SETS = {
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  digit: '0123456789',
  symbol: '!#$%&()*+,-./:;<=>?@[]^_{|}~',
} as const;
export type CharacterSet = keyof typeof CHARACTER_SETS;

export interface PasswordRules {
  readonly length: number;
  /** The sets every password draws from; each appears at least `minPerSet` times. */
  readonly sets: readonly CharacterSet[];
  readonly minPerSet: number;
  /** Characters never used (e.g. ones a downstream tool mangles). */
  readonly exclude: string;
}

/** Jamf Pro's minimum password length (reference §7.5). */
export const JAMF_MINIMUM_LENGTH = 10;
export const DEFAULT_RULES: PasswordRules = { length: 24, sets: ['upper', 'lower', 'digit', 'symbol'], minPerSet: 1, exclude: '' };

/** Rules that cannot produce a valid password are refused with the reason. */
export function checkRules(rules: PasswordRules): string | null {
  if (!Number.isInteger(rules.length) || rules.length < JAMF_MINIMUM_LENGTH) return `the length must be a whole number of at least ${JAMF_MINIMUM_LENGTH} (Jamf Pro's minimum)`;
  if (rules.length > 256) return 'the length must be at most 256';
  if (rules.sets.length === 0) return 'at least one character set is needed';
  if (!Number.isInteger(rules.minPerSet) || rules.minPerSet < 0) return 'the minimum per set must be a whole number of at least 0';
  if (rules.minPerSet * rules.sets.length > rules.length) return `${rules.sets.length} sets × ${rules.minPerSet} each do not fit in ${rules.length} characters`;
  for (const set of rules.sets) if (alphabet(set, rules.exclude).length === 0) return `every ${set} character is excluded`;
  return null;
}

function alphabet(set: CharacterSet, exclude: string): string {
  return [...CHARACTER_SETS[set]].filter((c) => !exclude.includes(c)).join('');
}

/**
 * A random password that meets the rules: `minPerSet` characters from each set, the rest from
 * all of them, shuffled. `pick(n)` returns a uniform integer in [0, n) (crypto by default).
 */
export function generatePassword(rules: PasswordRules = DEFAULT_RULES, pick: (n: number) => number = (n) => randomInt(n)): string {
  const problem = checkRules(rules);
  if (problem) throw new InternalError(`password rules: ${problem} (the command line checks them first)`);
  const alphabets = rules.sets.map((s) => alphabet(s, rules.exclude));
  const all = alphabets.join('');
  const chars: string[] = [];
  for (const a of alphabets) for (let i = 0; i < rules.minPerSet; i++) chars.push(a[pick(a.length)]!);
  while (chars.length < rules.length) chars.push(all[pick(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
