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

/** errSecItemNotFound as `security -i` reports it (reference §9.4: `<word>: returned <N>`). */
const NOT_FOUND_STATUS = -25300;

/**
 * Deletes several generic passwords in one `security -i` process (one line each), and returns
 * the accounts it deleted. Each deleted item's attribute block goes to stdout with its
 * `"acct"<blob>="…"` line (reference §9.3); an item that was not there is errSecItemNotFound,
 * reported as `delete-generic-password: returned -25300` (§9.4, from Apple's source: unconfirmed
 * on current macOS). Fails safe: any other `returned N`, an exit status other than 0 or 44, or a
 * count of results that does not add up is an error, never "deleted".
 */
export async function deleteGenericPasswords(run: RunCommand, items: readonly KeychainItemRef[], signal?: AbortSignal): Promise<string[]> {
  if (items.length === 0) return [];
  const lines = items.map((item) => ['delete-generic-password', '-a', quoteWord(item.account), '-s', quoteWord(item.service), quoteWord(item.keychain ?? SYSTEM_KEYCHAIN)].join(' '));
  const result = await run(SECURITY, ['-i'], { timeoutMs: 15_000 + 2_000 * items.length, signal, stdin: `${lines.join('\n')}\n` });
  const deleted = [...result.stdout.matchAll(/^\s*"acct"<blob>="((?:[^"\\]|\\.)*)"\s*$/gm)].map((m) => m[1] ?? '');
  const statuses = [...result.stderr.matchAll(/^(\S+): returned (-?\d+)$/gm)].map((m) => Number(m[2]));
  const unexpected = statuses.find((s) => s !== NOT_FOUND_STATUS);
  const wanted = new Set(items.map((i) => i.account));
  if ((result.exitCode !== 0 && result.exitCode !== NOT_FOUND) || unexpected !== undefined || deleted.length + statuses.length !== items.length || deleted.some((a) => !wanted.has(a))) {
    throw new CommandError('security', result.exitCode, result.stderr, `security could not delete the keychain items ${items.map((i) => i.account).join(', ')}: ${result.stderr.trim().split('\n').find((l) => !/returned -25300$/.test(l) && !/could not be found/.test(l)) ?? 'the results did not add up'}`);
  }
  return deleted;
}
