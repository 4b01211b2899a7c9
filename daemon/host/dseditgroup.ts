import type { RunCommand } from './runCommand';

/**
 * `dseditgroup -o checkmember -m NAME admin`: `yes NAME is a member of admin` (exit 0) or
 * `no NAME is NOT a member of admin` (exit 67 in one public script, inconsistent between
 * versions; reference §7.3, test/fixtures/macos/dseditgroup/).
 */
export async function isAdmin(run: RunCommand, name: string, signal?: AbortSignal): Promise<boolean> {
  const r = await run('/usr/sbin/dseditgroup', ['-o', 'checkmember', '-m', name, 'admin'], { timeoutMs: 10_000, signal });
  return parseCheckmember(r.exitCode, r.stdout);
}

/** Member only with exit 0 and a leading `yes`; anything else (including unknown text) is not. */
export function parseCheckmember(exitCode: number | null, stdout: string): boolean {
  return exitCode === 0 && /^yes\b/.test(stdout);
}
