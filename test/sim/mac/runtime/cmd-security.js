'use strict';
// /usr/bin/security: add/find/delete-generic-password and `security -i` (reference §9).
//
// The keychain lives in <root>/.fake/keychain.json. Values are stored exactly as given (superd
// stores base64 strings). Messages and exit statuses follow Apple's SecurityTool source:
// errSecItemNotFound -25300 -> exit 44, errSecDuplicateItem -25299 -> exit 45.

const fs = require('fs');
const { corpusCase } = require('./cmd-system.js');
const { readJson, writeJsonAtomic } = require('./context.js');

const NOT_FOUND = -25300;
const DUPLICATE = -25299;
const SYSTEM_KEYCHAIN = '/Library/Keychains/System.keychain';
const DEFAULT_KEYCHAIN = '<default>';
const COMMANDS = ['add-generic-password', 'add-internet-password', 'find-generic-password', 'find-internet-password', 'delete-generic-password', 'delete-internet-password'];

// getopt strings per command: letters followed by ':' take a value.
const OPTIONS = {
  'add-generic-password': 'a:c:C:D:G:j:l:s:w:T:UA',
  'find-generic-password': 'a:c:C:D:G:j:l:s:gw',
  'delete-generic-password': 'a:c:C:D:G:j:l:s:',
};

function parseOptions(spec, args) {
  const takes = {};
  for (let i = 0; i < spec.length; i += 1) {
    if (spec[i] === ':') continue;
    takes[spec[i]] = spec[i + 1] === ':';
  }
  const opts = { T: [] };
  let i = 0;
  for (; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--') {
      i += 1;
      break;
    }
    if (!/^-./.test(arg)) break;
    for (let j = 1; j < arg.length; j += 1) {
      const letter = arg[j];
      if (!(letter in takes)) return { error: `illegal option -- ${letter}` };
      if (!takes[letter]) {
        opts[letter] = true;
        continue;
      }
      const value = j + 1 < arg.length ? arg.slice(j + 1) : args[(i += 1)];
      if (value === undefined) return { error: `option requires an argument -- ${letter}` };
      if (letter === 'T') opts.T.push(value);
      else opts[letter] = value;
      break;
    }
  }
  opts.keychains = args.slice(i);
  return opts;
}

function keychainFile(ctx) {
  return ctx.fakeFile('keychain.json');
}

function loadItems(ctx) {
  return readJson(keychainFile(ctx), []);
}

function saveItems(ctx, items) {
  writeJsonAtomic(keychainFile(ctx), items);
}

function timedate(iso) {
  const text = `${iso.replace(/[-:T]/g, '').slice(0, 14)}Z`;
  return `0x${Buffer.from(`${text}\0`, 'latin1').toString('hex').toUpperCase()}  "${text}\\000"`;
}

function blob(value) {
  return value === undefined || value === null ? '<NULL>' : `"${value}"`;
}

function attributes(item) {
  const kc = item.keychain === DEFAULT_KEYCHAIN ? SYSTEM_KEYCHAIN : item.keychain;
  return `keychain: "${kc}"\nversion: 512\nclass: "genp"\nattributes:\n` +
    `    0x00000007 <blob>=${blob(item.label === undefined ? item.service : item.label)}\n` +
    '    0x00000008 <blob>=<NULL>\n' +
    `    "acct"<blob>=${blob(item.account)}\n` +
    `    "cdat"<timedate>=${timedate(item.created)}\n` +
    `    "crtr"<uint32>=${blob(item.creator)}\n` +
    '    "cusi"<sint32>=<NULL>\n' +
    `    "desc"<blob>=${blob(item.kind)}\n` +
    `    "gena"<blob>=${blob(item.generic)}\n` +
    `    "icmt"<blob>=${blob(item.comment)}\n` +
    '    "invi"<sint32>=<NULL>\n' +
    `    "mdat"<timedate>=${timedate(item.modified)}\n` +
    '    "nega"<sint32>=<NULL>\n' +
    '    "prot"<blob>=<NULL>\n' +
    '    "scrp"<sint32>=<NULL>\n' +
    `    "svce"<blob>=${blob(item.service)}\n` +
    `    "type"<uint32>=${blob(item.type)}\n`;
}

/** Items matching the given attributes, searching the given keychains (all when none given). */
function matching(items, opts) {
  return items.filter((item) =>
    (opts.a === undefined || item.account === opts.a) &&
    (opts.s === undefined || item.service === opts.s) &&
    (opts.l === undefined || item.label === opts.l) &&
    (opts.D === undefined || item.kind === opts.D) &&
    (opts.j === undefined || item.comment === opts.j) &&
    (opts.c === undefined || item.creator === opts.c) &&
    (opts.C === undefined || item.type === opts.C) &&
    (opts.keychains.length === 0 || opts.keychains.includes(item.keychain) ||
      (item.keychain === DEFAULT_KEYCHAIN && opts.keychains.includes(SYSTEM_KEYCHAIN))));
}

function notFound(ctx) {
  ctx.err(corpusCase(ctx, 'security/find-generic-password-not-found').stderr);
  return NOT_FOUND;
}

function addGeneric(ctx, opts) {
  const items = loadItems(ctx);
  const keychain = opts.keychains[0] === undefined ? DEFAULT_KEYCHAIN : opts.keychains[0];
  const now = new Date().toISOString();
  const sameKeychain = (item) => item.keychain === keychain ||
    (keychain === SYSTEM_KEYCHAIN && item.keychain === DEFAULT_KEYCHAIN) || (keychain === DEFAULT_KEYCHAIN && item.keychain === SYSTEM_KEYCHAIN);
  const existing = items.find((item) => sameKeychain(item) && item.account === (opts.a || '') && item.service === (opts.s || ''));
  if (existing && !opts.U) {
    // test/fixtures/macos/security/add-generic-password-duplicate.txt, with the keychain as given.
    ctx.err(corpusCase(ctx, 'security/add-generic-password-duplicate').stderr.replace('(/Library/Keychains/System.keychain)', `(${keychain})`));
    return DUPLICATE;
  }
  const fields = { label: opts.l, kind: opts.D, comment: opts.j, creator: opts.c, type: opts.C };
  if (existing) {
    // -U: update the password and the attributes that were given.
    if (opts.w !== undefined) existing.value = opts.w;
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) existing[key] = value;
    if (opts.T.length > 0) existing.trustedApps = opts.T;
    existing.modified = now;
  } else {
    const item = { keychain, account: opts.a || '', service: opts.s || '', value: opts.w === undefined ? '' : opts.w, trustedApps: opts.T, created: now, modified: now };
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) item[key] = value;
    items.push(item);
  }
  saveItems(ctx, items);
  return 0;
}

function findGeneric(ctx, opts) {
  const found = matching(loadItems(ctx), opts)[0];
  if (!found) return notFound(ctx);
  if (opts.w) {
    ctx.out(`${found.value}\n`);
    return 0;
  }
  ctx.out(attributes(found));
  if (opts.g) ctx.err(`password: "${found.value}"\n`);
  return 0;
}

function deleteGeneric(ctx, opts) {
  const items = loadItems(ctx);
  const found = matching(items, opts)[0];
  if (!found) return notFound(ctx);
  saveItems(ctx, items.filter((item) => item !== found));
  ctx.out(attributes(found));
  ctx.err('password has been deleted.\n');
  return 0;
}

// Kill-point hook for tests (test/auth/atomicReplace.test.ts), off unless the test writes
// <root>/.fake/security-block.json {"write": N, "when": "before"|"after"}. Every invocation that
// adds or deletes an item (a `security -i` batch counts once: superd's process is killed around
// a whole `security` process, which finishes on its own) is a keychain write, counted in
// <root>/.fake/security-writes; at the Nth, the fake records <root>/.fake/security-blocked.json
// {pid, write, when} and then waits, before or after applying that write, until it is killed.
// The test kills superd -9 there (and then this fake): a kill between two keychain steps. Real
// processes only: in the test's own process a wait would hang the test, so there the hook
// refuses (exit 70), unless a real process waits for it (test/sim/mac/nodeShimServer.ts).
const WRITES = new Set(['add-generic-password', 'delete-generic-password']);

function isWrite(argv) {
  return argv.length > 0 && WRITES.has(COMMANDS.find((command) => command.startsWith(argv[0])));
}

function blockPoint(ctx, commands) {
  if (!commands.some(isWrite)) return null;
  const hook = readJson(ctx.fakeFile('security-block.json'), null);
  if (!hook) return null;
  const counter = ctx.fakeFile('security-writes');
  const count = Number(readJson(counter, 0)) + 1;
  writeJsonAtomic(counter, count);
  return count === hook.write ? hook.when : null;
}

function blockForever(ctx, when) {
  if (ctx.pid !== process.pid && !ctx.canWait) throw new Error('the security-block hook needs real processes');
  const count = Number(readJson(ctx.fakeFile('security-writes'), 0));
  ctx.record();
  writeJsonAtomic(ctx.fakeFile('security-blocked.json'), { pid: ctx.pid, write: count, when });
  // Nothing ever clears this interval: the process waits here until the test kills it. Served
  // by test/sim/mac/nodeShimServer.ts (canWait), the waiting process is the server's shell, which
  // the test kills; this promise just never settles.
  if (ctx.pid === process.pid) setInterval(() => fs.existsSync(ctx.fakeDir), 60_000);
  return new Promise(() => undefined);
}

/** Runs one command (argv without `security`); returns the raw result (OSStatus or 1/2). */
function runCommand(ctx, argv) {
  const [typed, ...args] = argv;
  const name = COMMANDS.find((command) => command.startsWith(typed)); // prefix match, table order
  const spec = OPTIONS[name];
  if (!spec) {
    ctx.err(`security: unknown command "${typed}"\n`);
    return 2;
  }
  const opts = parseOptions(spec, args);
  if (opts.error) {
    ctx.err(`security: ${opts.error}\n`);
    return 2;
  }
  if (name === 'add-generic-password') return addGeneric(ctx, opts);
  if (name === 'find-generic-password') return findGeneric(ctx, opts);
  return deleteGeneric(ctx, opts);
}

/**
 * Splits one `security -i` line like SecurityTool's split_line: whitespace separates words,
 * '…' or "…" quote (also mid-word), a backslash escapes the next character inside or outside
 * quotes; at most 32 words (the rest is cut).
 */
function splitLine(line) {
  const words = [];
  let i = 0;
  while (i < line.length && words.length < 32) {
    while (i < line.length && /\s/.test(line[i])) i += 1;
    if (i >= line.length) break;
    let word = '';
    let quote = null;
    while (i < line.length) {
      const ch = line[i];
      if (ch === '\\') {
        i += 1;
        if (i >= line.length) break;
        word += line[i];
        i += 1;
      } else if (quote) {
        if (ch === quote) quote = null;
        else word += ch;
        i += 1;
      } else if (ch === '"' || ch === "'") {
        quote = ch;
        i += 1;
      } else if (/\s/.test(ch)) {
        break;
      } else {
        word += ch;
        i += 1;
      }
    }
    words.push(word);
  }
  return words;
}

async function interactive(ctx, quiet) {
  const text = await ctx.readStdin();
  let result = 0;
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  // Lines longer than 4096 bytes are cut (MAX_LINE_LEN in security.c).
  const commands = lines.map((raw) => splitLine(Buffer.from(raw.replace(/\r$/, ''), 'utf8').subarray(0, 4095).toString('utf8')));
  const block = blockPoint(ctx, commands);
  if (block === 'before') return blockForever(ctx, block);
  for (const argv of commands) {
    if (argv.length === 0) {
      result = 0; // an empty line is a command that returns 0
      continue;
    }
    if (argv[0] === 'quit' || argv[0] === 'exit') break;
    result = runCommand(ctx, argv);
    if (result !== 0 && !quiet) ctx.err(`${argv[0]}: returned ${result}\n`);
  }
  if (block === 'after') return blockForever(ctx, block);
  return result & 0xff;
}

async function security(ctx) {
  const argv = ctx.argv;
  let i = 0;
  let interactiveMode = false;
  let quiet = false;
  for (; i < argv.length && argv[i].startsWith('-'); i += 1) {
    const flags = argv[i].slice(1);
    if (flags.includes('i')) interactiveMode = true;
    if (flags.includes('q')) quiet = true;
    if (flags.includes('p')) {
      interactiveMode = true;
      i += 1; // the prompt, printed only when stdin is a TTY (never here)
    }
  }
  if (i < argv.length) {
    const block = blockPoint(ctx, [argv.slice(i)]);
    if (block === 'before') return blockForever(ctx, block);
    const result = runCommand(ctx, argv.slice(i)) & 0xff;
    return block === 'after' ? blockForever(ctx, block) : result;
  }
  if (interactiveMode) return interactive(ctx, quiet);
  ctx.err('Usage: security [-h] [-i] [-l] [-p prompt] [-q] [-v] [command] [opt ...]\n');
  return 2;
}

module.exports = { security, splitLine };
