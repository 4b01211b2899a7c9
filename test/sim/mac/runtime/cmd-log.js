'use strict';
// /usr/bin/log stream and /usr/bin/logger (reference §12, §13).
//
// The fake unified log is <root>/.fake/unified.log: one ndjson or compact line per entry,
// appended by FakeMac.emitLog() and by the fake logger. `log stream` prints its header, then
// every entry already in the file (unless world.logHistory is 'new-only'), then follows the
// file with fs.watch (no polling) until SIGTERM/SIGINT, rendering each entry in its --style and
// keeping those that match its --predicate (loosely; unknown fields match everything).

const fs = require('fs');
const path = require('path');
const { parseLine, render, headerLines, compilePredicate, makeEntry, longTimestamp } = require('./logformat.js');

const LEVELS = { default: 0, info: 1, debug: 2 };
const ENTRY_LEVEL = { Info: 1, Debug: 2 };

function parseStreamArgs(argv) {
  const opts = { style: 'default', level: 'default' };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const eq = /^--(style|predicate|level|type|process)=(.*)$/s.exec(arg);
    if (eq) opts[eq[1]] = eq[2];
    else if (/^--(style|predicate|level|type|process)$/.test(arg)) opts[arg.slice(2)] = argv[(i += 1)];
  }
  return opts;
}

function stream(ctx) {
  const opts = parseStreamArgs(ctx.argv.slice(1));
  const style = opts.style === 'json' ? 'ndjson' : opts.style; // json (an array) is rendered line by line
  if (!['default', 'compact', 'ndjson', 'syslog'].includes(style)) {
    ctx.err(`log: invalid style: ${opts.style}\n`);
    return 64;
  }
  const matches = compilePredicate(opts.predicate);
  const level = LEVELS[opts.level] === undefined ? 0 : LEVELS[opts.level];
  const file = ctx.fakeFile('unified.log');
  const pidFile = path.join(ctx.fakeDir, 'streams', String(process.pid));
  ctx.record();
  try {
    fs.mkdirSync(path.dirname(pidFile), { recursive: true });
    fs.writeFileSync(pidFile, '');
  } catch {
    // best effort: the pid file only lets FakeMac.cleanup() stop forgotten streams
  }

  // Order matters for callers that act as soon as they see the header: signal handlers, the
  // history offset and the file watcher are all in place before the first byte is printed.
  // Exit status on SIGTERM/SIGINT is unconfirmed for the real tool (reference §12).
  const stopRequested = new Promise((resolve) => {
    process.once('SIGTERM', () => resolve(0));
    process.once('SIGINT', () => resolve(0));
  });
  const write = (line) => process.stdout.write(`${line}\n`);

  let offset = 0;
  if (ctx.world.logHistory === 'new-only') {
    try {
      offset = fs.statSync(file).size;
    } catch {
      offset = 0;
    }
  }
  // The pid file holds how far into the log this stream has printed (test/sim/mac/logDelivered.ts).
  const printedUpTo = () => { try { fs.writeFileSync(pidFile, String(offset)); } catch { /* root gone */ } };
  printedUpTo();
  let partial = '';
  const drain = () => {
    let fd;
    try {
      fd = fs.openSync(file, 'r');
      const size = fs.fstatSync(fd).size;
      if (size < offset) offset = 0; // truncated: start over
      if (size === offset) return;
      const buffer = Buffer.alloc(size - offset);
      fs.readSync(fd, buffer, 0, buffer.length, offset);
      offset = size;
      partial += buffer.toString('utf8');
    } catch {
      return;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
    const lines = partial.split('\n');
    partial = lines.pop();
    for (const line of lines) {
      if (line.trim() === '') continue;
      const entry = parseLine(line);
      if (!entry) continue;
      if ((ENTRY_LEVEL[entry.messageType] || 0) > level) continue;
      if (matches(entry)) write(render(entry, style === 'syslog' ? 'default' : style));
    }
    printedUpTo();
  };

  return new Promise((resolve) => {
    let watcher;
    let done = false;
    const finish = (code) => {
      if (done) return;
      done = true;
      if (watcher) watcher.close();
      try {
        fs.unlinkSync(pidFile);
      } catch {
        // already gone with the root
      }
      resolve(code);
    };
    stopRequested.then(finish);
    process.stdout.on('error', () => finish(0)); // reader went away
    try {
      if (!fs.existsSync(file)) fs.writeFileSync(file, '', { flag: 'a' });
      watcher = fs.watch(file, (event) => {
        if (!fs.existsSync(file)) finish(0); // the fake Mac was removed
        else if (event === 'change' || event === 'rename') drain();
      });
      watcher.on('error', () => finish(0));
    } catch {
      finish(0);
      return;
    }
    for (const line of headerLines(style === 'syslog' ? 'default' : style, opts.predicate)) write(line);
    drain();
  });
}

async function log(ctx) {
  const verb = ctx.argv[0];
  if (verb === 'stream') return stream(ctx);
  ctx.err(`log: the fake supports only "log stream" (got "${verb === undefined ? '' : verb}")\n`);
  return 64;
}

function loggerType(priority) {
  const level = String(priority || '').split('.').pop();
  if (/^(err|error|crit|alert|emerg|panic)$/.test(level)) return 'Error';
  if (level === 'debug') return 'Debug';
  if (level === 'info') return 'Info';
  return 'Default';
}

/**
 * `logger [-t TAG] [-p PRI] [-i] [-s] [message ...]`; with no message, each stdin line is one
 * entry. As in the captured sample, the tag does not appear in eventMessage and the entry has no
 * subsystem (reference §13).
 */
async function logger(ctx) {
  const words = [];
  let priority;
  for (let i = 0; i < ctx.argv.length; i += 1) {
    const arg = ctx.argv[i];
    if (arg === '-t') i += 1; // the tag does not reach eventMessage (reference §13)
    else if (arg === '-p') priority = ctx.argv[(i += 1)];
    else if (arg === '-f') i += 1;
    else if (/^-[is]+$/.test(arg)) continue;
    else words.push(arg);
  }
  const messages = words.length > 0 ? [words.join(' ')] : await ctx.stdinLines();
  const threadID = (process.pid * 7919) % 0xfffff;
  const lines = messages.map((message) => JSON.stringify(makeEntry({
    process: 'logger',
    processImagePath: '/usr/bin/logger',
    processID: process.pid,
    threadID,
    senderImagePath: '/usr/lib/system/libsystem_trace.dylib',
    messageType: loggerType(priority),
    eventMessage: message,
    timestamp: longTimestamp(),
  })));
  if (lines.length > 0) fs.appendFileSync(ctx.fakeFile('unified.log'), `${lines.join('\n')}\n`);
  return 0;
}

module.exports = { log, logger };
