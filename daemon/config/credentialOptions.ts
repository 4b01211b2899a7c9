/**
 * Credential options. They are accepted only on the command line (or standard input), never
 * from a profile, and are never saved as settings: the auth layer validates them and stores
 * them in the System keychain (issue 4).
 */
export interface CredentialOptionDef {
  /** Keychain field, as in `superd_auth_<field>`. */
  readonly field: string;
  readonly secret: boolean;
  /** What the value names: a local macOS account, a Jamf Pro account or API client, or a secret. */
  readonly names: 'mac-account' | 'jamf' | 'secret';
  /** The key an admin might (wrongly) put in a profile for it. */
  readonly profileKey: string;
}

export const credentialOptions = {
  'auth-local-account': { field: 'local_account', secret: false, names: 'mac-account', profileKey: 'AuthLocalAccount' },
  'auth-local-password': { field: 'local_password', secret: true, names: 'secret', profileKey: 'AuthLocalPassword' },
  'auth-service-add-via-admin-account': { field: 'service_admin_account', secret: false, names: 'mac-account', profileKey: 'AuthServiceAddViaAdminAccount' },
  'auth-service-add-via-admin-password': { field: 'service_admin_password', secret: true, names: 'secret', profileKey: 'AuthServiceAddViaAdminPassword' },
  'auth-service-account': { field: 'service_account', secret: false, names: 'mac-account', profileKey: 'AuthServiceAccount' },
  'auth-service-password': { field: 'service_password', secret: true, names: 'secret', profileKey: 'AuthServicePassword' },
  'auth-jamf-client': { field: 'jamf_client', secret: false, names: 'jamf', profileKey: 'AuthJamfClient' },
  'auth-jamf-secret': { field: 'jamf_secret', secret: true, names: 'secret', profileKey: 'AuthJamfSecret' },
  'auth-jamf-account': { field: 'jamf_account', secret: false, names: 'jamf', profileKey: 'AuthJamfAccount' },
  'auth-jamf-password': { field: 'jamf_password', secret: true, names: 'secret', profileKey: 'AuthJamfPassword' },
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

/** Control characters (NUL, tab, line breaks, DEL, C1) and Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * A macOS account short name as Apple documents it: up to 255 characters from a–z, A–Z, 0–9,
 * period, underscore and hyphen (Mac OS X Server "User Management", Managing Users: "Use only the
 * characters a through z, A through Z, 0 through 9, . (period), _ (underscore), or - (hyphen)").
 * A leading hyphen is refused as well: dscl, sysadminctl and diskutil would read it as an option.
 */
const MAC_SHORT_NAME = /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,254}$/;

/**
 * Checks the form of a credential option's value before anything uses it; returns the complaint
 * (which never repeats the value: it may be a secret, or hold line breaks that would forge log
 * lines), or null when the form is acceptable. Jamf Pro documents no limit on a user name or
 * client ID, so those are only kept to one line of at most 255 characters (no capture of a
 * longer one exists; refusing is the safe side). A secret may hold anything but NUL and line
 * breaks: every macOS tool superd hands one to reads it as one line of standard input.
 */
export function credentialValueProblem(option: CredentialOption, value: string): string | null {
  const def: CredentialOptionDef = credentialOptions[option];
  if (def.names === 'secret') {
    return /[\u0000\r\n]/.test(value) ? 'must be one line without NUL characters: superd hands a secret to macOS tools as one line of standard input (the value is not repeated here)' : null;
  }
  if (def.names === 'mac-account') {
    if (value === '.' || value === '..' || !MAC_SHORT_NAME.test(value)) {
      return 'must be the short name of a macOS account: up to 255 letters A–Z or a–z, digits, periods, underscores and hyphens, not beginning with a hyphen (the value is not repeated here)';
    }
    return null;
  }
  if (CONTROL.test(value) || value.length > 255) {
    return 'must be one line of at most 255 characters without control characters (the value is not repeated here)';
  }
  return null;
}
