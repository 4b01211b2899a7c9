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

/**
 * `sysadminctl -deleteUser NAME`, authorised by an administrator when one is given
 * (`-adminUser A -adminPassword -`, the password on standard input). sysadminctl's usage text lists
 * `-deleteUser <user name> [-secure || -keepHome] (interactive || -adminUser <administrator user
 * name> -adminPassword <administrator password>)` (test/fixtures/macos/sysadminctl/usage-and-password-prompt-2023.txt;
 * the same line is reported for macOS 26) and "Pass '-' instead of password ... to request prompt";
 * without admin flags macOS 26 is reported to prompt `User password:`. super runs it without
 * (Macjutsu/super `super`, lines 2956, 3200) and discards the output. It exits 0 whatever
 * happened, so the caller checks that the account is gone (removeServiceAccount).
 */
export async function deleteUser(run: RunCommand, name: string, signal?: AbortSignal, admin?: { user: string; password: string }): Promise<string> {
  const args = ['-deleteUser', name, ...(admin ? ['-adminUser', admin.user, '-adminPassword', '-'] : [])];
  const r = await run(SYSADMINCTL, args, { timeoutMs: 60_000, signal, ...(admin ? { stdin: `${admin.password}\n` } : {}) });
  return r.stderr;
}

/** Hides an account from the login window: `dscl . -create /Users/NAME IsHidden 1`. */
export async function hideUser(run: RunCommand, name: string, signal?: AbortSignal): Promise<void> {
  await run('/usr/bin/dscl', ['.', '-create', `/Users/${name}`, 'IsHidden', '1'], { timeoutMs: 10_000, signal });
}
