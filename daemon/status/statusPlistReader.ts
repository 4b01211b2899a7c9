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
 * a carriage return, a line separator U+0085, U+2028 or U+2029) returns null and the caller
 * reads the file with the full plist library, so this reader either gives the library's value
 * or none, never a different one
 * (test/status/statusPlistReader.test.ts checks this against the library).
 */
import type { PlistDict } from '../config/readPlist';

const HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n' +
  '<plist version="1.0">';

/**
 * Text between tags: no markup, no carriage return, no character XML 1.0 forbids; the four
 * escapes xmlbuilder writes. Nor U+0085, U+2028 or U+2029: the library's XML parser (@xmldom/xmldom
 * 0.9, dom-parser.js normalizeLineEndings) turns them into a line feed as XML 1.1 does, so such a
 * file is left to the library (a property test found a status message holding U+0085).
 */
const TEXT = /(?:[^<>&\r\u0085\u2028\u2029\0-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF]|&amp;|&lt;|&gt;|&#xD;)*/y;
const WHITESPACE = /[ \t\n]*/y;
const INTEGER = /^-?\d{1,15}$/;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&#xD;': '\r' };

/** The status plist's dictionary, or null when the text is not in the form superd writes. */
export function readStatusPlistText(text: string): PlistDict | null {
  if (!text.startsWith(HEADER)) return null;
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
  /** Text up to the closing tag, decoded; null when the closing tag does not follow. */
  const textUntil = (close: string): string | null => {
    TEXT.lastIndex = at;
    const raw = TEXT.exec(text)?.[0] ?? '';
    at += raw.length;
    if (!take(close)) return null;
    return raw.replace(/&amp;|&lt;|&gt;|&#xD;/g, (e) => ENTITIES[e] ?? e);
  };
  /** A value, or null for anything superd does not write. */
  const value = (): string | number | boolean | Date | null => {
    if (take('<string/>')) return '';
    if (take('<string>')) return textUntil('</string>');
    if (take('<true/>')) return true;
    if (take('<false/>')) return false;
    if (take('<integer>')) {
      const digits = textUntil('</integer>');
      return digits !== null && INTEGER.test(digits) ? Number(digits) : null;
    }
    if (take('<date>')) {
      const iso = textUntil('</date>');
      const date = iso !== null && DATE.test(iso) ? new Date(iso) : null;
      return date && !Number.isNaN(date.getTime()) ? date : null;
    }
    return null;
  };

  const dict: PlistDict = {};
  skipSpace();
  if (!take('<dict/>')) {
    if (!take('<dict>')) return null;
    for (;;) {
      skipSpace();
      if (take('</dict>')) break;
      if (!take('<key>')) return null;
      const key = textUntil('</key>');
      if (key === null || key === '' || key === '__proto__' || Object.hasOwn(dict, key)) return null;
      skipSpace();
      const v = value();
      if (v === null) return null;
      dict[key] = v;
    }
  }
  skipSpace();
  if (!take('</plist>')) return null;
  skipSpace();
  return at === text.length ? dict : null;
}
