import { readFile as readFileCallback } from 'node:fs';
import { ConfigError } from '../errors';
import { findPlistFault } from './plistFault';

export type PlistDict = Record<string, unknown>;

/**
 * Reads an XML or binary property list whose root must be a dictionary. Returns null when
 * the file does not exist. A malformed file is a configuration error that names the file and,
 * for XML, the line and column of the first fault.
 */
/** node:fs's callback readFile: node:fs/promises would add about 1.5 MB to the idle daemon, which reads settings at start. */
function readFile(file: string): Promise<Buffer> {
  return new Promise((resolve, reject) => readFileCallback(file, (error, bytes) => (error ? reject(error) : resolve(bytes))));
}

export async function readPlistDict(file: string): Promise<PlistDict | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError([{ subject: file, message: `cannot be read: ${(error as Error).message}` }], 'configuration');
  }
  return parsePlistDict(bytes, file);
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
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date || value instanceof Uint8Array) {
    throw fail('is a property list whose root is not a dictionary');
  }
  return value as PlistDict;
}
