'use strict';
// /usr/bin/plutil -extract KEYPATH raw -o - FILE: the one form superd's Jamf Pro extension
// attributes (docs/extension-attributes/) use.
//
// Real format (plutil(1), macOS 12 and later; man page text in rtrouton's capture
// https://gist.github.com/rtrouton/4121821daa25ca139db07fe393c40a33): `-extract keypath fmt`
// "Outputs the value at keypath in the property list as a new plist of type fmt"; fmt `raw`
// prints a scalar as plain text followed by a newline: strings as they are, booleans
// `true`/`false`, numbers in decimal, dates in ISO 8601 (`2026-12-03T19:20:36Z`, UTC). A missing
// key or file exits 1 with a message on stderr; the EAs read only the exit status and stdout.
// The date form is also what public Jamf Pro EAs rely on (one turns `plutil -extract KEY raw -o -`
// into Jamf's date with `tr 'T' ' ' | tr -d Z`); not captured on a Mac here, so the EAs print a
// blank date for any other form. The stderr wording is not captured either (nothing parses it).
// Only XML property lists with a top-level dict are read here (what superd's status writer,
// daemon/config/writePlist.ts, produces); anything else exits 1 as unreadable.

const fs = require('fs');

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text) {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e) => {
    if (e[0] !== '#') return ENTITIES[e];
    return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

/** The keys of a flat XML plist dict (superd's status file has no nested containers) and their scalars as raw text. */
function topLevelScalars(xml) {
  const body = /<plist[^>]*>\s*<dict>([\s\S]*)<\/dict>\s*<\/plist>/.exec(xml);
  if (!body) return undefined;
  const out = {};
  const re = /<key>([^<]*)<\/key>\s*(?:<(string|date|integer|real)>([^<]*)<\/\2>|<(string|true|false)\s*\/>|<(dict|array|data)\b)/g;
  let m;
  while ((m = re.exec(body[1])) !== null) {
    const key = decode(m[1]);
    if (m[2] === 'date') out[key] = new Date(m[3]).toISOString().replace(/\.\d{3}Z$/, 'Z');
    else if (m[2]) out[key] = decode(m[3]);
    else if (m[4] === 'true' || m[4] === 'false') out[key] = m[4];
    else if (m[4] === 'string') out[key] = '';
    // Containers are not scalars: `raw` on them is not used by the EAs.
  }
  return out;
}

function plutil(ctx) {
  const a = ctx.argv;
  const ok = a.length === 6 && a[0] === '-extract' && a[2] === 'raw' && a[3] === '-o' && a[4] === '-';
  if (!ok) {
    ctx.err(`fake plutil: only "-extract KEYPATH raw -o - FILE" is implemented; got ${a.join(' ')}\n`);
    return 1;
  }
  const [, key, , , , file] = a;
  let xml;
  try {
    xml = fs.readFileSync(file.startsWith('/') ? file : ctx.file(file), 'utf8');
  } catch {
    ctx.err(`${file}: file does not exist or is not readable or is not a regular file (Error Domain=NSCocoaErrorDomain Code=260)\n`);
    return 1;
  }
  const values = topLevelScalars(xml);
  if (!values || !Object.prototype.hasOwnProperty.call(values, key)) {
    ctx.err(`Could not extract value, error: No value at that key path or invalid key path: ${key}\n`);
    return 1;
  }
  ctx.out(`${values[key]}\n`);
  return 0;
}

module.exports = { plutil };
