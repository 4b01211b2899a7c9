import type { AuthMethod } from '../status/statusFile';

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
  /** Deletes several items in one step where the store can (one `security` process); returns those that existed. */
  deleteMany?(fields: readonly string[], signal?: AbortSignal): Promise<string[]>;
  /**
   * Records which of two item sets is current while a replacement is under way
   * (credentialReplacement.ts). A store without one replaces its items in place (not atomic).
   */
  readonly journal?: ReplacementJournal;
}

/**
 * A replacement under way. `staging`: the new method is being written under the staged names and
 * the saved items are still current. `committed`: the staged items are complete, verified and
 * current; the saved names are being rewritten from them. `done`: the saved names hold the new
 * method; only the staged items are left to delete. `unreadable`: a journal exists but cannot be
 * trusted (not a regular file, too big, not what superd writes).
 */
export type ReplacementState =
  | { readonly phase: 'staging' | 'committed' | 'done'; readonly method: AuthMethod; /** The process replacing, when known. */ readonly pid?: number }
  | { readonly phase: 'unreadable'; readonly detail: string };

export interface ReplacementJournal {
  /** The replacement under way, or null when none is (the saved names are current). */
  read(): Promise<ReplacementState | null>;
  /** Replaces the state in one atomic, durable step. */
  write(state: { phase: 'staging' | 'committed' | 'done'; method: AuthMethod }): Promise<void>;
  /** Removes the journal (durably): the saved names are current again. */
  clear(): Promise<void>;
}

export class MemoryReplacementJournal implements ReplacementJournal {
  state: ReplacementState | null = null;
  async read(): Promise<ReplacementState | null> {
    return this.state;
  }
  async write(state: { phase: 'staging' | 'committed' | 'done'; method: AuthMethod }): Promise<void> {
    this.state = { ...state };
  }
  async clear(): Promise<void> {
    this.state = null;
  }
}

export class MemorySecretStore implements SecretStore {
  readonly items = new Map<string, string>();
  readonly journal = new MemoryReplacementJournal();
  async get(field: string): Promise<string | null> {
    return this.items.get(field) ?? null;
  }
  async set(field: string, value: string): Promise<void> {
    this.items.set(field, value);
  }
  async delete(field: string): Promise<boolean> {
    return this.items.delete(field);
  }
  async deleteMany(fields: readonly string[]): Promise<string[]> {
    return fields.filter((field) => this.items.delete(field));
  }
}
