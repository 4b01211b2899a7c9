/**
 * Building blocks of the settings schema: each key is declared once with its managed
 * (profile) key, command-line option, type, default, range and description.
 */

/**
 * A parsed value. `note` is set when the value was accepted in a form superd rewrote (a timer
 * clamped into range, a date-only deadline read as midnight): the caller reports it as a warning.
 */
export type Parsed<T> = { ok: true; value: T; note?: string } | { ok: false; expected: string };

/** Where a key appears in the Jamf Pro schema, the help and docs/super-keys.md. */
export type KeyGroup = 'Jamf Pro and authentication' | 'macOS target' | 'Workflow' | 'Deadlines' | 'Deferrals and timeouts' | 'MDM update' | 'Logging';
export const KEY_GROUPS: readonly KeyGroup[] = ['Workflow', 'macOS target', 'Deadlines', 'Deferrals and timeouts', 'Jamf Pro and authentication', 'MDM update', 'Logging'];

export interface KeyDef<T> {
  /** Managed preference key and saved-settings key, as in super (`DeferralTimerError`). */
  readonly key: string;
  /** Command-line option without dashes (`deferral-timer-error`). */
  readonly option: string;
  readonly kind: 'boolean' | 'integer' | 'string' | 'enum' | 'list';
  /** A short title in words, for Jamf Pro's form ("Error deferral timer"). */
  readonly title: string;
  readonly group: KeyGroup;
  readonly description: string;
  /** Default when no source sets the key; `undefined` means "unset". */
  readonly default: T | undefined;
  /** Inclusive range for integers. */
  readonly range?: readonly [number, number];
  /** Integers only: out-of-range values are clamped with a warning (as super does) instead of refused. */
  readonly clamp?: boolean;
  readonly unit?: string;
  /** Allowed values for enums and lists. */
  readonly values?: readonly string[];
  /** Strings: the JSON-schema pattern of the canonical forms (the Jamf Pro schema uses it). */
  readonly pattern?: string;
  /** An example value (Jamf Pro placeholder, example profile). */
  readonly example?: string | number;
  /** The form users must write, quoted in every error ("an integer from 2 to 10080"). */
  readonly expected: string;
  /** Turns a raw value (plist value or option string) into the typed value. Pure. */
  readonly parse: (raw: unknown) => Parsed<T>;
}

/**
 * Case folding of ASCII letters only. String.prototype.toUpperCase folds some other letters onto
 * ASCII (`ſ` → `S`, `ı` → `I`), which would accept `ſoft` for SOFT: a form the Jamf Pro
 * schema's pattern refuses, and a look-alike an admin cannot tell from the real word.
 */
export const asciiUpper = (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase());
export const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

const ok = <T>(value: T, note?: string): Parsed<T> => (note === undefined ? { ok: true, value } : { ok: true, value, note });
const bad = <T>(expected: string): Parsed<T> => ({ ok: false, expected });

type Common = { key: string; option: string; title: string; group: KeyGroup; description: string; example?: string | number };

export function booleanKey(def: Common & { default: boolean }): KeyDef<boolean> {
  const expected = `a boolean (<true/> or <false/> in a profile; --${def.option} or --${def.option}-off as an option)`;
  return {
    ...def,
    kind: 'boolean',
    expected,
    parse: (raw) => {
      if (typeof raw === 'boolean') return ok(raw);
      // super reads managed booleans through `defaults read`, which prints 1/0; string forms are normalised too.
      if (typeof raw === 'number' && (raw === 0 || raw === 1)) return ok(raw === 1);
      if (typeof raw === 'string' && /^(true|yes|1)$/i.test(raw.trim())) return ok(true);
      if (typeof raw === 'string' && /^(false|no|0)$/i.test(raw.trim())) return ok(false);
      return bad(expected);
    },
  };
}

/**
 * A whole number. super writes numbers as strings ("60") and accepts only digits
 * (`REGEX_ANY_WHOLE_NUMBER="^[0-9]+$"`, super L681). With `clamp`, a whole number out of range
 * is rounded into it with a warning, as super does for its timers ("is too low, rounding up to 2
 * minutes", super L1680–L1686, L1755–L1761, L2275–L2281); otherwise it is refused.
 */
export function integerKey(def: Common & { default: number | undefined; range: readonly [number, number]; unit: string; clamp?: boolean }): KeyDef<number> {
  const [min, max] = def.range;
  const expected = `a whole number of ${def.unit} from ${min} to ${max}`;
  return {
    ...def,
    kind: 'integer',
    expected,
    parse: (raw) => {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(n) || n < 0) return bad(expected);
      if (n >= min && n <= max) return ok(n);
      if (!def.clamp) return bad(expected);
      const clamped = n < min ? min : max;
      return ok(clamped, `is ${n} ${def.unit}, ${n < min ? 'below the minimum' : 'above the maximum'}: superd uses ${clamped} ${def.unit}, as super rounds it (${expected})`);
    },
  };
}

/** `check` returns the normalised value, optionally with a note, or null when the value is refused. */
export type StringCheck = (s: string) => string | { value: string; note: string } | null;

export function stringKey(def: Common & { default?: string; expected: string; pattern: string; check: StringCheck }): KeyDef<string> {
  return {
    key: def.key,
    option: def.option,
    title: def.title,
    group: def.group,
    description: def.description,
    example: def.example,
    default: def.default,
    pattern: def.pattern,
    kind: 'string',
    expected: def.expected,
    parse: (raw) => {
      if (typeof raw !== 'string' && typeof raw !== 'number') return bad(def.expected);
      const checked = def.check(String(raw).trim());
      if (checked === null) return bad(def.expected);
      return typeof checked === 'string' ? ok(checked) : ok(checked.value, checked.note);
    },
  };
}

export function enumKey<V extends string>(def: Common & { values: readonly V[]; default: V }): KeyDef<V> {
  const expected = `one of ${def.values.join(', ')}`;
  return {
    ...def,
    kind: 'enum',
    expected,
    parse: (raw) => {
      const v = typeof raw === 'string' ? asciiLower(raw.trim()) : '';
      return (def.values as readonly string[]).includes(v) ? ok(v as V) : bad(expected);
    },
  };
}

/**
 * A comma-separated list of upper-case types, with aliases expanded (super's failover types).
 * `ignored` values are accepted and dropped with a note (super accepts them but acts on none).
 */
export function listKey<V extends string>(
  def: Common & { values: readonly V[]; aliases: Readonly<Record<string, readonly V[]>>; ignored: Readonly<Record<string, string>> },
): KeyDef<readonly V[]> {
  const names = [...def.values, ...Object.keys(def.aliases), ...Object.keys(def.ignored)];
  const expected = `a comma-separated list of ${names.join(', ')}`;
  return {
    key: def.key,
    option: def.option,
    title: def.title,
    group: def.group,
    description: def.description,
    example: def.example,
    default: undefined,
    values: names,
    pattern: `^(X|(${names.join('|')})(,(${names.join('|')}))*)$`,
    kind: 'list',
    expected,
    parse: (raw) => {
      if (typeof raw !== 'string' || raw.trim() === '') return bad(expected);
      const out = new Set<V>();
      const dropped: string[] = [];
      for (const part of raw.split(',')) {
        const t = asciiUpper(part.trim());
        const alias = def.aliases[t];
        if (alias) alias.forEach((v) => out.add(v));
        else if ((def.values as readonly string[]).includes(t)) out.add(t as V);
        else if (Object.hasOwn(def.ignored, t)) dropped.push(`${t} (${def.ignored[t]})`);
        else return bad(`${expected} (got "${part.trim()}")`);
      }
      return dropped.length > 0 ? ok([...out], `lists ${dropped.join(', ')}: superd ignores ${dropped.length === 1 ? 'it' : 'them'}`) : ok([...out]);
    },
  };
}
