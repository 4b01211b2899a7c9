/**
 * A reader for exactly the XML property list superd writes as its status file, so `superd
 * status` and the idle daemon's tick never load the plist library (@xmldom/xmldom, xmlbuilder).
 *
 * The form is what daemon/config/writePlist.ts produces through plist 5.0.0's `build` (xmlbuilder,
 * pretty printed): the XML declaration and Apple's DOCTYPE, `<plist version="1.0">`, one `<dict>`
 * of `<key>`s each followed by `<string>`, `<string/>`, `<integer>`, `<date>` (whole seconds,
 * `YYYY-MM-DDTHH:MM:SSZ`), `<true/>` or `<false/>`. xmlbuilder's text escaping is `&amp;`,
 * `&lt;`, `&gt;` and `&#xD;` for a carriage return (XMLStringifier.textEscape); that is the
 * only escaping accepted here. The same header is what Apple's plutil writes.
 *
 * Strict: anything else (a binary plist, a comment, CDATA, another entity, a real, nested
 * values, a duplicate or `__proto__` key, a date outside years 0000–9999, a byte-order mark,
 * a carriage return) returns null and the caller reads the file with the full plist library,
 * so this reader either gives the library's value or none, never a different one
 * (test/status/statusPlistReader.test.ts checks this against the library).
 */
import type { PlistDict } from '../config/readPlist';

const HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n' +
  '<plist version="1.0">';

/** Text between tags: no markup, no carriage return, no character XML 1.0 forbids; the four escapes xmlbuilder writes. */
const TEXT = /(?:[^<>&\r\0-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF]|&amp;|&lt;|&gt;|&#xD;)*/y;
const WHITESPACE = /[ \t\n]*/y;
const INTEGER = /^-?\d{1,15}$/;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&#xD;': '\r' };

class NotOurs {}
const notOurs = new NotOurs();

/** The status plist's dictionary, or null when the text is not in the form superd writes. */
export function readStatusPlistText(text: string): PlistDict | null {
  try {
    return parse(text);
  } catch (error) {
    if (error === notOurs) return null;
    throw error;
  }
}

function parse(text: string): PlistDict {
  if (!text.startsWith(HEADER)) throw notOurs;
  let at = HEADER.length;

  const skipSpace = () => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
  };
  const take = (literal: string): boolean => {
    if (!text.startsWith(literal, at)) return false;
    at += literal.length;
    return true;
  };
  const expect = (literal: string) => {
    if (!take(literal)) throw notOurs;
  };
  /** Text up to the closing tag, decoded. */
  const textUntil = (close: string): string => {
    TEXT.lastIndex = at;
    const raw = TEXT.exec(text)?.[0] ?? '';
    at += raw.length;
    expect(close);
    return raw.replace(/&amp;|&lt;|&gt;|&#xD;/g, (e) => ENTITIES[e] ?? e);
  };

  const dict: PlistDict = {};
  skipSpace();
  if (!take('<dict/>')) {
    expect('<dict>');
    for (;;) {
      skipSpace();
      if (take('</dict>')) break;
      expect('<key>');
      const key = textUntil('</key>');
      if (key === '' || key === '__proto__' || Object.hasOwn(dict, key)) throw notOurs;
      skipSpace();
      dict[key] = value();
    }
  }
  skipSpace();
  expect('</plist>');
  skipSpace();
  if (at !== text.length) throw notOurs;
  return dict;

  function value(): string | number | boolean | Date {
    if (take('<string/>')) return '';
    if (take('<string>')) return textUntil('</string>');
    if (take('<true/>')) return true;
    if (take('<false/>')) return false;
    if (take('<integer>')) {
      const digits = textUntil('</integer>');
      if (!INTEGER.test(digits)) throw notOurs;
      return Number(digits);
    }
    if (take('<date>')) {
      const iso = textUntil('</date>');
      const date = new Date(iso);
      if (!DATE.test(iso) || Number.isNaN(date.getTime())) throw notOurs;
      return date;
    }
    throw notOurs;
  }
}
