import fc from 'fast-check';
import { redact, REDACTED, SecretRegistry } from '../../daemon/log';
import { encodedForms } from '../../daemon/log/secretRegistry';
import { toJson } from '../../daemon/log/lineFormat';

/** Text that redact itself may add; a secret inside one of these would be a false alarm. */
const ADDED_TEXT = `${REDACTED}${REDACTED} [Circular] [Truncated] [Unreadable] [Function]`;
/** What JSON output adds around the content: punctuation, and the field names of an Error. */
const JSON_SYNTAX = /[{}[\]":,\\]/;
const ERROR_JSON_KEYS = 'name message stack cause errors';

/** Whether finding `form` in the JSON text of the output can only mean it came from the input. */
function checkableInJson(form: string): boolean {
  return !JSON_SYNTAX.test(form) && !ERROR_JSON_KEYS.includes(form);
}

const secretArb = fc
  .oneof(fc.string({ minLength: 4, maxLength: 24 }), fc.string({ minLength: 4, maxLength: 24, unit: 'grapheme' }))
  .filter((secret) => !ADDED_TEXT.includes(secret));

/** Random text with the secret (or one of its encoded forms) somewhere inside, sometimes. */
function textArb(secret: string): fc.Arbitrary<string> {
  const forms = encodedForms(secret);
  return fc.oneof(
    { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
    { arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...forms), fc.string({ maxLength: 8 })).map(([a, s, b]) => a + s + b), weight: 3 },
    { arbitrary: fc.constantFrom(...forms).map((form) => `${form}${form}`), weight: 1 },
  );
}

/** Nested strings, arrays, objects (with the secret in keys too), Maps, Sets and Errors. */
function structureArb(secret: string): fc.Arbitrary<unknown> {
  const text = textArb(secret);
  const { node } = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text,
      fc.integer(),
      fc.constantFrom(null, undefined, true),
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(text, tie('node'), { maxKeys: 4 }),
      fc.array(fc.tuple(text, tie('node')), { maxLength: 3 }).map((entries) => new Map(entries)),
      fc.array(tie('node'), { maxLength: 3 }).map((items) => new Set(items)),
      fc.tuple(text, tie('node'), tie('node')).map(([message, cause, detail]) => Object.assign(new Error(message, { cause }), { detail })),
      text.map((t) => Buffer.from(t)),
    ),
  }));
  return node;
}

/** Every string a reader could see in the output: values, keys, Map keys, Error internals. */
function visibleStrings(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null || seen.has(value)) return [];
  seen.add(value);
  const out: string[] = [];
  if (value instanceof Map) {
    for (const [k, v] of value) out.push(...visibleStrings(k, seen), ...visibleStrings(v, seen));
  } else if (value instanceof Set) {
    for (const v of value) out.push(...visibleStrings(v, seen));
  } else {
    if (value instanceof Error) {
      out.push(value.name, value.message, value.stack ?? '', ...visibleStrings(value.cause, seen));
    }
    for (const [k, v] of Object.entries(value)) out.push(k, ...visibleStrings(v, seen));
  }
  return out;
}

/** Ties some objects of a structure back to their ancestors. */
function addCycles(root: unknown, picks: number[]): void {
  const objects: Array<Record<string, unknown> | unknown[]> = [];
  const collect = (value: unknown, depth: number) => {
    if (typeof value !== 'object' || value === null || depth > 6 || value instanceof Map || value instanceof Set || Buffer.isBuffer(value)) return;
    objects.push(value as Record<string, unknown>);
    for (const child of Object.values(value)) collect(child, depth + 1);
  };
  collect(root, 0);
  picks.forEach((pick, i) => {
    const target = objects[pick % Math.max(objects.length, 1)];
    const ancestor = objects[Math.floor(pick / 7) % Math.max(objects.length, 1)];
    if (!target || !ancestor) return;
    if (Array.isArray(target)) target.push(ancestor);
    else target[`cycle${i}`] = ancestor;
  });
}

describe('redact, on random structures', () => {
  test('a registered secret never survives, in any registered form, and redact never throws', () => {
    let inputsWithTheSecret = 0;
    fc.assert(
      fc.property(
        secretArb.chain((secret) => fc.tuple(fc.constant(secret), structureArb(secret), fc.array(fc.nat(), { maxLength: 4 }))),
        ([secret, structure, picks]) => {
          addCycles(structure, picks);
          if (visibleStrings(structure).some((text) => encodedForms(secret).some((form) => text.includes(form)))) inputsWithTheSecret++;
          const registry = new SecretRegistry();
          registry.registerSecret(secret);
          const output = redact(structure, registry);
          const json = toJson(output);
          for (const form of encodedForms(secret)) {
            if (form.length < 4 || ADDED_TEXT.includes(form)) continue;
            for (const text of visibleStrings(output)) expect(text).not.toContain(form);
            if (checkableInJson(form)) expect(json).not.toContain(form);
          }
        },
      ),
      { numRuns: 400 },
    );
    // The property is not vacuous: many inputs did carry the secret.
    expect(inputsWithTheSecret).toBeGreaterThan(100);
  });

  test('the input is never modified', () => {
    fc.assert(
      fc.property(secretArb.chain((secret) => fc.tuple(fc.constant(secret), fc.jsonValue(), structureArb(secret))), ([secret, json, structure]) => {
        const registry = new SecretRegistry();
        registry.registerSecret(secret);
        const input = { json, structure };
        const before = toJson(input);
        redact(input, registry);
        expect(toJson(input)).toBe(before);
      }),
      { numRuns: 200 },
    );
  });

  test('anything at all, cycles and hostile objects included, is redacted without throwing', () => {
    const hostile = fc.constantFrom<() => unknown>(
      () => Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new Error('getter'); } }),
      () => {
        const { proxy, revoke } = Proxy.revocable({}, {});
        revoke();
        return proxy;
      },
      () => new Proxy({}, { ownKeys: () => { throw new Error('ownKeys'); } }),
      () => new Proxy(new Error('proxied'), { getPrototypeOf: () => { throw new Error('proto'); } }),
      () => Object.create(null) as object,
      () => ({ toJSON: () => { throw new Error('toJSON'); } }),
      () => Object.assign(Object.create({ toJSON() { throw new Error('inherited toJSON'); } }) as object, { a: 1 }),
      () => {
        const error = new Error('self-caused');
        (error as Error & { cause: unknown }).cause = error;
        return error;
      },
      () => {
        const error = new Error('bad stack');
        Object.defineProperty(error, 'stack', { get: () => { throw new Error('stack'); } });
        return error;
      },
      () => new AggregateError([new Error('one'), 'two'], 'many'),
      () => ({ __proto__: 'x', constructor: null, [Symbol('hidden')]: 1 }),
      () => new Uint16Array([1, 2, 3]),
      () => new URL('https://admin:hunter2@jamf.example.com/?token=abc123'),
      () => 10n ** 30n,
      () => Symbol('sym'),
      () => function named() {},
    );
    fc.assert(
      fc.property(fc.anything({ withMap: true, withSet: true, withBigInt: true, withDate: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true, withNullPrototype: true }), fc.array(hostile, { maxLength: 3 }), fc.array(fc.nat(), { maxLength: 3 }), (value, makers, picks) => {
        const root: Record<string, unknown> = { value };
        addCycles(root, picks);
        root.hostile = makers.map((make) => make());
        const registry = new SecretRegistry();
        registry.registerSecret('hunter2');
        let output: unknown;
        expect(() => {
          output = redact(root, registry);
        }).not.toThrow();
        expect(() => toJson(output)).not.toThrow();
        expect(toJson(output)).not.toContain('hunter2');
      }),
      { numRuns: 300 },
    );
  });
});
