import type { JamfClient } from './jamfClient';

/** The fields of a Jamf Pro user account (`UserAccount`, /api/v1/accounts) superd reads. */
export interface JamfAccountRecord {
  readonly id: string;
  readonly username: string;
  readonly ldapServerId?: number;
  readonly accountType?: string;
  readonly lastPasswordChange?: string | null;
  readonly accountStatus?: 'Enabled' | 'Disabled';
  readonly failedLoginAttempts?: number;
}

/**
 * `GET /api/v1/accounts?filter=username=="…"` (privilege Read Accounts). The filter compares
 * case-insensitively and treats `*` as a wildcard, so only an exact match is returned.
 */
export async function findJamfAccount(client: JamfClient, username: string, signal?: AbortSignal): Promise<JamfAccountRecord | null> {
  const quote = username.includes('"') ? "'" : '"'; // RSQL takes either quote
  const page = await client.request<{ results?: JamfAccountRecord[] }>('GET', 'api/v1/accounts', {
    query: { filter: `username==${quote}${username}${quote}`, 'page-size': 10 },
    signal,
  });
  return page.results?.find((a) => a.username === username) ?? null;
}

/** A directory (LDAP) or SSO-only account: its password is not Jamf Pro's to check or change. */
export function isDirectoryAccount(a: JamfAccountRecord): boolean {
  return (a.ldapServerId ?? -1) > 0 || a.accountType === 'FEDERATED';
}

export type AccountStanding =
  | { readonly kind: 'locked-out'; readonly failedLoginAttempts: number }
  | { readonly kind: 'disabled' }
  | { readonly kind: 'enabled'; readonly failedLoginAttempts: number };

/**
 * What Jamf Pro's record says about a local account that refused a login. Jamf Pro shows an
 * account its password policy locked as "Disabled" until it is unlocked, and keeps counting the
 * failed logins; an account an administrator disabled has none. So Disabled with failed logins
 * reads as a lockout (docs/decisions.md).
 */
export function accountStanding(a: JamfAccountRecord): AccountStanding {
  const failed = a.failedLoginAttempts ?? 0;
  if (a.accountStatus === 'Disabled') return failed > 0 ? { kind: 'locked-out', failedLoginAttempts: failed } : { kind: 'disabled' };
  return { kind: 'enabled', failedLoginAttempts: failed };
}
