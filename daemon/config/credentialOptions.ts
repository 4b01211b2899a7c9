/**
 * Credential options. They are accepted only on the command line (or standard input), never
 * from a profile, and are never saved as settings: the auth layer validates them and stores
 * them in the System keychain (issue 4).
 */
export interface CredentialOptionDef {
  /** Keychain field, as in `superd_auth_<field>`. */
  readonly field: string;
  readonly secret: boolean;
  /** The key an admin might (wrongly) put in a profile for it. */
  readonly profileKey: string;
}

export const credentialOptions = {
  'auth-local-account': { field: 'local_account', secret: false, profileKey: 'AuthLocalAccount' },
  'auth-local-password': { field: 'local_password', secret: true, profileKey: 'AuthLocalPassword' },
  'auth-service-add-via-admin-account': { field: 'service_admin_account', secret: false, profileKey: 'AuthServiceAddViaAdminAccount' },
  'auth-service-add-via-admin-password': { field: 'service_admin_password', secret: true, profileKey: 'AuthServiceAddViaAdminPassword' },
  'auth-service-account': { field: 'service_account', secret: false, profileKey: 'AuthServiceAccount' },
  'auth-service-password': { field: 'service_password', secret: true, profileKey: 'AuthServicePassword' },
  'auth-jamf-client': { field: 'jamf_client', secret: false, profileKey: 'AuthJamfClient' },
  'auth-jamf-secret': { field: 'jamf_secret', secret: true, profileKey: 'AuthJamfSecret' },
  'auth-jamf-account': { field: 'jamf_account', secret: false, profileKey: 'AuthJamfAccount' },
  'auth-jamf-password': { field: 'jamf_password', secret: true, profileKey: 'AuthJamfPassword' },
} as const satisfies Record<string, CredentialOptionDef>;

export type CredentialOption = keyof typeof credentialOptions;

/** Options that ask for an action rather than set a value. */
export const actionOptions = {
  'auth-delete-all': 'Remove every saved credential, the service account superd created, and their markers.',
  'auth-migrate-from-super': "Validate super's saved credentials and save them under superd's names.",
} as const;

export type ActionOption = keyof typeof actionOptions;

/** Credential pairs that must come together, as super requires (super-behaviour.md §1.3). */
export const credentialPairs: ReadonlyArray<readonly [CredentialOption, CredentialOption]> = [
  ['auth-local-account', 'auth-local-password'],
  ['auth-service-add-via-admin-account', 'auth-service-add-via-admin-password'],
  ['auth-jamf-client', 'auth-jamf-secret'],
  ['auth-jamf-account', 'auth-jamf-password'],
];

export function isCredentialOption(name: string): name is CredentialOption {
  return Object.hasOwn(credentialOptions, name);
}

export function isActionOption(name: string): name is ActionOption {
  return Object.hasOwn(actionOptions, name);
}
