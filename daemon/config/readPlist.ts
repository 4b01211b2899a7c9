import { ConfigError } from '../errors';
import { MAX_PLIST_BYTES, readRegularFile } from '../host/safeFile';
import { findPlistFault } from './plistFault';

export type PlistDict = Record<string, unknown>;

/**
 * Reads an XML or binary property list whose root must be a dictionary. Returns null when
 * the file does not exist. A malformed file is a configuration error that names the file and,
 * for XML, the line and column of the first fault. Only a regular file of at most
 * MAX_PLIST_BYTES is read, never through a symbolic link (UnsafeFileError otherwise): a profile
 * replaced by a link to /dev/zero, or a 50 MB one, is refused at once rather than read for
 * minutes (issue 16).
 */
export async function readPlistDict(file: string): Promise<PlistDict | null> {
  const read = await readRegularFile(file, MAX_PLIST_BYTES);
  return read === null ? null : parsePlistDict(read.bytes, file);
}

export async function parsePlistDict(bytes: Uint8Array, file: string): Promise<PlistDict> {
  const fail = (message: string) => new ConfigError([{ subject: file, message }], 'configuration');
  const isBinary = Buffer.from(bytes.subarray(0, 6)).toString('latin1') === 'bplist';
  if (!isBinary) {
    const text = Buffer.from(bytes).toString('utf8');
    // Locate structural faults ourselves first: plist's XML parser gives no position.
    const fault = findPlistFault(text);
    if (fault) throw fail(`is not a valid property list: line ${fault.line}, column ${fault.column}: ${fault.message}`);
  }
  const { parse } = await import('plist');
  let value: unknown;
  try {
    value = isBinary ? parse(new Uint8Array(bytes)) : parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw fail(`is not a valid ${isBinary ? 'binary' : 'XML'} property list: ${(error as Error).message}`);
  }
  // plist's binary reader assigns keys as plain properties, so a `__proto__` key replaces the
  // dictionary's prototype (a fuzz finding): refused as a malformed file, as its XML reader does.
  if (value !== null && typeof value === 'object' && isBinary && ![Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    throw fail('is not a valid binary property list: it has a key named __proto__');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date || value instanceof Uint8Array) {
    throw fail('is a property list whose root is not a dictionary');
  }
  return value as PlistDict;
}
