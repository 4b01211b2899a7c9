import type { RunCommand } from './runCommand';

/** `dseditgroup -o checkmember -m NAME admin`: `yes NAME is a member of admin` (exit 0). */
export async function isAdmin(run: RunCommand, name: string, signal?: AbortSignal): Promise<boolean> {
  const r = await run('/usr/sbin/dseditgroup', ['-o', 'checkmember', '-m', name, 'admin'], { timeoutMs: 10_000, signal });
  return r.exitCode === 0 && /^yes\b/.test(r.stdout);
}
