import { checkLocalPassword } from '../host/dscl';
import { generatedUid } from '../host/dscl';
import { volumeOwners } from '../host/diskutil';
import { isAdmin } from '../host/dseditgroup';
import type { RunCommand } from '../host/runCommand';

export type LocalUserCheck =
  | { readonly ok: true; readonly admin: boolean; readonly volumeOwner: boolean }
  | { readonly ok: false; readonly reason: 'unknown-user' | 'wrong-password' | 'locked' | 'disabled' | 'not-volume-owner' | 'error'; readonly message: string };

/**
 * A local account that can authorise a macOS update on Apple silicon: it exists, its password
 * is right (locked or disabled accounts fail), and it is a volume owner. The password goes to
 * `dscl` on standard input only.
 */
export async function verifyLocalUser(run: RunCommand, name: string, password: string, signal?: AbortSignal): Promise<LocalUserCheck> {
  const uid = await generatedUid(run, name, signal);
  if (uid === null) return { ok: false, reason: 'unknown-user', message: `There is no local account "${name}" on this Mac.` };
  const check = await checkLocalPassword(run, name, password, signal);
  if (!check.ok) {
    const message =
      check.reason === 'wrong-password' ? `macOS rejected the password of "${name}".`
      : check.reason === 'disabled' ? `The account "${name}" is disabled.`
      : check.reason === 'locked' ? `The account "${name}" is locked or its password expired.`
      : `macOS could not check the password of "${name}" (${check.detail}).`;
    return { ok: false, reason: check.reason === 'unknown-user' ? 'unknown-user' : check.reason, message };
  }
  const owners = await volumeOwners(run, signal);
  if (!owners.has(uid)) return { ok: false, reason: 'not-volume-owner', message: `"${name}" is not a volume owner (no secure token), so it cannot authorise macOS updates on Apple silicon.` };
  return { ok: true, admin: await isAdmin(run, name, signal), volumeOwner: true };
}
