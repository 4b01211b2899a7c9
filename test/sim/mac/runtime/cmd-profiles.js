'use strict';
// /usr/bin/profiles: status -type enrollment|bootstraptoken, install/validate -type bootstraptoken
// (reference §4).

const { findUser, passwordMatches } = require('./context.js');

/** Reads `-name value` and `-name=value` options; returns {verb, options, flags}. */
function parseArgs(argv) {
  const options = {};
  const flags = new Set();
  let verb;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const eq = /^-(type|user|password|path|output|identifier)=(.*)$/.exec(arg);
    if (eq) options[eq[1]] = eq[2];
    else if (/^-(type|user|password|path|output|identifier)$/.test(arg)) options[arg.slice(1)] = argv[(i += 1)];
    else if (arg.startsWith('-')) flags.add(arg);
    else if (verb === undefined) verb = arg;
  }
  return { verb, options, flags };
}

function enrollmentStatus(w) {
  const e = w.enrollment;
  if (!e.enrolled) return 'Enrolled via DEP: No\nMDM enrollment: No\n';
  return `Enrolled via DEP: ${e.dep ? 'Yes' : 'No'}\n` +
    `MDM enrollment: Yes${e.userApproved ? ' (User Approved)' : ''}\n` +
    `MDM server: ${e.mdmServer}\n`;
}

function bootstrapStatus(w) {
  const b = w.bootstrap;
  const supported = w.enrollment.enrolled && b.supported;
  if (!supported) return 'profiles: Bootstrap Token supported on server: NO\n';
  return 'profiles: Bootstrap Token supported on server: YES\n' +
    `profiles: Bootstrap Token escrowed to server: ${b.escrowed ? 'YES' : 'NO'}\n`;
}

/**
 * `profiles install -type bootstraptoken`. Without -user/-password it prompts
 * `Enter the admin user name:` / `Enter the password for user 'NAME':` and, in this fake,
 * reads each answer as one line of stdin. UNCONFIRMED on a real Mac: the public samples drive
 * the prompts through a pseudo-terminal (expect); whether a non-TTY stdin is accepted is not
 * known (reference §4.4). The argv form (-user/-password) works too, as on macOS.
 * Success/failure wording beyond "profiles: Bootstrap Token escrowed" is unconfirmed.
 */
async function installBootstrap(ctx, options) {
  const w = ctx.world;
  let name = options.user;
  let password = options.password;
  if (name === undefined) {
    ctx.out('Enter the admin user name:');
    name = await ctx.nextLine();
    ctx.out('\n');
  }
  if (password === undefined) {
    ctx.out(`Enter the password for user '${name === null ? '' : name}':`);
    password = await ctx.nextLine();
    ctx.out('\n');
  }
  const user = name === null ? undefined : findUser(w, name);
  let reason;
  if (!w.enrollment.enrolled) reason = 'The device is not enrolled in MDM.';
  else if (!w.bootstrap.supported) reason = 'The MDM server does not support Bootstrap Token.';
  else if (!user || !passwordMatches(user, password) || user.disabled) reason = 'The user name or password is incorrect.';
  else if (!user.admin) reason = `The user '${name}' is not an administrator.`;
  else if (!user.secureToken) reason = `The user '${name}' does not have a secure token.`;
  if (reason) {
    ctx.err(`profiles: Bootstrap Token escrow failed. ${reason}\n`);
    return 1;
  }
  w.bootstrap.escrowed = true;
  w.bootstrap.valid = true;
  ctx.saveWorld();
  ctx.out('profiles: Bootstrap Token escrowed successfully\n');
  return 0;
}

async function profiles(ctx) {
  const w = ctx.world;
  const { verb, options } = parseArgs(ctx.argv);
  const type = options.type;
  if (verb === 'status' && type === 'enrollment') return ctx.out(enrollmentStatus(w)), 0;
  if (verb === 'status' && type === 'bootstraptoken') return ctx.out(bootstrapStatus(w)), 0;
  if (verb === 'install' && type === 'bootstraptoken') return installBootstrap(ctx, options);
  if (verb === 'validate' && type === 'bootstraptoken') {
    // reference §4.3: only the success line is confirmed.
    if (w.enrollment.enrolled && w.bootstrap.supported && w.bootstrap.escrowed && w.bootstrap.valid !== false) {
      ctx.out('profiles: Bootstrap Token validated.\n');
      return 0;
    }
    ctx.err('profiles: Bootstrap Token validation failed.\n');
    return 1;
  }
  if (verb === 'list' || verb === 'show') {
    ctx.out('There are no configuration profiles installed in the system domain\n');
    return 0;
  }
  ctx.err(`profiles: unsupported arguments for the fake: ${ctx.argv.join(' ')}\n`);
  return 1;
}

module.exports = { profiles, parseArgs };
