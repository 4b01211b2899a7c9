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
