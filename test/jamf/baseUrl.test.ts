import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../daemon/errors';
import { exitStatusFor } from '../../daemon/exitStatus';
import { loadJamfBaseUrl, readJssUrl, resolveJamfBaseUrl } from '../../daemon/jamf';
import { loadPlist } from '../helpers/plist';

describe('resolveJamfBaseUrl: which server, normalised', () => {
  test.each([
    ['custom URL wins over jss_url', { customUrl: 'https://jamf-api.example.com', jssUrl: 'https://jss.example.com/' }, 'https://jamf-api.example.com/', 'AuthJamfCustomURL'],
    ['jss_url when no custom URL', { jssUrl: 'https://example.jamfcloud.com/' }, 'https://example.jamfcloud.com/', 'jss_url'],
    ['jss_url when the custom URL is empty', { customUrl: '  ', jssUrl: 'https://example.jamfcloud.com' }, 'https://example.jamfcloud.com/', 'jss_url'],
    ['on-prem port kept, slash added', { jssUrl: 'https://jss.corp.example:8443' }, 'https://jss.corp.example:8443/', 'jss_url'],
    ['repeated trailing slashes collapse', { customUrl: 'https://jamf.example.com///' }, 'https://jamf.example.com/', 'AuthJamfCustomURL'],
    ['a context path is kept', { jssUrl: 'https://jss.corp.example:8443/jamf' }, 'https://jss.corp.example:8443/jamf/', 'jss_url'],
    ['host is lower-cased, default port dropped', { customUrl: 'HTTPS://Jamf.Example.COM:443/' }, 'https://jamf.example.com/', 'AuthJamfCustomURL'],
    ['surrounding whitespace ignored', { jssUrl: ' https://example.jamfcloud.com/\n' }, 'https://example.jamfcloud.com/', 'jss_url'],
  ])('%s', (_name, input, url, source) => {
    expect(resolveJamfBaseUrl(input)).toEqual({ url, source });
  });

  test.each([
    ['http custom URL', { customUrl: 'http://jamf.example.com/' }, 'AuthJamfCustomURL', /only talks to Jamf Pro over https/],
    ['http jss_url', { jssUrl: 'http://jss.corp.example:8080/' }, 'jss_url', /jss_url in \/Library\/Preferences\/com\.jamfsoftware\.jamf\.plist .*https.*Set AuthJamfCustomURL/s],
    ['a bad custom URL does not fall back to jss_url', { customUrl: 'jamf.example.com', jssUrl: 'https://ok.example.com/' }, 'AuthJamfCustomURL', /is not a URL/],
    ['missing both', {}, 'AuthJamfCustomURL', /no Jamf Pro server is configured.*has no jss_url.*--auth-jamf-custom-url/s],
    ['query not allowed', { customUrl: 'https://jamf.example.com/?x=1' }, 'AuthJamfCustomURL', /query or fragment/],
    ['credentials in the URL', { customUrl: 'https://admin:Hunter2Secret@jamf.example.com/' }, 'AuthJamfCustomURL', /user name or password/],
  ])('%s → ConfigError (exit 78) naming the setting and the fix', (_name, input, subject, message) => {
    let error: unknown;
    try {
      resolveJamfBaseUrl(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const config = error as ConfigError;
    expect(config.source).toBe('configuration');
    expect(exitStatusFor(config)).toBe(78);
    expect(config.issues[0]?.subject).toBe(subject);
    expect(config.message).toMatch(message);
    expect(config.message).not.toContain('Hunter2Secret');
  });
});

describe('loadJamfBaseUrl: reads jss_url from the jamf preferences under SUPERD_ROOT', () => {
  let root: string;
  const prefs = () => path.join(root, 'Library/Preferences/com.jamfsoftware.jamf.plist');
  const writePrefs = async (dict: Record<string, unknown>) => {
    const { build } = await loadPlist();
    await mkdir(path.dirname(prefs()), { recursive: true });
    await writeFile(prefs(), build(dict as Parameters<typeof build>[0]));
  };

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'superd-jamf-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('jss_url from the plist', async () => {
    await writePrefs({ jss_url: 'https://example.jamfcloud.com/', jss_url_version: 1 });
    await expect(readJssUrl(root)).resolves.toBe('https://example.jamfcloud.com/');
    await expect(loadJamfBaseUrl({ root })).resolves.toEqual({ url: 'https://example.jamfcloud.com/', source: 'jss_url' });
  });

  test('a custom URL is used, and the jamf plist is not even read (a broken one does not matter)', async () => {
    await mkdir(path.dirname(prefs()), { recursive: true });
    await writeFile(prefs(), '<plist><dict><key>jss_url</key>');
    await expect(loadJamfBaseUrl({ root, customUrl: 'https://jamf-api.example.com' }))
      .resolves.toEqual({ url: 'https://jamf-api.example.com/', source: 'AuthJamfCustomURL' });
  });

  test('no plist and no custom URL → ConfigError that says to enrol or set AuthJamfCustomURL', async () => {
    await expect(readJssUrl(root)).resolves.toBeUndefined();
    await expect(loadJamfBaseUrl({ root })).rejects.toThrow(/no Jamf Pro server is configured.*Enrol this Mac/s);
  });

  test('a jss_url that is not a string → ConfigError', async () => {
    await writePrefs({ jss_url: 42 });
    await expect(loadJamfBaseUrl({ root })).rejects.toThrow(ConfigError);
  });
});
