/**
 * Where superd keeps credentials: the System keychain in production, memory in unit tests.
 * A field is the suffix of the keychain account (`jamf_secret` → `superd_auth_jamf_secret`).
 */
export interface SecretStore {
  get(field: string, signal?: AbortSignal): Promise<string | null>;
  /** Creates or updates the item in place, then reads it back and compares. */
  set(field: string, value: string, signal?: AbortSignal): Promise<void>;
  /** Returns false when there was nothing to delete. */
  delete(field: string, signal?: AbortSignal): Promise<boolean>;
}

export class MemorySecretStore implements SecretStore {
  readonly items = new Map<string, string>();
  async get(field: string): Promise<string | null> {
    return this.items.get(field) ?? null;
  }
  async set(field: string, value: string): Promise<void> {
    this.items.set(field, value);
  }
  async delete(field: string): Promise<boolean> {
    return this.items.delete(field);
  }
}
