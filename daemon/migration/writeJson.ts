import { writeFileDurably } from '../host/safeFile';

/** Writes a JSON file atomically and durably (daemon/host/safeFile.ts: fsync, rename, folder fsync), mode 0644. */
export async function writeJsonAtomically(file: string, value: unknown): Promise<void> {
  await writeFileDurably(file, `${JSON.stringify(value, null, 2)}\n`, 0o644);
}
