import type { SimCore } from './core';
import { isDirectoryAccount, type Account } from './state';

export type LoginResult =
  | { ok: true; account: Account }
  | { ok: false; reason: 'unknown-user' | 'bad-password' | 'locked' | 'disabled' | 'sso' | 'expired-password'; account?: Account };

/**
 * Checks a username and password the way Jamf Pro does for Basic auth:
 * failures count toward the lockout threshold, a locked account is refused
 * even with the right password, SSO-only accounts cannot use the API, and a
 * forced password change yields USER_EXPIRED_PASSWORD.
 */
export function authenticateUser(core: SimCore, username: string, password: string): LoginResult {
  const account = core.store.accountByName(username);
  if (!account) return { ok: false, reason: 'unknown-user' };
  if (account.accountType === 'FEDERATED') return { ok: false, reason: 'sso', account };
  if (account.password !== password) {
    account.failedLoginAttempts += 1;
    const wasLocked = account.lockedOut;
    const threshold = core.settings.lockoutThreshold;
    if (threshold > 0 && account.failedLoginAttempts >= threshold) lockOut(account);
    return { ok: false, reason: wasLocked ? 'locked' : 'bad-password', account };
  }
  if (account.lockedOut) return { ok: false, reason: 'locked', account };
  if (account.accountStatus === 'Disabled') return { ok: false, reason: 'disabled', account };
  if (account.changePasswordOnNextLogin && !isDirectoryAccount(account)) return { ok: false, reason: 'expired-password', account };
  account.failedLoginAttempts = 0;
  return { ok: true, account };
}

/** The password policy's lockout: the account shows as Disabled until it is unlocked. */
function lockOut(account: Account): void {
  account.lockedOut = true;
  account.accountStatus = 'Disabled';
}

/** Unlocking (an admin sets the access status back to Enabled, or the password is reset). */
export function unlock(account: Account): void {
  if (account.lockedOut) account.accountStatus = 'Enabled';
  account.lockedOut = false;
  account.failedLoginAttempts = 0;
}

/** Decodes `Authorization: Basic ...`; undefined when absent or malformed. */
export function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  const m = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}
