import { ConfigError } from '../errors';
import { readPlistDict } from '../config/readPlist';
import { hostPath, superdPaths, superdRoot } from '../host/paths';
import { resolveJamfBaseUrl, type ResolvedJamfBaseUrl } from './baseUrl';

/**
 * Reads `jss_url` from `/Library/Preferences/com.jamfsoftware.jamf.plist` (under SUPERD_ROOT).
 * Returns undefined when the file or the key is absent (the Mac is not enrolled).
 */
export async function readJssUrl(root: string = superdRoot()): Promise<string | undefined> {
  const prefs = await readPlistDict(hostPath(superdPaths.jamfPreferences, root));
  const value = prefs?.jss_url;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ConfigError(
      [{ subject: 'jss_url', message: `jss_url in ${superdPaths.jamfPreferences} is not a string. Re-enrol this Mac, or set AuthJamfCustomURL.` }],
      'configuration',
    );
  }
  return value;
}

/**
 * The Jamf Pro base URL for this Mac: the custom URL when set (the jamf preferences are then not
 * read at all), otherwise `jss_url`. See {@link resolveJamfBaseUrl}.
 */
export async function loadJamfBaseUrl(input: { customUrl?: string | null; root?: string }): Promise<ResolvedJamfBaseUrl> {
  if (input.customUrl?.trim()) return resolveJamfBaseUrl({ customUrl: input.customUrl });
  return resolveJamfBaseUrl({ jssUrl: await readJssUrl(input.root) });
}
