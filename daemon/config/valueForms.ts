/**
 * The forms of typed string values, each declared once as a JSON-schema pattern (used by the
 * Jamf Pro schema) and a check (used by superd's validator) built on the same expression, so the
 * two cannot disagree on the canonical forms (test/config/schemaAgreement.test.ts).
 */
import type { StringCheck } from './keyTypes';

/**
 * A real calendar date YYYY-MM-DD (years 1000–9999; 29 February only in leap years). super checks
 * only the shape (`REGEX_DATE`, super L691) and hands the value to `date -j`; superd refuses a day
 * that does not exist rather than guess what it meant.
 */
const MONTH_DAY = '(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))';
const LEAP_DAY = '(?:[1-9][0-9](?:0[48]|[2468][048]|[13579][26])|(?:[13579][26]|[2468][048])00)-02-29';
const DATE = `(?:[1-9][0-9]{3}-${MONTH_DAY}|${LEAP_DAY})`;
const TIME = '(?:[01][0-9]|2[0-3]):[0-5][0-9]';

/** The forms the Jamf Pro schema offers: `YYYY-MM-DD:hh:mm`, or `YYYY-MM-DD` (midnight). */
export const DEADLINE_DATE_PATTERN = `^(X|${DATE}(:${TIME})?)$`;

/**
 * super's deadline-date rule (super L2196–L2226 for DeadlineDateHard, the same for every date key):
 * the first 10 characters are the date, characters 12–16 the time; a missing time is 00:00, a
 * missing minute is :00, anything after the minute (seconds) is dropped. superd accepts the same
 * forms, normalises them to `YYYY-MM-DD:hh:mm` and says what it read.
 */
const LENIENT_DATE = new RegExp(`^(${DATE})(?:[: T]((?:[01][0-9]|2[0-3]))(?::([0-5][0-9]))?(?::[0-5][0-9])?)?$`);

export const checkDeadlineDate: StringCheck = (s) => {
  const m = LENIENT_DATE.exec(s);
  if (!m) return null;
  const [, date, hours, minutes] = m;
  const value = `${date}:${hours ?? '00'}:${minutes ?? '00'}`;
  if (value === s) return value;
  const why = hours === undefined ? 'has no time' : minutes === undefined ? 'has no minutes' : 'has seconds';
  return { value, note: `(${JSON.stringify(s)}) ${why}: superd reads it as ${value} local time, as super does` };
};

/** Digits only, or Jamf Pro's `$JSSID` (substituted when Jamf Pro delivers the profile). */
export const COMPUTER_ID_PATTERN = '^([0-9]{1,12}|\\$JSSID)$';
export const checkComputerId: StringCheck = (s) => (/^[0-9]{1,12}$/.test(s) ? String(Number(s)) : null);

/**
 * An https URL of a server: a host name (its last label starts with a letter, so it is never read
 * as an IP address), an optional port and path, no user, query or fragment.
 */
export const HTTPS_URL_PATTERN = '^(X|[Hh][Tt][Tt][Pp][Ss]://([A-Za-z0-9-]+\\.)*[A-Za-z][A-Za-z0-9-]*(:[1-9][0-9]{0,3})?(/[^\\s?#\\\\\\x00-\\x1f\\x7f]*)?)$';
export const checkHttpsUrl: StringCheck = (s) => {
  // The WHATWG URL parser would quietly drop tabs and line breaks, read `\` as `/` and an empty
  // authority (`https:///host`) as the host: such a value is refused, not silently repaired.
  if (!/^https:\/\/[^/]/i.test(s) || /[\s\\\u0000-\u001f\u007f]/.test(s)) return null;
  try {
    const url = new URL(s);
    if (url.protocol !== 'https:' || !url.hostname || url.username || url.password || url.search || url.hash || url.port === '0') return null;
    return url.href.endsWith('/') ? url.href : `${url.href}/`;
  } catch {
    return null;
  }
};

/**
 * macOS versions as super writes them (`REGEX_MACOS_TARGET_VERSION`, super L679), from macOS 11:
 * a major target may be `26`, `26.1` or `15.6.1`; a minor target needs the minor number (super L1533).
 */
const MAJOR = '(?:1[1-9]|[2-9][0-9])';
export const MAJOR_VERSION_PATTERN = `^(X|${MAJOR}(\\.[0-9]{1,2}){0,2})$`;
export const MINOR_VERSION_PATTERN = `^(X|${MAJOR}\\.[0-9]{1,2}(\\.[0-9]{1,2})?)$`;
const MAJOR_VERSION = new RegExp(`^${MAJOR}(\\.[0-9]{1,2}){0,2}$`);
const MINOR_VERSION = new RegExp(`^${MAJOR}\\.[0-9]{1,2}(\\.[0-9]{1,2})?$`);
export const checkMajorVersion: StringCheck = (s) => (MAJOR_VERSION.test(s) ? s : null);
export const checkMinorVersion: StringCheck = (s) => (MINOR_VERSION.test(s) ? s : null);
