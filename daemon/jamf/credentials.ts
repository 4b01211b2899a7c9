/**
 * The two kinds of Jamf Pro API credential superd can hold (reference §1.1, §1.2).
 * `client`: an API client (client credentials grant). `account`: a Jamf Pro user account,
 * exchanged for a bearer token with HTTP Basic.
 */
export type JamfCredential =
  | {
      readonly kind: 'client';
      readonly clientId: string;
      readonly clientSecret: string;
      /**
       * A second API client asked for a token when this one's is refused (two clients for
       * fleet-safe rotation, docs/fleet-rotation.md); never another kind of credential.
       */
      readonly alternate?: { readonly clientId: string; readonly clientSecret: string };
    }
  | { readonly kind: 'account'; readonly username: string; readonly password: string };

/** Names a credential for messages and logs without its secret: `API client 6cab…` / `Jamf Pro account "svc"`. */
export function describeCredential(credential: JamfCredential): string {
  return credential.kind === 'client'
    ? `API client ${credential.clientId}`
    : `Jamf Pro account "${credential.username}"`;
}

/** The secret half of a credential, in every form it travels in (for masking). */
export function credentialSecrets(credential: JamfCredential): string[] {
  if (credential.kind === 'client') return credential.alternate ? [credential.clientSecret, credential.alternate.clientSecret] : [credential.clientSecret];
  const basic = Buffer.from(`${credential.username}:${credential.password}`, 'utf8').toString('base64');
  return [credential.password, basic];
}
