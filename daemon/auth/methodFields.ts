import type { AuthMethod } from '../status/statusFile';

/** Keychain fields of each method (`superd_auth_<field>`), name first, secret second. */
export const METHOD_FIELDS: Readonly<Record<AuthMethod, readonly [string, string]>> = {
  user: ['user_account', 'user_password'],
  'local-account': ['local_account', 'local_password'],
  'service-account': ['service_account', 'service_password'],
  'jamf-client': ['jamf_client', 'jamf_secret'],
  'jamf-account': ['jamf_account', 'jamf_password'],
};

/** The seed's priority: the user's password > local account > service account > API client > Jamf account. */
export const METHOD_PRIORITY: readonly AuthMethod[] = ['user', 'local-account', 'service-account', 'jamf-client', 'jamf-account'];

/**
 * Where a replacement is written before it becomes current (design.md §10: "staged under other
 * `superd_auth_*` names until it is verified"): `jamf_secret` → `staged_jamf_secret`, so the
 * keychain account is `superd_auth_staged_jamf_secret`.
 */
export function stagedField(field: string): string {
  return `staged_${field}`;
}

/** Every staged field of every method, name before secret. */
export const ALL_STAGED_FIELDS: readonly string[] = METHOD_PRIORITY.flatMap((m) => METHOD_FIELDS[m].map(stagedField));
