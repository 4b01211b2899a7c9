import { CommandError, UsageError } from '../errors';
import type { RunCommand } from './runCommand';

export const SECURITY = '/usr/bin/security';
export const SYSTEM_KEYCHAIN = '/Library/Keychains/System.keychain';

/** errSecItemNotFound (−25300) as an exit status (reference/macos-commands.md §9.2). */
const NOT_FOUND = 44;

export interface KeychainItemRef {
  account: string;
  service: string;
  keychain?: string;
}

/**
 * Quotes one word for `security -i`, which splits on whitespace and honours "…" with
 * backslash escapes (reference §9.4).
 */
export function quoteWord(word: string): string {
  return `"${word.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * Adds or updates (-U) a generic password. The value travels on standard input inside a
 * `security -i` batch, never in the process arguments.
 */
export async function writeGenericPassword(run: RunCommand, item: KeychainItemRef, value: string, signal?: AbortSignal): Promise<void> {
  if (/[\n\r]/.test(value) || value.length > 3000) throw new UsageError('a value saved in the keychain must be a single line of fewer than 3000 characters');
  const keychain = item.keychain ?? SYSTEM_KEYCHAIN;
  const line = ['add-generic-password', '-U', '-a', quoteWord(item.account), '-s', quoteWord(item.service), '-w', quoteWord(value), quoteWord(keychain)].join(' ');
  const result = await run(SECURITY, ['-i'], { timeoutMs: 15_000, signal, stdin: `${line}\n` });
  // `security -i` exits with the last command's status; failures are also reported on stderr.
  if (result.exitCode !== 0 || /returned -?\d+|security: /.test(result.stderr)) {
    throw new CommandError('security', result.exitCode, result.stderr, `security could not save the keychain item ${item.account} (service ${item.service}): ${result.stderr.trim().split('\n')[0] ?? ''}`);
  }
}

/** Reads a generic password with `find-generic-password -w`; null when the item does not exist. */
export async function readGenericPassword(run: RunCommand, item: KeychainItemRef, signal?: AbortSignal): Promise<string | null> {
  const result = await run(SECURITY, ['find-generic-password', '-a', item.account, '-s', item.service, '-w', item.keychain ?? SYSTEM_KEYCHAIN], { timeoutMs: 15_000, signal });
  if (result.exitCode === NOT_FOUND) return null;
  if (result.exitCode !== 0) throw new CommandError('security', result.exitCode, result.stderr);
  return result.stdout.replace(/\n$/, '');
}

/** Deletes a generic password; false when it did not exist. */
export async function deleteGenericPassword(run: RunCommand, item: KeychainItemRef, signal?: AbortSignal): Promise<boolean> {
  const result = await run(SECURITY, ['delete-generic-password', '-a', item.account, '-s', item.service, item.keychain ?? SYSTEM_KEYCHAIN], { timeoutMs: 15_000, signal });
  if (result.exitCode === NOT_FOUND) return false;
  if (result.exitCode !== 0) throw new CommandError('security', result.exitCode, result.stderr);
  return true;
}
