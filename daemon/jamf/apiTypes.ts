/** `GET api/v1/jamf-pro-version` (reference §2.1). */
export interface JamfProVersion {
  readonly version: string;
}

/**
 * `GET api/v1/auth` (`AuthorizationV1`, reference §1.5). Every field is optional: the body for an
 * API-client token is not documented.
 */
export interface JamfAuthorization {
  readonly account?: {
    readonly id?: string;
    readonly username?: string;
    readonly accessLevel?: 'FullAccess' | 'SiteAccess' | 'GroupBasedAccess' | string;
    readonly privilegeSet?: 'ADMINISTRATOR' | 'AUDITOR' | 'ENROLLMENT' | 'CUSTOM' | string;
    readonly privilegesBySite?: Readonly<Record<string, readonly string[]>>;
    readonly currentSiteId?: string;
  };
  readonly accountGroups?: readonly { readonly privileges?: readonly string[]; readonly siteId?: number }[];
  readonly sites?: readonly { readonly id: string; readonly name: string }[];
  readonly authenticationType?: string;
}
