/**
 * Building blocks of the settings schema: each key is declared once with its managed
 * (profile) key, command-line option, type, default, range and description.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string };

export interface KeyDef<T> {
  /** Managed preference key and saved-settings key, as in super (`DeferralTimerError`). */
  readonly key: string;
  /** Command-line option without dashes (`deferral-timer-error`). */
  readonly option: string;
  readonly kind: 'boolean' | 'integer' | 'string' | 'enum' | 'list';
  readonly description: string;
  /** Default when no source sets the key; `undefined` means "unset". */
  readonly default: T | undefined;
  /** Inclusive range for integers. */
  readonly range?: readonly [number, number];
  /** Allowed values for enums and lists. */
  readonly values?: readonly string[];
  /** The form users must write, quoted in every error ("an integer from 2 to 10080"). */
  readonly expected: string;
  /** Turns a raw value (plist value or option string) into the typed value. Pure. */
  readonly parse: (raw: unknown) => Parsed<T>;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(expected: string): Parsed<T> => ({ ok: false, expected });

type Common = { key: string; option: string; description: string };

export function booleanKey(def: Common & { default: boolean }): KeyDef<boolean> {
  const expected = `a boolean (<true/> or <false/> in a profile; --${def.option} or --${def.option}-off as an option)`;
  return {
    ...def,
    kind: 'boolean',
    expected,
    parse: (raw) => {
      if (typeof raw === 'boolean') return ok(raw);
      // super normalises managed booleans written as strings (TRUE/FALSE, 1/0).
      if (typeof raw === 'string' && /^(true|yes|1)$/i.test(raw.trim())) return ok(true);
      if (typeof raw === 'string' && /^(false|no|0)$/i.test(raw.trim())) return ok(false);
      return bad(expected);
    },
  };
}

export function integerKey(def: Common & { default: number | undefined; range: readonly [number, number]; unit: string }): KeyDef<number> {
  const [min, max] = def.range;
  const expected = `a whole number of ${def.unit} from ${min} to ${max}`;
  return {
    key: def.key,
    option: def.option,
    description: def.description,
    default: def.default,
    range: def.range,
    kind: 'integer',
    expected,
    parse: (raw) => {
      // super's profiles write numbers as strings ("60"); accept both.
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
      return Number.isInteger(n) && n >= min && n <= max ? ok(n) : bad(expected);
    },
  };
}

export function stringKey(def: Common & { default?: string; expected: string; check: (s: string) => string | null }): KeyDef<string> {
  return {
    key: def.key,
    option: def.option,
    description: def.description,
    default: def.default,
    kind: 'string',
    expected: def.expected,
    parse: (raw) => {
      if (typeof raw !== 'string' && typeof raw !== 'number') return bad(def.expected);
      const normalised = def.check(String(raw).trim());
      return normalised === null ? bad(def.expected) : ok(normalised);
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
      const v = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      return (def.values as readonly string[]).includes(v) ? ok(v as V) : bad(expected);
    },
  };
}

/** A comma-separated list of upper-case types, with aliases expanded (super's failover types). */
export function listKey<V extends string>(
  def: Common & { values: readonly V[]; aliases: Readonly<Record<string, readonly V[]>> },
): KeyDef<readonly V[]> {
  const names = [...def.values, ...Object.keys(def.aliases)];
  const expected = `a comma-separated list of ${names.join(', ')}`;
  return {
    key: def.key,
    option: def.option,
    description: def.description,
    default: undefined,
    values: def.values,
    kind: 'list',
    expected,
    parse: (raw) => {
      if (typeof raw !== 'string' || raw.trim() === '') return bad(expected);
      const out = new Set<V>();
      for (const part of raw.split(',')) {
        const t = part.trim().toUpperCase();
        const alias = def.aliases[t];
        if (alias) alias.forEach((v) => out.add(v));
        else if ((def.values as readonly string[]).includes(t)) out.add(t as V);
        else return bad(`${expected} (got "${part.trim()}")`);
      }
      return ok([...out]);
    },
  };
}
