import type { JamfCredential } from '../jamf/credentials';
import type { AuthMethod } from '../status/statusFile';
import { deleteSecondaryClient, withSecondaryClient } from './secondaryClient';
import type { SecretStore } from './secretStore';

/** A saved method with its secret; held in memory for one run only. */
export type SavedAuth =
  | { readonly method: 'jamf-client' | 'jamf-account'; readonly credential: JamfCredential }
  | { readonly method: 'local-account' | 'service-account' | 'user'; readonly account: string; readonly password: string };

/** Keychain fields of each method (`superd_auth_<field>`), name first, secret second. */
export const METHOD_FIELDS: Readonly<Record<AuthMethod, readonly [string, string]>> = {
  user: ['user_account', 'user_password'],
  'local-account': ['local_account', 'local_password'],
  'service-account': ['service_account', 'service_password'],
  'jamf-client': ['jamf_client', 'jamf_secret'],
  'jamf-account': ['jamf_account', 'jamf_password'],
};

/** The seed's priority: the user's password > local account > service account > API client > Jamf account. */
export const METHOD_PRIORITY: readonly AuthMethod[] = ['user', 'local-account', 'service-account', 'jamf-client', 'jamf-account'];

/** Which method is saved, reading names only (no secret): for `superd status`. */
export async function savedAuthMethod(store: SecretStore, signal?: AbortSignal): Promise<AuthMethod | null> {
  for (const method of METHOD_PRIORITY) {
    if ((await store.get(METHOD_FIELDS[method][0], signal)) !== null) return method;
  }
  return null;
}

/** The saved method with its secret, or null when none is saved (or only half of a pair is). */
export async function loadSavedAuth(store: SecretStore, signal?: AbortSignal): Promise<SavedAuth | null> {
  for (const method of METHOD_PRIORITY) {
    const [nameField, secretField] = METHOD_FIELDS[method];
    const name = await store.get(nameField, signal);
    if (name === null) continue;
    const secret = await store.get(secretField, signal);
    if (secret === null) continue;
    // Fleet rotation: a second API client, tried when this one is refused (secondaryClient.ts).
    if (method === 'jamf-client') return { method, credential: await withSecondaryClient(store, { kind: 'client', clientId: name, clientSecret: secret }, signal) };
    if (method === 'jamf-account') return { method, credential: { kind: 'account', username: name, password: secret } };
    return { method, account: name, password: secret };
  }
  return null;
}

/**
 * Saves a method that has already been validated: writes (and reads back) the new items first,
 * and only then deletes every other method's items, so a failure leaves the old method working.
 */
export async function saveAuth(store: SecretStore, method: AuthMethod, name: string, secret: string, signal?: AbortSignal): Promise<string[]> {
  const [nameField, secretField] = METHOD_FIELDS[method];
  await store.set(secretField, secret, signal);
  await store.set(nameField, name, signal);
  const removed: string[] = [];
  // Another method replaces the API clients: the second one goes too (secondaryClient.ts).
  if (method !== 'jamf-client') removed.push(...(await deleteSecondaryClient(store, signal)));
  for (const other of METHOD_PRIORITY) {
    if (other === method) continue;
    for (const field of METHOD_FIELDS[other]) if (await store.delete(field, signal)) removed.push(field);
  }
  return removed;
}

/**
 * The same store, each item read from the keychain at most once while this wrapper is in use
 * (each read is a `security` process): for the few checks before a run that all look at the
 * saved items. A write or delete through it forgets what it knew of that item.
 */
export function readOnce(store: SecretStore): SecretStore {
  const known = new Map<string, Promise<string | null>>();
  return {
    get(field, signal) {
      let value = known.get(field);
      if (value === undefined) {
        value = store.get(field, signal);
        known.set(field, value);
        // A failed read is not remembered: the next caller tries again.
        value.catch(() => known.delete(field));
      }
      return value;
    },
    async set(field, value, signal) {
      known.delete(field);
      await store.set(field, value, signal);
    },
    async delete(field, signal) {
      known.delete(field);
      return store.delete(field, signal);
    },
  };
}
