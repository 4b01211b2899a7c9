'use strict';
// /usr/bin/dscl: read/create/delete/list on /Users, and -authonly (reference §7.1, §7.2).

const { findUser, passwordMatches, passwordHash } = require('./context.js');
const { splitLine } = require('./cmd-security.js');
const { corpusCase } = require('./cmd-system.js');

const DS = {
  recordNotFound: { code: -14136, name: 'eDSRecordNotFound' },
  authFailed: { code: -14090, name: 'eDSAuthFailed' },
  accountDisabled: { code: -14167, name: 'eDSAuthAccountDisabled' },
};

/** Exit status of a command the fake does not model (wording and status unconfirmed). */
const UNKNOWN_COMMAND = 1;

/** Exit status of a DS error: |code| mod 256 (56, 10, 87, …; reference cross-cutting fact 1). */
function dsExit(error) {
  return Math.abs(error.code) % 256;
}

function authenticationAuthority(user) {
  const values = [
    ';ShadowHash;HASHLIST:<SALTED-SHA512-PBKDF2,SRP-RFC5054-4096-SHA512-PBKDF2>',
    `;Kerberosv5;;${user.name}@LKDC:SHA1.0123456789ABCDEF0123456789ABCDEF01234567;LKDC:SHA1.0123456789ABCDEF0123456789ABCDEF01234567;`,
  ];
  if (user.secureToken) values.push(';SecureToken;');
  if (user.disabled) values.push(';DisabledUser;');
  return values;
}

function userAttributes(user) {
  const attrs = {
    AuthenticationAuthority: authenticationAuthority(user),
    GeneratedUID: [user.guid],
    NFSHomeDirectory: [user.home],
    Password: ['********'],
    PrimaryGroupID: ['20'],
    RealName: [user.realName],
    RecordName: [user.name],
    RecordType: ['dsRecTypeStandard:Users'],
    UniqueID: [String(user.uid)],
    UserShell: [user.shell],
  };
  if (user.hidden) attrs.IsHidden = ['1'];
  return attrs;
}

/** `Key: v1 v2`, or `Key:` then ` value` lines when a value contains a space (reference §7.1). */
function formatAttribute(key, values) {
  if (values.some((value) => /\s/.test(value))) return `${key}:\n${values.map((value) => ` ${value}\n`).join('')}`;
  return `${key}: ${values.join(' ')}\n`;
}

function recordNotFound(ctx) {
  ctx.err(corpusCase(ctx, 'dscl/read-record-not-found').stderr);
  return dsExit(DS.recordNotFound);
}

function userFromPath(ctx, recordPath) {
  const match = /^\/Users\/(.+)$/.exec(recordPath || '');
  return match ? findUser(ctx.world, match[1]) : undefined;
}

function xmlEscape(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `dscl -plist . -read` (documented flag; the exact shape is unconfirmed, reference §7.1). */
function plistRecord(attrs, keys) {
  const body = keys.filter((key) => attrs[key]).map((key) =>
    `\t<key>dsAttrTypeStandard:${key}</key>\n\t<array>\n${attrs[key].map((v) => `\t\t<string>${xmlEscape(v)}</string>\n`).join('')}\t</array>\n`).join('');
  return '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n' +
    `<plist version="1.0">\n<dict>\n${body}</dict>\n</plist>\n`;
}

function read(ctx, args) {
  const user = userFromPath(ctx, args[0]);
  if (!user) return recordNotFound(ctx);
  const attrs = userAttributes(user);
  const keys = args.length > 1 ? args.slice(1) : Object.keys(attrs).sort();
  if (ctx.plist) {
    ctx.out(plistRecord(attrs, keys));
    return 0;
  }
  for (const key of keys) {
    if (attrs[key]) ctx.out(formatAttribute(key, attrs[key]));
    else ctx.err(`No such key: ${key}\n`); // stream and exit status unconfirmed (reference §7.1)
  }
  return 0;
}

const SETTERS = {
  IsHidden: (user, values) => { user.hidden = values[0] === '1'; },
  RealName: (user, values) => { user.realName = values.join(' '); },
  UniqueID: (user, values) => { user.uid = Number(values[0]); },
  UserShell: (user, values) => { user.shell = values[0]; },
  NFSHomeDirectory: (user, values) => { user.home = values[0]; },
};

function create(ctx, args) {
  const match = /^\/Users\/(.+)$/.exec(args[0] || '');
  if (!match) return recordNotFound(ctx);
  const w = ctx.world;
  let user = findUser(w, match[1]);
  if (!user) {
    user = { name: match[1], passwordHash: passwordHash(''), uid: -1, guid: '', admin: false, secureToken: false, volumeOwner: false, disabled: false, hidden: false, realName: match[1], home: `/Users/${match[1]}`, shell: '/bin/zsh' };
    w.users.push(user);
  }
  if (args[1] && SETTERS[args[1]]) SETTERS[args[1]](user, args.slice(2));
  ctx.saveWorld();
  return 0;
}

function remove(ctx, args) {
  const user = userFromPath(ctx, args[0]);
  if (!user) return recordNotFound(ctx);
  const w = ctx.world;
  if (args[1] === undefined) w.users = w.users.filter((u) => u !== user);
  else if (args[1] === 'IsHidden') user.hidden = false;
  ctx.saveWorld();
  return 0;
}

function list(ctx, args) {
  if (args[0] !== '/Users') return recordNotFound(ctx);
  const users = ctx.world.users.slice().sort((a, b) => a.name.localeCompare(b.name));
  if (args[1] === undefined) {
    ctx.out(users.map((user) => `${user.name}\n`).join(''));
    return 0;
  }
  const width = Math.max(...users.map((user) => user.name.length), 0) + 1;
  for (const user of users) {
    const values = userAttributes(user)[args[1]];
    if (values) ctx.out(`${user.name.padEnd(width)}${values.join(' ')}\n`);
  }
  return 0;
}

/**
 * The two real lines of test/fixtures/macos/dscl/authonly-wrong-password.txt with this error's
 * code and name. The capture is merged; which line goes to which stream is unconfirmed, so the
 * fake puts the `DS Error` line on stderr and the `Authentication for node` line on stdout.
 */
function authFailure(ctx, error) {
  const lines = corpusCase(ctx, 'dscl/authonly-wrong-password').stdout.replace(/-14090/g, String(error.code)).replace(/eDSAuthFailed/g, error.name).split('\n');
  ctx.err(`${lines.find((line) => line.includes('DS Error'))}\n`);
  ctx.out(`${lines.find((line) => line.startsWith('Authentication for node'))}\n`);
  return dsExit(error);
}

/** Success prints nothing at all (reference §7.2). */
function authonly(ctx, name, password) {
  const user = findUser(ctx.world, name);
  if (!user) return authFailure(ctx, DS.recordNotFound);
  if (user.disabled) return authFailure(ctx, DS.accountDisabled);
  if (!passwordMatches(user, password)) return authFailure(ctx, DS.authFailed);
  return 0;
}

async function runCommand(ctx, command, args) {
  switch (command.replace(/^-/, '')) {
    case 'read':
      return read(ctx, args);
    case 'create':
    case 'append':
    case 'merge':
    case 'change':
      return create(ctx, args);
    case 'delete':
      return remove(ctx, args);
    case 'list':
      return list(ctx, args);
    case 'authonly': {
      // Without a password argument dscl would prompt; this fake reads it as a stdin line
      // (unconfirmed on a real Mac).
      const password = args.length >= 2 ? args[1] : await ctx.nextLine();
      return authonly(ctx, args[0], password);
    }
    default:
      ctx.err(`Unrecognized command: ${command}\n`);
      return UNKNOWN_COMMAND;
  }
}

/**
 * `dscl NODE` with no command reads commands from stdin, one per line, e.g.
 * `-authonly NAME PASSWORD` or `authonly NAME PASSWORD`, so the password never appears in argv.
 * UNCONFIRMED on a real Mac (reference §7.2; test/fixtures/macos/INDEX.md, "No capture exists"):
 * dscl's interactive mode exists, but whether it accepts authonly this way, how it quotes words
 * and what it prints around the result have not been verified. The fake splits words like
 * `security -i` (quotes and backslashes) and prints no prompt. A failed command prints the same
 * DS Error lines as the argument form, but the process exits 0: in interactive mode the exit
 * status belongs to the session, not to a failed command (reference §7.2), so superd must read
 * the text (daemon/host/dscl.ts parseAuthonly). A command the fake does not know still exits 1.
 */
async function interactive(ctx) {
  const lines = await ctx.stdinLines();
  let result = 0;
  for (const line of lines) {
    const words = splitLine(line);
    if (words.length === 0) continue;
    if (words[0] === 'quit' || words[0] === 'exit' || words[0] === 'q') break;
    const status = await runCommand(ctx, words[0], words.slice(1));
    if (status === UNKNOWN_COMMAND) result = status;
  }
  return result;
}

async function dscl(ctx) {
  ctx.plist = ctx.argv.includes('-plist');
  const argv = ctx.argv.filter((arg) => arg !== '-plist' && arg !== '-q' && arg !== '-raw');
  const node = argv[0];
  if (node === undefined) return interactive(ctx);
  if (argv.length === 1) return interactive(ctx);
  return runCommand(ctx, argv[1], argv.slice(2));
}

module.exports = { dscl, authenticationAuthority };
