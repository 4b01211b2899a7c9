import { runWithPrompts } from './expect';
import type { RunCommand } from './runCommand';

/**
 * The prompts of `profiles install -type bootstraptoken` run without `-user`/`-password`
 * (reference §4.4, confirmed as the match targets of public expect scripts; real lines in
 * test/fixtures/macos/profiles-install/). The second one ends with the user name in quotes.
 */
export const ESCROW_PROMPTS = { user: 'Enter the admin user name:', password: 'Enter the password for user ' } as const;

/**
 * `profiles install -type bootstraptoken`, its two prompts answered through a pseudo-terminal by
 * /usr/bin/expect (daemon/host/expect.ts): public scripts drive these prompts that way, and
 * whether profiles reads them from a non-terminal stdin is unconfirmed. super passes
 * `-user`/`-password` in argv instead (Macjutsu/super `super`, line 10775); superd never puts a
 * password in argv. The password is only in the expect process's environment.
 *
 * `ok` only says the command did not fail (exit 0): its wording is unconfirmed and super ignores
 * it, deciding by `profiles status -type bootstraptoken` (check_bootstrap_token_escrow()). The
 * caller must check the token again (daemon/failover/bootstrapReescrow.ts does).
 */
export async function escrowBootstrapToken(run: RunCommand, user: string, password: string, signal?: AbortSignal): Promise<{ ok: boolean; message: string }> {
  const r = await runWithPrompts(
    run,
    ['/usr/bin/profiles', 'install', '-type', 'bootstraptoken'],
    [
      { prompt: ESCROW_PROMPTS.user, answer: user, secret: false },
      { prompt: ESCROW_PROMPTS.password, answer: password, secret: true },
    ],
    { timeoutMs: 120_000, signal },
  );
  // The last line profiles or the expect script printed (secrets already masked), for the admin.
  const lines = `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim()).filter((l) => (l.startsWith('profiles:') || l.startsWith('superd-expect:')) && (password === '' || !l.includes(password)));
  const message = lines.pop() ?? `profiles exited ${r.exitCode}`;
  return { ok: r.exitCode === 0, message };
}
