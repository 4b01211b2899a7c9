/**
 * A second Jamf Pro API client, for rotation across a fleet (docs/fleet-rotation.md). Jamf Pro
 * ends an API client's old secret the moment a new one is issued, and every Mac shares it; with
 * two clients an admin rotates the one no Mac relies on, distributes it, and only then the other.
 *
 * Keychain items (design.md §10, System keychain, service `superd`):
 * - slot `primary`: `superd_auth_jamf_client` / `superd_auth_jamf_secret` (the saved method);
 * - slot `secondary`: `superd_auth_jamf_client_secondary` / `superd_auth_jamf_secret_secondary`;
 * - `superd_auth_jamf_client_preferred`: `primary` or `secondary`, the slot that last worked
 *   (absent: primary). Not a secret; kept beside the others so one store holds the whole set.
 *
 * The secondary is only ever read beside a saved primary API client, so the saved method stays
 * what `superd status` shows; each slot holds a pair that worked when it was saved.
 */
import type { JamfCredential } from '../jamf/credentials';
import type { SecretStore } from './secretStore';

export type ClientSlot = 'primary' | 'secondary';
export const CLIENT_SLOTS: readonly ClientSlot[] = ['primary', 'secondary'];

/** Keychain fields (`superd_auth_<field>`) of each slot: client id first, secret second. */
export const SLOT_FIELDS: Readonly<Record<ClientSlot, readonly [string, string]>> = {
  primary: ['jamf_client', 'jamf_secret'],
  secondary: ['jamf_client_secondary', 'jamf_secret_secondary'],
};
export const PREFERRED_FIELD = 'jamf_client_preferred';

/** Every item this module adds to the keychain (for `--auth-delete-all` and method changes). */
export const SECONDARY_CLIENT_FIELDS: readonly string[] = [...SLOT_FIELDS.secondary, PREFERRED_FIELD];

type ClientCredential = Extract<JamfCredential, { kind: 'client' }>;

/**
 * The hook of `loadSavedAuth`: given the saved primary API client, the credential a run or a
 * heartbeat uses — the slot that last worked first, the other as its `alternate` (asked only
 * when Jamf Pro refuses the first). Without a complete secondary, the primary unchanged (one
 * keychain read). A preference naming an empty slot is ignored.
 */
export async function withSecondaryClient(store: SecretStore, primary: ClientCredential, signal?: AbortSignal): Promise<ClientCredential> {
  const secondaryId = await store.get(SLOT_FIELDS.secondary[0], signal);
  if (secondaryId === null) return primary;
  const secondarySecret = await store.get(SLOT_FIELDS.secondary[1], signal);
  if (secondarySecret === null) return primary;
  const preferred = await store.get(PREFERRED_FIELD, signal);
  const first = { clientId: primary.clientId, clientSecret: primary.clientSecret };
  const second = { clientId: secondaryId, clientSecret: secondarySecret };
  const [a, b] = preferred === 'secondary' ? [second, first] : [first, second];
  return { kind: 'client', clientId: a.clientId, clientSecret: a.clientSecret, alternate: b };
}

/** The client id each slot holds (no secret is read). */
export async function slotClientIds(store: SecretStore, signal?: AbortSignal): Promise<Record<ClientSlot, string | null>> {
  return {
    primary: await store.get(SLOT_FIELDS.primary[0], signal),
    secondary: await store.get(SLOT_FIELDS.secondary[0], signal),
  };
}

/**
 * Remembers which slot worked, given the client id Jamf Pro accepted (the slots never hold the
 * same client: `saveSecondaryClient` refuses that). Writes only when the preference changes.
 * Returns the slot, or null when neither slot holds that client.
 */
export async function rememberWorkingClient(store: SecretStore, clientId: string, signal?: AbortSignal): Promise<ClientSlot | null> {
  const ids = await slotClientIds(store, signal);
  const slot = CLIENT_SLOTS.find((s) => ids[s] === clientId) ?? null;
  if (slot === null) return null;
  const current = (await store.get(PREFERRED_FIELD, signal)) ?? 'primary';
  if (current !== slot) await store.set(PREFERRED_FIELD, slot, signal);
  return slot;
}

/**
 * Saves a validated API client into the secondary slot, then prefers it (it is the newest
 * secret, and the one the fleet is asked to report). The secret is written before the id, so
 * an interruption leaves an incomplete pair that `withSecondaryClient` ignores.
 */
export async function saveSecondaryClient(store: SecretStore, clientId: string, secret: string, signal?: AbortSignal): Promise<void> {
  const [idField, secretField] = SLOT_FIELDS.secondary;
  // The old pair stops counting first: a half-written slot is never paired with the old id.
  await store.delete(idField, signal);
  await store.set(secretField, secret, signal);
  await store.set(idField, clientId, signal);
  await store.set(PREFERRED_FIELD, 'secondary', signal);
}

/** After a primary was saved (validated): it is the one to use first. */
export async function preferPrimary(store: SecretStore, signal?: AbortSignal): Promise<void> {
  if ((await store.get(PREFERRED_FIELD, signal)) !== null) await store.set(PREFERRED_FIELD, 'primary', signal);
}

/** Removes the secondary slot and the preference (when the saved method stops being an API client). */
export async function deleteSecondaryClient(store: SecretStore, signal?: AbortSignal): Promise<string[]> {
  const removed: string[] = [];
  for (const field of SECONDARY_CLIENT_FIELDS) if (await store.delete(field, signal)) removed.push(field);
  return removed;
}
