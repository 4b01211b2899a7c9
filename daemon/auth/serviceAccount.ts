import { randomBytes } from 'node:crypto';
import { AuthError } from '../errors';
import { generatedUid } from '../host/dscl';
import type { RunCommand } from '../host/runCommand';
import { addUser, deleteUser, hideUser } from '../host/sysadminctl';
import { verifyLocalUser } from './verifyLocalUser';

export const DEFAULT_SERVICE_ACCOUNT = 'superd';

/** A random password for the service account: 32 characters from a URL-safe alphabet. */
export function generateServicePassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Creates the hidden local service account that authorises updates: the admin must be an
 * administrator with a secure token and the right password; the new account is created by
 * sysadminctl authorised by that admin (so it gets a secure token), hidden, then validated
 * like a local account. Any failure after creation deletes the account again (authorised by the
 * same admin) and checks that it is gone; if it is not, the error says so.
 */
export async function createServiceAccount(
  run: RunCommand,
  input: { adminUser: string; adminPassword: string; name: string; password: string },
  signal?: AbortSignal,
): Promise<void> {
  const admin = await verifyLocalUser(run, input.adminUser, input.adminPassword, signal);
  if (!admin.ok) throw new AuthError(admin.reason, `--auth-service-add-via-admin-account: ${admin.message} Nothing was created or saved.`);
  if (!admin.admin) throw new AuthError('not-admin', `--auth-service-add-via-admin-account: "${input.adminUser}" is not an administrator, so it cannot create the service account. Nothing was created or saved.`);
  if ((await generatedUid(run, input.name, signal)) !== null) {
    throw new AuthError('exists', `--auth-service-account: a local account "${input.name}" already exists; choose another name, or save it with --auth-local-account. Nothing was created or saved.`);
  }
  await addUser(run, { name: input.name, fullName: 'superd service', password: input.password, adminUser: input.adminUser, adminPassword: input.adminPassword }, signal);
  try {
    await hideUser(run, input.name, signal);
    const check = await verifyLocalUser(run, input.name, input.password, signal);
    if (!check.ok) throw new AuthError(check.reason, `The new service account "${input.name}" did not validate: ${check.message} It was removed again; nothing was saved.`);
  } catch (error) {
    const removal = await removeServiceAccount(run, input.name, signal, { user: input.adminUser, password: input.adminPassword });
    if (removal.removed) throw error;
    const reason = error instanceof AuthError ? error.reason : 'service-account-left';
    throw new AuthError(reason, `${error instanceof Error ? error.message : String(error)} ${removal.message}`);
  }
}

/**
 * Deletes an account superd created and checks that it is gone (sysadminctl exits 0 even when it
 * did not delete). `message` says what the admin must do when it is still there.
 */
export async function removeServiceAccount(
  run: RunCommand,
  name: string,
  signal?: AbortSignal,
  admin?: { user: string; password: string },
): Promise<{ removed: boolean; message: string }> {
  let said = '';
  try {
    said = await deleteUser(run, name, signal, admin);
  } catch (error) {
    said = error instanceof Error ? error.message : String(error);
  }
  if ((await generatedUid(run, name, signal)) === null) return { removed: true, message: `The account "${name}" was removed again.` };
  const detail = said.split('\n').map((l) => l.replace(/^\S+ \S+ sysadminctl\[[^\]]*\] /, '').trim()).filter((l) => l !== '' && (!admin || admin.password === '' || !l.includes(admin.password))).pop();
  return {
    removed: false,
    message: `The account "${name}" could NOT be removed again${detail ? ` (sysadminctl: ${detail})` : ''}: remove it by hand (sudo sysadminctl -deleteUser ${name} -adminUser ADMIN -adminPassword -).`,
  };
}
