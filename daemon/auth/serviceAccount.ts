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
 * like a local account. Any failure after creation deletes the account again.
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
    await deleteUser(run, input.name, signal);
    throw error;
  }
}
