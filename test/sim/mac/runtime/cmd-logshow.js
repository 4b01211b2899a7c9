'use strict';
// /usr/bin/log show (reference §12.4, §13), for `superd doctor`'s unified-log read-back.
// Every other verb (`log stream`) goes on to cmd-log.js unchanged.
//
// `log show [--last 30s|5m|2h|1d] [--style default|compact|ndjson|json] [--predicate P]
// [--info] [--debug]` prints the entries of <root>/.fake/unified.log that match, oldest first,
// in the asked style, then exits 0. Confirmed: the `log show --predicate 'eventMessage CONTAINS
// "…"' --last 1m` form finds a `logger` entry (reference §13, cameroncooke/mcpli capture);
// `--style ndjson` and the field names are those of `log stream` (reference §12.4).
// Unconfirmed, so left out rather than invented: the header and the closing statistics lines a
// real `log show` may print around the entries (superd's parser reads only lines starting
// with `{`). An unparsable --last is refused as real `log` does for bad arguments (exit 64,
// wording unconfirmed).

const fs = require('fs');
const { parseLine, render, compilePredicate } = require('./logformat.js');

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 };
const ENTRY_LEVEL = { Info: 1, Debug: 2 };

function parseShowArgs(argv) {
  const opts = { style: 'default', level: 0 };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const eq = /^--(style|predicate|last)=(.*)$/s.exec(arg);
    if (eq) opts[eq[1]] = eq[2];
    else if (/^--(style|predicate|last)$/.test(arg)) opts[arg.slice(2)] = argv[(i += 1)];
    else if (arg === '--info') opts.level = Math.max(opts.level, 1);
    else if (arg === '--debug') opts.level = 2;
  }
  return opts;
}

/** `2025-07-26 18:10:17.745652-0400` → epoch milliseconds (NaN when unreadable). */
function entryTime(timestamp) {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})\.(\d{3})\d*([+-]\d{2})(\d{2})$/.exec(String(timestamp));
  return m ? Date.parse(`${m[1]}T${m[2]}.${m[3]}${m[4]}:${m[5]}`) : Number.NaN;
}

function show(ctx) {
  const opts = parseShowArgs(ctx.argv.slice(1));
  const style = opts.style === 'json' ? 'ndjson' : opts.style;
  if (!['default', 'compact', 'ndjson', 'syslog'].includes(style)) {
    ctx.err(`log: invalid style: ${opts.style}\n`);
    return 64;
  }
  let since = -Infinity;
  if (opts.last !== undefined) {
    const m = /^(\d+)([smhd]?)$/.exec(opts.last);
    if (!m) {
      ctx.err(`log: invalid --last value: ${opts.last}\n`);
      return 64;
    }
    since = Date.now() - Number(m[1]) * UNIT_SECONDS[m[2] || 's'] * 1000;
  }
  const matches = compilePredicate(opts.predicate);
  let text = '';
  try {
    text = fs.readFileSync(ctx.fakeFile('unified.log'), 'utf8');
  } catch {
    text = '';
  }
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const entry = parseLine(line);
    if (!entry) continue;
    if ((ENTRY_LEVEL[entry.messageType] || 0) > opts.level) continue;
    const time = entryTime(entry.timestamp);
    if (Number.isFinite(time) && time < since) continue;
    if (matches(entry)) ctx.out(`${render(entry, style === 'syslog' ? 'default' : style)}\n`);
  }
  return 0;
}

async function log(ctx) {
  if (ctx.argv[0] === 'show') return show(ctx);
  return require('./cmd-log.js').log(ctx);
}

module.exports = { log };
