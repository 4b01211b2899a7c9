import type { JamfCredential } from '../jamf/credentials';
import type { AuthMethod } from '../status/statusFile';
import { currentReplacement, replaceSavedMethod, settleReplacement, type NamedSecret } from './credentialReplacement';
import { METHOD_FIELDS, METHOD_PRIORITY } from './methodFields';
import { deleteSecondaryClient, withSecondaryClient } from './secondaryClient';
import type { SecretStore } from './secretStore';

export { METHOD_FIELDS, METHOD_PRIORITY } from './methodFields';

/** A saved method with its secret; held in memory for one run only. */
export type SavedAuth =
  | { readonly method: 'jamf-client' | 'jamf-account'; readonly credential: JamfCredential }
  | { readonly method: 'local-account' | 'service-account' | 'user'; readonly account: string; readonly password: string };

function toSavedAuth({ method, name, secret }: NamedSecret): SavedAuth {
  if (method === 'jamf-client') return { method, credential: { kind: 'client', clientId: name, clientSecret: secret } };
  if (method === 'jamf-account') return { method, credential: { kind: 'account', username: name, password: secret } };
  return { method, account: name, password: secret };
}

/**
 * Which method is saved, reading names only (no secret): for `superd status`. Read only: a
 * replacement a kill interrupted is reported as the set that is current, and left for a run to finish.
 */
export async function savedAuthMethod(store: SecretStore, signal?: AbortSignal): Promise<AuthMethod | null> {
  const replacing = await currentReplacement(store, signal);
  if (replacing) return replacing.method;
  for (const method of METHOD_PRIORITY) {
    if ((await store.get(METHOD_FIELDS[method][0], signal)) !== null) return method;
  }
  return null;
}

/**
 * The saved method with its secret, or null when none is saved (or only half of a pair is).
 * A replacement a kill interrupted is finished first (credentialReplacement.ts); without one
 * (every ordinary run) this reads the journal file and each saved name once, and the secret of
 * the first method whose name is saved.
 */
export async function loadSavedAuth(store: SecretStore, signal?: AbortSignal, recorded: AuthMethod | null = null): Promise<SavedAuth | null> {
  await settleReplacement(store, signal);
  // Still under way only when another live process is replacing: its current set, never a mix.
  const replacing = await currentReplacement(store, signal);
  if (replacing) return withSecondary(store, toSavedAuth(replacing), signal);
  for (const method of probeOrder(recorded)) {
    const [nameField, secretField] = METHOD_FIELDS[method];
    const name = await store.get(nameField, signal);
    if (name === null) continue;
    const secret = await store.get(secretField, signal);
    if (secret === null) continue;
    return withSecondary(store, toSavedAuth({ method, name, secret }), signal);
  }
  return null;
}

/**
 * The method the status plist records as saved is looked up first, then the others in priority
 * order. Saving one method deletes every other (credentialReplacement.ts), so at most one is
 * saved and the order only decides how many keychain reads (each a `security` process) a run
 * costs: issue 19's budget of 10 macOS commands per steady-state run. A wrong or missing record
 * costs reads, never the wrong method.
 */
function probeOrder(recorded: AuthMethod | null): readonly AuthMethod[] {
  if (recorded === null || !METHOD_PRIORITY.includes(recorded)) return METHOD_PRIORITY;
  return [recorded, ...METHOD_PRIORITY.filter((m) => m !== recorded)];
}

/** Fleet rotation: a saved API client carries the second one, tried when it is refused (secondaryClient.ts). */
async function withSecondary(store: SecretStore, saved: SavedAuth, signal?: AbortSignal): Promise<SavedAuth> {
  if (saved.method !== 'jamf-client' || saved.credential.kind !== 'client') return saved;
  return { method: saved.method, credential: await withSecondaryClient(store, saved.credential, signal) };
}

/**
 * Saves a method that has already been validated: written under staged names and read back,
 * made current in one atomic step, and only then copied to the saved names with every other
 * method's items deleted (credentialReplacement.ts). A kill at any point leaves the old or the
 * new method complete, never a mix. Returns the fields of other methods it deleted.
 */
export async function saveAuth(store: SecretStore, method: AuthMethod, name: string, secret: string, signal?: AbortSignal): Promise<string[]> {
  const removed = await replaceSavedMethod(store, { method, name, secret }, signal);
  // Another method replaces the API clients: the second one goes too, once the new method is
  // current (secondaryClient.ts).
  if (method !== 'jamf-client') removed.push(...(await deleteSecondaryClient(store, signal)));
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
    ...(store.deleteMany ? {
      deleteMany(fields: readonly string[], signal?: AbortSignal) {
        for (const field of fields) known.delete(field);
        return store.deleteMany!(fields, signal);
      },
    } : {}),
    ...(store.journal ? { journal: store.journal } : {}),
  };
}
