import { ConfigError } from '../errors';
import { superdPaths } from '../host/paths';

/** Where the Jamf Pro URL came from. */
export type JamfBaseUrlSource = 'AuthJamfCustomURL' | 'jss_url';

export interface ResolvedJamfBaseUrl {
  /** `https://host[:port]/[path/]`, always ending in exactly one `/`. API paths are resolved against it. */
  readonly url: string;
  readonly source: JamfBaseUrlSource;
}

/**
 * Chooses the Jamf Pro server superd talks to (design §8, reference §8.5): `AuthJamfCustomURL`
 * when it is set, otherwise `jss_url` from the jamf binary's preferences. Only https is accepted,
 * and the result always ends in one slash. A set custom URL is used even when `jss_url` exists,
 * and a bad custom URL is an error rather than a silent fall back to `jss_url`.
 */
export function resolveJamfBaseUrl(input: { customUrl?: string | null; jssUrl?: string | null }): ResolvedJamfBaseUrl {
  const custom = input.customUrl?.trim();
  if (custom) return { url: normaliseJamfUrl(custom, 'AuthJamfCustomURL'), source: 'AuthJamfCustomURL' };
  const jss = input.jssUrl?.trim();
  if (jss) return { url: normaliseJamfUrl(jss, 'jss_url'), source: 'jss_url' };
  throw new ConfigError(
    [{
      subject: 'AuthJamfCustomURL',
      message:
        `no Jamf Pro server is configured: AuthJamfCustomURL is not set and ${superdPaths.jamfPreferences} has no jss_url. ` +
        'Enrol this Mac in Jamf Pro, or set AuthJamfCustomURL (--auth-jamf-custom-url=https://your.jamf.server/).',
    }],
    'configuration',
  );
}

/**
 * Validates an https URL of a Jamf Pro server and normalises it to end in exactly one slash
 * (`https://jamf.example.com:8443` → `https://jamf.example.com:8443/`). `subject` names the
 * setting in the error (`AuthJamfCustomURL`, `jss_url`).
 */
export function normaliseJamfUrl(value: string, subject: string): string {
  const where = subject === 'jss_url' ? `jss_url in ${superdPaths.jamfPreferences}` : subject;
  const fix = subject === 'jss_url'
    ? 'Set AuthJamfCustomURL (--auth-jamf-custom-url) to the https URL of your Jamf Pro server.'
    : 'Use the https URL of your Jamf Pro server, e.g. https://example.jamfcloud.com/.';
  const fail = (problem: string) => new ConfigError([{ subject, message: `${problem}. ${fix}` }], 'configuration');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail(`${where} is not a URL`);
  }
  // Never echo a URL that carries a user name or password: it may be a secret.
  if (url.username || url.password) throw fail(`${where} contains a user name or password; credentials do not belong in the URL`);
  if (url.protocol !== 'https:') throw fail(`${where} is "${value}": superd only talks to Jamf Pro over https`);
  if (url.search || url.hash) throw fail(`${where} is "${value}": a query or fragment is not allowed`);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path}/`;
}
