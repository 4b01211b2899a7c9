import { types } from 'node:util';
import { REDACTED } from './redacted';
import { redactText } from './redactText';
import type { SecretRegistry } from './secretRegistry';
import { isSensitiveKey } from './sensitiveKey';

/** Stands for an object that is already being walked further up: the output has no cycles. */
export const CIRCULAR = '[Circular]';
/** Stands for whatever lies deeper than {@link MAX_DEPTH}. */
export const TRUNCATED = '[Truncated]';
/** Stands for a value that could not be read (a throwing getter, a revoked proxy). */
export const UNREADABLE = '[Unreadable]';

const MAX_DEPTH = 32;

/**
 * Returns a copy of `value` with every secret removed; the input is never modified.
 *
 * - strings: registered secrets and secret-looking text ({@link redactText});
 * - plain objects, class instances (own enumerable fields), arrays, Maps and Sets: walked, and
 *   the value of every field whose name {@link isSensitiveKey} accepts becomes `[REDACTED]`
 *   whatever it holds (`null`, `undefined` and `''` are kept: they hide nothing);
 * - Errors: copied with the same prototype; `message`, `stack`, `cause` (and an
 *   AggregateError's `errors`) stay non-enumerable as on a real Error, own enumerable fields are
 *   walked, and `toJSON` returns all of them so JSON output keeps the message and stack;
 * - Buffers and Uint8Arrays: decoded as UTF-8 and redacted as text; other binary data is
 *   summarised; objects with `toJSON` (URL, ...) are redacted through it;
 * - numbers and bigints that spell a registered secret become `[REDACTED]`.
 *
 * Cycles become `[Circular]`, depth is capped, and it never throws: whatever cannot be read
 * becomes `[Unreadable]`, never the raw value.
 */
export function redact(value: unknown, registry?: SecretRegistry): unknown {
  try {
    return new Walker(registry).walk(value, 0);
  } catch {
    return UNREADABLE;
  }
}

class Walker {
  readonly #registry: SecretRegistry | undefined;
  /** Objects on the current path from the root; a shared (not circular) object is copied twice. */
  readonly #ancestors = new Set<object>();

  constructor(registry: SecretRegistry | undefined) {
    this.#registry = registry;
  }

  walk(value: unknown, depth: number): unknown {
    try {
      return this.#walk(value, depth);
    } catch {
      return UNREADABLE;
    }
  }

  #text(text: string): string {
    return redactText(text, this.#registry);
  }

  #walk(value: unknown, depth: number): unknown {
    switch (typeof value) {
      case 'string':
        return this.#text(value);
      case 'number':
      case 'bigint': {
        const spelled = String(value);
        return this.#text(spelled) === spelled ? value : REDACTED;
      }
      case 'boolean':
      case 'undefined':
        return value;
      case 'symbol':
        return this.#text(value.toString());
      case 'function':
        return value.name ? `[Function: ${this.#text(value.name)}]` : '[Function]';
    }
    if (value === null) return null;
    const object = value as object;
    if (this.#ancestors.has(object)) return CIRCULAR;
    if (depth >= MAX_DEPTH) return TRUNCATED;
    this.#ancestors.add(object);
    try {
      return this.#object(object, depth + 1);
    } finally {
      this.#ancestors.delete(object);
    }
  }

  #object(object: object, depth: number): unknown {
    if (Array.isArray(object)) {
      const copy: unknown[] = [];
      for (let i = 0; i < object.length; i++) copy.push(this.walk(read(object, i), depth));
      return copy;
    }
    if (types.isNativeError(object) || object instanceof Error) return this.#error(object as Error, depth);
    if (types.isMap(object)) {
      const copy = new Map<unknown, unknown>();
      for (const [key, entry] of object) copy.set(this.walk(key, depth), this.#field(key, entry, depth));
      return copy;
    }
    if (types.isSet(object)) {
      const copy = new Set<unknown>();
      for (const entry of object) copy.add(this.walk(entry, depth));
      return copy;
    }
    if (types.isDate(object)) return new Date(object.getTime());
    if (types.isRegExp(object)) return this.#text(String(object));
    if (types.isBoxedPrimitive(object)) return this.walk(object.valueOf(), depth);
    if (object instanceof Uint8Array) {
      return this.#text(Buffer.from(object.buffer, object.byteOffset, object.byteLength).toString('utf8'));
    }
    if (ArrayBuffer.isView(object) || types.isAnyArrayBuffer(object)) {
      return `[${object.constructor?.name ?? 'binary'}: ${object.byteLength} bytes]`;
    }
    const prototype: unknown = Object.getPrototypeOf(object);
    const toJSON = prototype !== null && prototype !== Object.prototype ? read(object, 'toJSON') : undefined;
    if (typeof toJSON === 'function') return this.walk(toJSON.call(object), depth);
    return this.#fields(object, depth, {});
  }

  /** Copies the own enumerable fields of `source` onto `target`, redacted. */
  #fields<T extends object>(source: object, depth: number, target: T): T {
    for (const key of Object.keys(source)) {
      define(target, this.#text(key), this.#field(key, read(source, key), depth), true);
    }
    return target;
  }

  #field(key: unknown, value: unknown, depth: number): unknown {
    if (typeof key === 'string' && isSensitiveKey(key) && value !== null && value !== undefined && value !== '') {
      return REDACTED;
    }
    return this.walk(value, depth);
  }

  #error(error: Error, depth: number): Error {
    const copy = createLike(error);
    const name = read(error, 'name');
    define(copy, 'name', typeof name === 'string' ? this.#text(name) : 'Error', false);
    define(copy, 'message', this.#text(String(read(error, 'message') ?? '')), false);
    const stack = read(error, 'stack');
    if (typeof stack === 'string') define(copy, 'stack', this.#text(stack), false);
    else delete copy.stack;
    if ('cause' in error) define(copy, 'cause', this.walk(read(error, 'cause'), depth), false);
    const errors = read(error, 'errors');
    if (Array.isArray(errors)) define(copy, 'errors', this.walk(errors, depth), false);
    this.#fields(error, depth, copy);
    // JSON.stringify(error) is `{}` for a real Error; this copy serialises everything it kept.
    define(copy, 'toJSON', errorToJSON, false);
    return copy;
  }
}

function errorToJSON(this: Error): Record<string, unknown> {
  const json: Record<string, unknown> = { name: this.name, message: this.message };
  for (const key of ['stack', 'cause', 'errors'] as const) {
    if (Object.prototype.hasOwnProperty.call(this, key)) json[key] = (this as unknown as Record<string, unknown>)[key];
  }
  return Object.assign(json, this);
}

/**
 * A real Error (so `util.types.isNativeError` and util.inspect treat it as one) with the
 * original's prototype (so `instanceof` and the class name survive). Its captured stack is
 * replaced by the redacted original.
 */
function createLike(error: Error): Error {
  const copy = new Error('');
  try {
    const prototype: unknown = Object.getPrototypeOf(error);
    if (typeof prototype === 'object' && prototype !== null) Object.setPrototypeOf(copy, prototype);
  } catch {
    // a proxy whose getPrototypeOf throws: keep Error.prototype
  }
  return copy;
}

/** Defines an own data property; safe for keys such as `__proto__`. */
function define(target: object, key: string, value: unknown, enumerable: boolean): void {
  Object.defineProperty(target, key, { value, enumerable, writable: true, configurable: true });
}

function read(source: object, key: PropertyKey): unknown {
  try {
    return (source as Record<PropertyKey, unknown>)[key];
  } catch {
    return UNREADABLE;
  }
}
