import type { RunCommand } from './runCommand';

/**
 * `profiles install -type bootstraptoken`: answers its two prompts (admin name, password) on
 * standard input (unconfirmed on a real Mac, which may want a terminal; docs/security.md).
 */
export async function escrowBootstrapToken(run: RunCommand, user: string, password: string, signal?: AbortSignal): Promise<{ ok: boolean; message: string }> {
  const r = await run('/usr/bin/profiles', ['install', '-type', 'bootstraptoken'], { timeoutMs: 120_000, signal, stdin: `${user}\n${password}\n` });
  const text = `${r.stdout}\n${r.stderr}`;
  const ok = r.exitCode === 0 && /escrowed successfully/i.test(text);
  const message = text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('profiles:')).pop() ?? `profiles exited ${r.exitCode}`;
  return { ok, message };
}
