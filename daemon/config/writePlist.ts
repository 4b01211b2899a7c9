import type * as Crypto from 'node:crypto';
import type * as FsPromises from 'node:fs/promises';
import * as path from 'node:path';
import type { PlistDict } from './readPlist';

/**
 * Writes an XML property list (readable by `defaults` and `plutil`) atomically: a temporary file
 * beside it, then a rename, so a reader never sees half a file. The temporary name is unique per
 * write, so two writes in one process never share it.
 */
export async function writePlistAtomically(file: string, values: PlistDict): Promise<void> {
  const { build } = await import('plist');
  // node:crypto and node:fs/promises on demand: the idle daemon, which only reads plists, never loads them.
  const { randomBytes } = require('node:crypto') as typeof Crypto;
  const { mkdir, rename, writeFile } = require('node:fs/promises') as typeof FsPromises;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, build(values as Parameters<typeof build>[0]), { mode: 0o644 });
  await rename(temp, file);
}
