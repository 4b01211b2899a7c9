import type { RunCommand } from './runCommand';

/**
 * `profiles install -type bootstraptoken`: answers its two prompts (`Enter the admin user name:`,
 * `Enter the password for user 'NAME':`, reference §4.4) on standard input. Whether profiles reads
 * those prompts from a non-terminal stdin is unconfirmed on a real Mac (public samples drive them
 * through expect); super passes `-user`/`-password` in argv instead (Macjutsu/super `super`,
 * line 10775), which superd never does with a secret.
 *
 * `ok` only says the command did not fail (exit 0): its wording is unconfirmed and super ignores
 * it, deciding by `profiles status -type bootstraptoken` (check_bootstrap_token_escrow()). The
 * caller must check the token again (daemon/failover/bootstrapReescrow.ts does).
 */
export async function escrowBootstrapToken(run: RunCommand, user: string, password: string, signal?: AbortSignal): Promise<{ ok: boolean; message: string }> {
  const r = await run('/usr/bin/profiles', ['install', '-type', 'bootstraptoken'], { timeoutMs: 120_000, signal, stdin: `${user}\n${password}\n` });
  const text = `${r.stdout}\n${r.stderr}`;
  // The last `profiles:` line, for the admin; never the prompts or anything typed (the password is
  // not echoed by a prompt that reads it, but a line equal to it is dropped all the same).
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('profiles:') && !l.includes(password));
  const message = lines.pop() ?? `profiles exited ${r.exitCode}`;
  return { ok: r.exitCode === 0, message };
}
