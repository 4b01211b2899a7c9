import type { RunCommand } from './runCommand';

const SYSADMINCTL = '/usr/sbin/sysadminctl';

/**
 * `sysadminctl -addUser NAME -password - -adminUser ADMIN -adminPassword -`: both passwords on
 * standard input, one line per `-` in argument order (unconfirmed on a real Mac; docs/security.md).
 * sysadminctl exits 0 even when it fails, so the caller checks the account afterwards.
 */
export async function addUser(run: RunCommand, input: { name: string; fullName: string; password: string; adminUser: string; adminPassword: string }, signal?: AbortSignal): Promise<string> {
  const r = await run(SYSADMINCTL, ['-addUser', input.name, '-fullName', input.fullName, '-password', '-', '-adminUser', input.adminUser, '-adminPassword', '-'], {
    timeoutMs: 60_000,
    signal,
    stdin: `${input.password}\n${input.adminPassword}\n`,
  });
  return r.stderr;
}

/** `sysadminctl -deleteUser NAME` (exits 0 whatever happened). */
export async function deleteUser(run: RunCommand, name: string, signal?: AbortSignal): Promise<void> {
  await run(SYSADMINCTL, ['-deleteUser', name], { timeoutMs: 60_000, signal });
}

/** Hides an account from the login window: `dscl . -create /Users/NAME IsHidden 1`. */
export async function hideUser(run: RunCommand, name: string, signal?: AbortSignal): Promise<void> {
  await run('/usr/bin/dscl', ['.', '-create', `/Users/${name}`, 'IsHidden', '1'], { timeoutMs: 10_000, signal });
}
