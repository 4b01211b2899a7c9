import { quoteWord } from './security';
import type { RunCommand } from './runCommand';

const DSCL = '/usr/bin/dscl';

export type PasswordCheck = { ok: true } | { ok: false; reason: 'unknown-user' | 'wrong-password' | 'disabled' | 'locked' | 'error'; detail: string };

/**
 * Checks a local password with `dscl /Local/Default`, the `authonly NAME PASSWORD` command on
 * standard input, so the password never appears in the process arguments (the interactive form
 * is unconfirmed on a real Mac; docs/security.md). Success prints nothing.
 */
export async function checkLocalPassword(run: RunCommand, name: string, password: string, signal?: AbortSignal): Promise<PasswordCheck> {
  const r = await run(DSCL, ['/Local/Default'], { timeoutMs: 30_000, signal, stdin: `authonly ${quoteWord(name)} ${quoteWord(password)}\n` });
  if (r.exitCode === 0 && !/DS Error/.test(r.stderr)) return { ok: true };
  const ds = /DS Error: (-\d+) \((eDS\w+)\)/.exec(r.stderr)?.[2] ?? /\((-\d+), (eDS\w+)\)/.exec(r.stdout)?.[2] ?? 'unknown';
  const reason =
    ds === 'eDSRecordNotFound' || ds === 'eDSAuthUnknownUser' ? 'unknown-user'
    : ds === 'eDSAuthFailed' || ds === 'eDSAuthBadPassword' ? 'wrong-password'
    : ds === 'eDSAuthAccountDisabled' || ds === 'eDSAuthAccountInactive' ? 'disabled'
    : ds === 'eDSAuthAccountExpired' || ds === 'eDSAuthPasswordExpired' ? 'locked'
    : 'error';
  return { ok: false, reason, detail: ds };
}

/** The user's GeneratedUID (`dscl . -read /Users/NAME GeneratedUID`); null when the user does not exist. */
export async function generatedUid(run: RunCommand, name: string, signal?: AbortSignal): Promise<string | null> {
  const r = await run(DSCL, ['.', '-read', `/Users/${name}`, 'GeneratedUID'], { timeoutMs: 10_000, signal });
  if (r.exitCode !== 0) return null;
  return /GeneratedUID:\s*([0-9A-F-]{36})/i.exec(r.stdout)?.[1]?.toUpperCase() ?? null;
}
