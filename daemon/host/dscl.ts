import { quoteWord } from './security';
import type { CommandResult, RunCommand } from './runCommand';

const DSCL = '/usr/bin/dscl';

export type PasswordCheck = { ok: true } | { ok: false; reason: 'unknown-user' | 'wrong-password' | 'disabled' | 'locked' | 'error'; detail: string };

/**
 * Checks a local password with `dscl /Local/Default`, the `authonly NAME PASSWORD` command on
 * standard input, so the password never appears in the process arguments (the interactive form
 * is unconfirmed on a real Mac; docs/security.md). Success prints nothing.
 */
export async function checkLocalPassword(run: RunCommand, name: string, password: string, signal?: AbortSignal): Promise<PasswordCheck> {
  const r = await run(DSCL, ['/Local/Default'], { timeoutMs: 30_000, signal, stdin: `authonly ${quoteWord(name)} ${quoteWord(password)}\n` });
  return parseAuthonly(r);
}

/**
 * The result of `authonly`. Success is exit 0 **and** no output on either stream (super treats
 * only empty merged output as success, super line 10720). In interactive mode (commands on
 * stdin) dscl's exit status belongs to the session, not to the failed command, so a wrong
 * password can exit 0 (reference/macos-commands.md §7.2); any `DS Error`/`eDS…` text, on stdout
 * or stderr, is therefore a refusal whatever the exit status. The two real failure lines are
 * `<dscl_cmd> DS Error: -14090 (eDSAuthFailed)` and
 * `Authentication for node /Local/Default failed. (-14090, eDSAuthFailed)` (PezzaD84/macOSLAPS
 * README; test/fixtures/macos/dscl/authonly-wrong-password.txt). Unrecognised output is an
 * `error`, never a success.
 */
export function parseAuthonly(r: CommandResult): PasswordCheck {
  const text = `${r.stdout}\n${r.stderr}`;
  if (r.exitCode === 0 && r.stdout.trim() === '' && r.stderr.trim() === '') return { ok: true };
  const ds = /DS Error: (-\d+) \((eDS\w+)\)/.exec(text)?.[2] ?? /\((-\d+), (eDS\w+)\)/.exec(text)?.[2] ?? /\b(eDS\w+)\b/.exec(text)?.[1];
  const reason =
    ds === 'eDSRecordNotFound' || ds === 'eDSAuthUnknownUser' ? 'unknown-user'
    : ds === 'eDSAuthFailed' || ds === 'eDSAuthBadPassword' ? 'wrong-password'
    : ds === 'eDSAuthAccountDisabled' || ds === 'eDSAuthAccountInactive' ? 'disabled'
    : ds === 'eDSAuthAccountExpired' || ds === 'eDSAuthPasswordExpired' ? 'locked'
    : 'error';
  // The output itself is never quoted: dscl read the password on the same stdin.
  const detail = ds ?? (r.exitCode === 0 ? 'unexpected output, no DS error code' : `exit status ${r.exitCode ?? 'none'}`);
  return { ok: false, reason, detail };
}

/** The user's GeneratedUID (`dscl . -read /Users/NAME GeneratedUID`); null when the user does not exist. */
export async function generatedUid(run: RunCommand, name: string, signal?: AbortSignal): Promise<string | null> {
  const r = await run(DSCL, ['.', '-read', `/Users/${name}`, 'GeneratedUID'], { timeoutMs: 10_000, signal });
  return parseGeneratedUid(r);
}

/** `GeneratedUID: <uuid>` (reference §7.1); a non-zero exit (`DS Error: -14136`, exit 56) or no UUID is null. */
export function parseGeneratedUid(r: CommandResult): string | null {
  if (r.exitCode !== 0) return null;
  return /^GeneratedUID:\s*([0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12})\s*$/im.exec(r.stdout)?.[1]?.toUpperCase() ?? null;
}
