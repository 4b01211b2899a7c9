import { CommandError } from '../errors';
import type { RunCommand } from './runCommand';

const DISKUTIL = '/usr/sbin/diskutil';

/**
 * GeneratedUIDs of the volume owners of the boot volume (`diskutil apfs listcryptousers /`):
 * on Apple silicon, only a volume owner (a user with a secure token) can authorise an update.
 */
export async function volumeOwners(run: RunCommand, signal?: AbortSignal): Promise<Set<string>> {
  const r = await run(DISKUTIL, ['apfs', 'listcryptousers', '/'], { timeoutMs: 30_000, signal });
  if (r.exitCode !== 0) throw new CommandError(DISKUTIL, r.exitCode, r.stderr);
  return parseVolumeOwners(r.stdout);
}

export function parseVolumeOwners(text: string): Set<string> {
  const owners = new Set<string>();
  for (const block of text.split(/\+--\s+/).slice(1)) {
    const uuid = /^([0-9A-F-]{36})/i.exec(block)?.[1];
    if (uuid && /Volume Owner:\s*Yes/i.test(block)) owners.add(uuid.toUpperCase());
  }
  return owners;
}
