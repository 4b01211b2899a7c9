import { writeFileDurably } from '../host/safeFile';
import type { PlistDict } from './readPlist';

/**
 * Writes an XML property list (readable by `defaults` and `plutil`) atomically and durably: a
 * new temporary file beside it, fsynced, renamed over the target, the folder fsynced
 * (daemon/host/safeFile.ts). A reader never sees half a file, and a power loss leaves the old
 * file or the new one. Mode 0644: status and saved settings hold no secret, and extension
 * attributes and `superd status` read them.
 */
export async function writePlistAtomically(file: string, values: PlistDict): Promise<void> {
  const { build } = await import('plist');
  await writeFileDurably(file, build(values as Parameters<typeof build>[0]), 0o644);
}

/** Characters XML 1.0 cannot carry (xmlbuilder's assertLegalChar refuses them): controls, U+FFFE/U+FFFF, lone surrogates. */
const XML_ILLEGAL = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

/**
 * Whether an XML property list can hold `value` (its strings and keys, at any depth). A binary
 * plist can hold a string such as "a\u0001b" that the XML writer refuses; a value read from one
 * is dropped rather than left to fail the next write (issue 16).
 */
export function xmlCanCarry(value: unknown): boolean {
  if (typeof value === 'string') return !XML_ILLEGAL.test(value);
  if (Array.isArray(value)) return value.every(xmlCanCarry);
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return Object.entries(value).every(([k, v]) => xmlCanCarry(k) && xmlCanCarry(v));
  }
  return true;
}

/** Text an XML property list can hold: what XML 1.0 cannot carry becomes "?", at most `max` characters (a diagnosis, not data). */
export function xmlSafeText(text: string, max = 600): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const legal = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000;
    out += legal ? ch : '?';
  }
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}
