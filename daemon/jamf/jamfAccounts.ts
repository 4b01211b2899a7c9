import { JamfHttpError } from '../errors';
import type { JamfClient } from './jamfClient';
import { accountRecordProblem, describeBody, isRecord, pageShape } from './responseShapes';

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
 * case-insensitively and treats `*` as a wildcard, so only an exact match is returned. A server
 * without that endpoint (its first release is unknown; 11.23.2 has it) is asked through the
 * Classic API, whose record has no failed-login count.
 */
export async function findJamfAccount(client: JamfClient, username: string, signal?: AbortSignal): Promise<JamfAccountRecord | null> {
  const quote = username.includes('"') ? "'" : '"'; // RSQL takes either quote
  try {
    const page = await client.request<{ results?: JamfAccountRecord[] }>('GET', 'api/v1/accounts', {
      query: { filter: `username==${quote}${username}${quote}`, 'page-size': 10 },
      shape: pageShape<JamfAccountRecord>('GET api/v1/accounts', accountRecordProblem),
      signal,
    });
    return page.results?.find((a) => a.username === username) ?? null;
  } catch (error) {
    // An unknown username gives an empty page, so a 404 here means the endpoint is missing.
    if (!(error instanceof JamfHttpError && error.statusCode === 404)) throw error;
    return findClassicAccount(client, username, signal);
  }
}

interface ClassicAccount {
  id?: number | string;
  name?: string;
  directory_user?: boolean;
  enabled?: string;
  ldap_server?: { id?: number } | null;
}

/** Classic `GET /JSSResource/accounts/username/{name}` (reference §7.2), as JSON; 404 = no such account. */
async function findClassicAccount(client: JamfClient, username: string, signal?: AbortSignal): Promise<JamfAccountRecord | null> {
  try {
    const body = await client.request<{ account?: ClassicAccount }>('GET', `JSSResource/accounts/username/${encodeURIComponent(username)}`, {
      // Classic answers JSON on GET with Accept: application/json (reference §0.1, §7.2).
      shape: (b) => (isRecord(b) && isRecord(b.account) ? { ok: true, value: b } : { ok: false, problem: `Classic account: expected {"account": {...}}, got ${describeBody(b)}` }),
      signal,
    });
    const a = body?.account;
    if (!a || a.id === undefined || a.name !== username) return null;
    return {
      id: String(a.id),
      username: a.name,
      ldapServerId: a.ldap_server?.id ?? (a.directory_user ? 1 : -1),
      accountStatus: a.enabled === 'Disabled' ? 'Disabled' : 'Enabled',
    };
  } catch (error) {
    if (error instanceof JamfHttpError && error.statusCode === 404) return null;
    throw error;
  }
}

/** A directory (LDAP) or SSO-only account: its password is not Jamf Pro's to check or change. */
export function isDirectoryAccount(a: JamfAccountRecord): boolean {
  return (a.ldapServerId ?? -1) > 0 || a.accountType === 'FEDERATED';
}

export type AccountStanding =
  | { readonly kind: 'locked-out'; readonly failedLoginAttempts: number }
  | { readonly kind: 'disabled' }
  /** Disabled, and the record (Classic API) does not count failed logins: locked or disabled. */
  | { readonly kind: 'disabled-or-locked' }
  | { readonly kind: 'enabled'; readonly failedLoginAttempts: number | null };

/**
 * What Jamf Pro's record says about a local account that refused a login. Jamf Pro shows an
 * account its password policy locked as "Disabled" until it is unlocked, and keeps counting the
 * failed logins; an account an administrator disabled has none. So Disabled with failed logins
 * reads as a lockout (docs/decisions.md).
 */
export function accountStanding(a: JamfAccountRecord): AccountStanding {
  const failed = a.failedLoginAttempts;
  if (a.accountStatus === 'Disabled') {
    if (failed === undefined) return { kind: 'disabled-or-locked' };
    return failed > 0 ? { kind: 'locked-out', failedLoginAttempts: failed } : { kind: 'disabled' };
  }
  return { kind: 'enabled', failedLoginAttempts: failed ?? null };
}
