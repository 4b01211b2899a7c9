import { CommandError } from '../errors';
import type { RunCommand } from '../host/runCommand';
import { deleteGenericPassword, deleteGenericPasswords, readGenericPassword, writeGenericPassword } from '../host/security';
import { FileReplacementJournal } from './replacementJournal';
import type { ReplacementJournal, SecretStore } from './secretStore';

export interface KeychainStoreOptions {
  run: RunCommand;
  /** Keychain service: `superd`, or `Super Update Service` to read super's items. */
  service: string;
  /** Account prefix: `superd_auth_`, or `super_auth_`. */
  accountPrefix: string;
  /**
   * Keeps the credential-replacement journal beside status (superd's own items only; super's
   * are read, never replaced). Under `root`, default SUPERD_ROOT.
   */
  replacementJournal?: boolean;
  root?: string;
}

/**
 * The System keychain, values base64-encoded (design.md §10). super wrote base64 of the value
 * plus a newline (super-behaviour.md §1.5); a trailing newline is dropped on read, so super's
 * items read back as what super was given.
 */
export class KeychainSecretStore implements SecretStore {
  readonly journal?: ReplacementJournal;

  constructor(private readonly options: KeychainStoreOptions) {
    if (options.replacementJournal) this.journal = new FileReplacementJournal(options.root);
  }

  private ref(field: string) {
    return { account: `${this.options.accountPrefix}${field}`, service: this.options.service };
  }

  async get(field: string, signal?: AbortSignal): Promise<string | null> {
    const encoded = await readGenericPassword(this.options.run, this.ref(field), signal);
    if (encoded === null) return null;
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded.trim())) {
      throw new CommandError('security', 0, '', `the keychain item ${this.ref(field).account} is not base64: it was not written by superd`);
    }
    return Buffer.from(encoded.trim(), 'base64').toString('utf8').replace(/\n$/, '');
  }

  async set(field: string, value: string, signal?: AbortSignal): Promise<void> {
    const ref = this.ref(field);
    await writeGenericPassword(this.options.run, ref, Buffer.from(value, 'utf8').toString('base64'), signal);
    const back = await this.get(field, signal);
    if (back !== value) {
      await deleteGenericPassword(this.options.run, ref, signal).catch(() => false);
      throw new CommandError('security', 0, '', `the keychain item ${ref.account} did not read back as written and was deleted`);
    }
  }

  delete(field: string, signal?: AbortSignal): Promise<boolean> {
    return deleteGenericPassword(this.options.run, this.ref(field), signal);
  }

  async deleteMany(fields: readonly string[], signal?: AbortSignal): Promise<string[]> {
    const deleted = new Set(await deleteGenericPasswords(this.options.run, fields.map((f) => this.ref(f)), signal));
    return fields.filter((f) => deleted.has(this.ref(f).account));
  }
}

export const SUPERD_KEYCHAIN = { service: 'superd', accountPrefix: 'superd_auth_', replacementJournal: true } as const;
export const SUPER_KEYCHAIN = { service: 'Super Update Service', accountPrefix: 'super_auth_' } as const;
