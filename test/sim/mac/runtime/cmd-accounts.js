'use strict';
// dseditgroup, id, sysadminctl, diskutil apfs listcryptousers, scutil (reference §7, §8).

const { corpusCase } = require('./cmd-system.js');
const { findUser, findUserByUid, passwordHash, passwordMatches } = require('./context.js');

const GROUPS = { wheel: 0, daemon: 1, kmem: 2, sys: 3, tty: 4, operator: 5, procview: 8, procmod: 9, everyone: 12, staff: 20, certusers: 29, _appstore: 33, localaccounts: 61, _appserverusr: 79, admin: 80, _appserveradm: 81, _lpadmin: 98, _lpoperator: 100, _developer: 204, _analyticsusers: 250, 'com.apple.access_ftp': 395, 'com.apple.access_screensharing': 398, 'com.apple.access_ssh': 399 };
const ROOT = { name: 'root', uid: 0, gid: 0, groups: ['wheel', 'daemon', 'kmem', 'sys', 'tty', 'operator', 'procview', 'procmod', 'everyone', 'staff', 'certusers', 'localaccounts', 'admin', '_appstore', '_lpadmin', '_lpoperator', '_developer', '_analyticsusers', 'com.apple.access_ftp', 'com.apple.access_screensharing', 'com.apple.access_ssh'] };
const SYSTEM_ACCOUNTS = { _mbsetupuser: 248 };

function groupsOf(user) {
  // Representative order (reference §7.3).
  if (user.admin) return ['staff', 'everyone', 'localaccounts', '_appserverusr', 'admin', '_appserveradm', '_lpadmin', '_appstore', '_lpoperator', '_developer', '_analyticsusers', 'com.apple.access_ftp', 'com.apple.access_screensharing', 'com.apple.access_ssh'];
  return ['staff', 'everyone', 'localaccounts', '_lpoperator', 'com.apple.access_ftp', 'com.apple.access_screensharing', 'com.apple.access_ssh'];
}

/** {name, uid, gid, groups} for a user name or numeric id; undefined when unknown. */
function account(w, key) {
  const asNumber = /^\d+$/.test(key) ? Number(key) : undefined;
  if (key === 'root' || asNumber === 0) return ROOT;
  const user = asNumber === undefined ? findUser(w, key) : findUserByUid(w, asNumber);
  if (!user) return undefined;
  return { name: user.name, uid: user.uid, gid: 20, groups: groupsOf(user) };
}

// ---------------------------------------------------------------- dseditgroup (§7.3)

async function dseditgroup(ctx) {
  const w = ctx.world;
  const args = ctx.argv;
  const opt = (flag) => {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const operation = opt('-o');
  const group = args[args.length - 1];
  if (operation === 'checkmember') {
    const name = opt('-m');
    const user = findUser(w, name);
    if (!user && name !== 'root') {
      ctx.err(`Unable to find the user record for ${name}\n`); // wording and status unconfirmed
      return 64;
    }
    const member = name === 'root' ? ROOT.groups.includes(group) : groupsOf(user).includes(group);
    if (member) {
      ctx.out(`yes ${name} is a member of ${group}\n`);
      return 0;
    }
    ctx.out(`no ${name} is NOT a member of ${group}\n`);
    return 67; // one public script's handling; inconsistent between versions (reference §7.3)
  }
  if (operation === 'edit' && group === 'admin') {
    const add = opt('-a');
    const del = opt('-d');
    const user = findUser(w, add || del);
    if (!user) {
      ctx.err(`Unable to find the user record for ${add || del}\n`);
      return 64;
    }
    user.admin = Boolean(add);
    ctx.saveWorld();
    return 0;
  }
  ctx.err(`dseditgroup: unsupported arguments for the fake: ${args.join(' ')}\n`);
  return 64;
}

// ---------------------------------------------------------------- id (§7.3)

async function id(ctx) {
  const w = ctx.world;
  const flags = new Set();
  let target;
  for (const arg of ctx.argv) {
    if (/^-[a-zA-Z]+$/.test(arg)) for (const ch of arg.slice(1)) flags.add(ch);
    else target = arg;
  }
  const who = target === undefined ? account(w, String(w.processUid || 0)) : account(w, target);
  if (!who) {
    ctx.err(`id: ${target}: no such user\n`);
    return 1;
  }
  const names = flags.has('n');
  if (flags.has('u')) return ctx.out(`${names ? who.name : who.uid}\n`), 0;
  if (flags.has('g')) return ctx.out(`${names ? (who.gid === 0 ? 'wheel' : 'staff') : who.gid}\n`), 0;
  if (flags.has('G')) return ctx.out(`${who.groups.map((g) => (names ? g : GROUPS[g])).join(' ')}\n`), 0;
  const primary = who.gid === 0 ? 'wheel' : 'staff';
  ctx.out(`uid=${who.uid}(${who.name}) gid=${who.gid}(${primary}) groups=${who.groups.map((g) => `${GROUPS[g]}(${g})`).join(',')}\n`);
  return 0;
}

// ---------------------------------------------------------------- sysadminctl (§7.4)

const PASSWORD_OPTIONS = ['-password', '-adminPassword', '-newPassword', '-oldPassword'];
const FLAG_OPTIONS = ['-admin', '-roleAccount', '-keepHome', '-secure', '-GUI'];

/**
 * Options in argv order. A password option whose value is `-` reads that password as one line
 * of stdin, in argv order (e.g. `-password - -adminPassword -` reads two lines). sysadminctl
 * documents `-` as "prompt"; that it accepts a non-TTY stdin this way is UNCONFIRMED.
 */
async function sysadminOptions(ctx) {
  const options = {};
  for (let i = 0; i < ctx.argv.length; i += 1) {
    const arg = ctx.argv[i];
    if (FLAG_OPTIONS.includes(arg)) options[arg] = true;
    else if (arg.startsWith('-')) {
      let value = ctx.argv[(i += 1)];
      if (PASSWORD_OPTIONS.includes(arg) && value === '-') value = await ctx.nextLine();
      options[arg] = value;
    }
  }
  return options;
}

function adminUnlocks(w, options) {
  const admin = findUser(w, options['-adminUser']);
  return Boolean(admin && admin.admin && admin.secureToken && !admin.disabled && passwordMatches(admin, options['-adminPassword']));
}

function fakeGuid(name) {
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0;
  const hex = (h.toString(16).padStart(8, '0') + Buffer.from(name).toString('hex').padEnd(24, '0')).slice(0, 32).toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function addUser(ctx, options) {
  const w = ctx.world;
  const name = options['-addUser'];
  const log = (message) => ctx.err(ctx.nslog('sysadminctl', message));
  log('Creating user record\u2026');
  let uid = options['-UID'] === undefined ? undefined : Number(options['-UID']);
  if (findUser(w, name) || (uid !== undefined && w.users.some((u) => u.uid === uid))) {
    // Wording unconfirmed; sysadminctl exits 0 even for failures (reference §7.4).
    log(`### Error:-14135 File:DSRecord.m Line:563 (record ${name} or UID ${uid} already exists)`);
    return 0;
  }
  if (uid === undefined) for (uid = 501; w.users.some((u) => u.uid === uid); uid += 1);
  const unlocked = adminUnlocks(w, options);
  const tokenHolders = w.users.some((u) => u.secureToken);
  const secureToken = unlocked || !tokenHolders; // the first account on a volume gets a token
  w.users.push({
    name, passwordHash: passwordHash(options['-password'] === undefined || options['-password'] === null ? '' : options['-password']), uid,
    guid: fakeGuid(name), admin: Boolean(options['-admin']), secureToken, volumeOwner: secureToken && w.appleSilicon,
    disabled: false, hidden: false, realName: options['-fullName'] || name,
    home: options['-home'] || `/Users/${name}`, shell: options['-shell'] || '/bin/zsh',
  });
  if (!secureToken) log('Operation is not permitted without secure token unlock.'); // conditions unconfirmed
  ctx.saveWorld();
  return 0;
}

async function sysadminctl(ctx) {
  const w = ctx.world;
  const options = await sysadminOptions(ctx);
  const log = (message) => ctx.err(ctx.nslog('sysadminctl', message));
  if (options['-secureTokenStatus'] !== undefined) {
    const name = options['-secureTokenStatus'];
    const user = findUser(w, name);
    // Unknown users: behaviour unconfirmed; reported here as DISABLED.
    log(`Secure token is ${user && user.secureToken ? 'ENABLED' : 'DISABLED'} for user ${name}`);
    return 0;
  }
  if (options['-addUser'] !== undefined) return addUser(ctx, options);
  if (options['-deleteUser'] !== undefined) {
    const name = options['-deleteUser'];
    if (!findUser(w, name)) {
      log(`Unknown user ${name}`); // unconfirmed
      return 0;
    }
    w.users = w.users.filter((u) => u.name !== name);
    if (w.consoleUser === name) {
      w.consoleUser = null;
      w.consoleUserDefaulted = false;
    }
    ctx.saveWorld();
    log(`Deleting record for ${name}`); // unconfirmed
    return 0;
  }
  if (options['-secureTokenOn'] !== undefined) {
    const user = findUser(w, options['-secureTokenOn']);
    if (!user || !passwordMatches(user, options['-password']) || !adminUnlocks(w, options)) {
      log('Operation is not permitted without secure token unlock.');
      return 0;
    }
    user.secureToken = true;
    user.volumeOwner = w.appleSilicon;
    ctx.saveWorld();
    log(`Done! Secure token is ENABLED for user ${user.name}`); // wording unconfirmed
    return 0;
  }
  if (options['-resetPasswordFor'] !== undefined) {
    const user = findUser(w, options['-resetPasswordFor']);
    if (!user) return log(`Unknown user ${options['-resetPasswordFor']}`), 0;
    if (user.secureToken && !adminUnlocks(w, options)) {
      log('Operation is not permitted without secure token unlock.');
      return 0;
    }
    user.passwordHash = passwordHash(options['-newPassword'] === undefined || options['-newPassword'] === null ? '' : options['-newPassword']);
    ctx.saveWorld();
    return 0;
  }
  ctx.err('Usage: sysadminctl [options]\n');
  return 0;
}

// ---------------------------------------------------------------- diskutil (§7.5)

async function diskutil(ctx) {
  const w = ctx.world;
  const [verb, sub, target] = ctx.argv;
  if (verb !== 'apfs' || sub !== 'listcryptousers' || target === undefined) {
    ctx.err(`diskutil: the fake supports only "apfs listcryptousers /" (got "${ctx.argv.join(' ')}")\n`);
    return 1;
  }
  if (ctx.argv.includes('-plist')) {
    ctx.err('diskutil: -plist output is not modelled by the fake (shape unconfirmed, reference §7.5)\n');
    return 1;
  }
  const entries = w.users
    .filter((u) => u.secureToken || u.volumeOwner)
    .map((u) => ({ uuid: u.guid, type: 'Local Open Directory User', volumeOwner: Boolean(u.volumeOwner) }))
    .concat(w.cryptoUsers || []);
  const disk = w.cryptoDisk || (w.appleSilicon ? 'disk3s5' : 'disk1s5');
  let text = `Cryptographic user${entries.length === 1 ? '' : 's'} for ${disk} (${entries.length} found)\n`;
  entries.forEach((entry, index) => {
    const last = index === entries.length - 1;
    const bar = last ? '    ' : '|   ';
    text += `|\n+-- ${entry.uuid}\n${bar}Type: ${entry.type}\n`;
    // Apple silicon adds Volume Owner (ordering unconfirmed, reference §7.5).
    if (w.appleSilicon) text += `${bar}Volume Owner: ${entry.volumeOwner ? 'Yes' : 'No'}\n`;
  });
  ctx.out(text);
  return 0;
}

// ---------------------------------------------------------------- scutil (§8.1)

function consoleSessions(w) {
  if (w.consoleSessions) return w.consoleSessions;
  const name = w.consoleUser;
  const uid = consoleUid(w);
  return [{ user: name, uid, auditId: 100000 + uid, sessionId: 257, onConsole: true }];
}

function consoleUid(w) {
  const name = w.consoleUser;
  if (name === null || name === 'loginwindow' || name === 'root') return 0;
  if (SYSTEM_ACCOUNTS[name] !== undefined) return SYSTEM_ACCOUNTS[name];
  const user = findUser(w, name);
  return user ? user.uid : 0;
}

function consoleDump(w) {
  if (w.consoleUser === null || w.consoleUser === 'loginwindow') {
    // Only Name and UID are known for the login window (reference §8.1).
    return '<dictionary> {\n  GID : 0\n  Name : loginwindow\n  UID : 0\n}\n';
  }
  const sessions = consoleSessions(w).map((s, index) => {
    const user = findUser(w, s.user);
    const uid = s.uid !== undefined ? s.uid : user ? user.uid : consoleUid(w);
    const longName = user ? user.realName : s.user;
    return `    ${index} : <dictionary> {\n` +
      `      kCGSSessionAuditIDKey : ${s.auditId}\n      kCGSSessionGroupIDKey : 20\n      kCGSSessionIDKey : ${s.sessionId}\n` +
      '      kCGSSessionLoginwindowSafeLogin : FALSE\n' +
      `      kCGSSessionOnConsoleKey : ${s.onConsole ? 'TRUE' : 'FALSE'}\n      kCGSSessionSystemSafeBoot : FALSE\n` +
      `      kCGSSessionUserIDKey : ${uid}\n      kCGSSessionUserNameKey : ${s.user}\n      kCGSessionLoginDoneKey : TRUE\n` +
      `      kCGSessionLongUserNameKey : ${longName}\n      kSCSecuritySessionID : ${s.auditId}\n    }\n`;
  }).join('');
  return `<dictionary> {\n  GID : 20\n  Name : ${w.consoleUser}\n  SessionInfo : <array> {\n${sessions}  }\n  UID : ${consoleUid(w)}\n}\n`;
}

async function scutil(ctx) {
  const w = ctx.world;
  if (ctx.argv[0] === '--get') {
    const key = ctx.argv[1];
    const value = key === 'ComputerName' ? w.computerName : key === 'LocalHostName' ? w.computerName.replace(/[^A-Za-z0-9-]/g, '-') : undefined;
    if (value === undefined) return ctx.err(`${key}: not set\n`), 1;
    ctx.out(`${value}\n`);
    return 0;
  }
  // Commands on stdin, e.g. `show State:/Users/ConsoleUser`.
  for (const line of await ctx.stdinLines()) {
    const match = /^\s*show\s+(\S+)/.exec(line);
    if (!match) continue;
    if (match[1] === 'State:/Users/ConsoleUser' && !w.consoleUserKeyMissing) ctx.out(consoleDump(w));
    else ctx.out(corpusCase(ctx, 'scutil/no-such-key-early-boot').stdout);
  }
  return 0;
}

module.exports = { dseditgroup, id, sysadminctl, diskutil, scutil, consoleUid, fakeGuid };
