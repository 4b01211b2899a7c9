'use strict';
// Entry point of every fake macOS command in a fake Mac root (test/sim/mac).
//
// Plain CommonJS on purpose: createFakeMac() copies this folder to <root>/.fake/runtime/
// and writes one small launcher per command that require()s this file, so the fakes run
// without a TypeScript build and on any Node >= 20. Each launcher passes the root (found
// from its own path) and the macOS path it stands for.
//
// World state: <root>/.fake/world.json (written by the builder, mutated by a few fakes).
// Invocation log: <root>/.fake/invocations.jsonl, one {command, argv, stdinUsed, time}
// per run. argv is recorded as given; the content of stdin is never recorded anywhere.

const { createContext } = require('./context.js');

const HANDLERS = {
  '/usr/bin/sw_vers': ['cmd-system.js', 'swVers'],
  '/usr/sbin/sysctl': ['cmd-system.js', 'sysctl'],
  '/usr/bin/arch': ['cmd-system.js', 'arch'],
  '/usr/sbin/ioreg': ['cmd-system.js', 'ioreg'],
  '/usr/sbin/system_profiler': ['cmd-system.js', 'systemProfiler'],
  '/usr/local/bin/jamf': ['cmd-jamf.js', 'jamf'],
  '/usr/bin/profiles': ['cmd-profiles.js', 'profiles'],
  '/usr/libexec/mdmclient': ['cmd-mdmclient.js', 'mdmclient'],
  '/usr/sbin/softwareupdate': ['cmd-softwareupdate.js', 'softwareupdate'],
  '/usr/bin/dscl': ['cmd-dscl.js', 'dscl'],
  '/usr/sbin/dseditgroup': ['cmd-accounts.js', 'dseditgroup'],
  '/usr/bin/id': ['cmd-accounts.js', 'id'],
  '/usr/sbin/sysadminctl': ['cmd-accounts.js', 'sysadminctl'],
  '/usr/sbin/diskutil': ['cmd-accounts.js', 'diskutil'],
  '/usr/sbin/scutil': ['cmd-accounts.js', 'scutil'],
  '/usr/bin/security': ['cmd-security.js', 'security'],
  '/bin/launchctl': ['cmd-launchctl.js', 'launchctl'],
  '/usr/bin/osascript': ['cmd-osascript.js', 'osascript'],
  '/usr/bin/log': ['cmd-logshow.js', 'log'], // show here; stream in cmd-log.js
  '/usr/bin/logger': ['cmd-log.js', 'logger'],
  '/usr/bin/plutil': ['cmd-plutil.js', 'plutil'],
  '/usr/bin/expect': ['cmd-expect.js', 'expect'],
};

/** The macOS paths of every fake, in a stable order (the builder writes one launcher each). */
const COMMANDS = Object.keys(HANDLERS);

/**
 * Runs the fake for `command` with `argv` and resolves its exit status. `io` (optional) replaces
 * the process's standard streams, environment, stop signal and pid (see createContext); without
 * it the fake uses this process's own, as a launcher does.
 */
async function dispatch(root, command, argv, io) {
  const ctx = createContext(root, command, argv, io);
  const entry = HANDLERS[command];
  let code;
  try {
    if (!entry) throw new Error(`no fake registered for ${command}`);
    const handler = require(`./${entry[0]}`)[entry[1]];
    code = await handler(ctx);
  } catch (error) {
    ctx.err(`fake ${command}: internal error: ${error && error.stack ? error.stack : String(error)}\n`);
    code = 70;
  }
  ctx.record();
  return typeof code === 'number' ? code : 0;
}

async function main(root, command) {
  process.exitCode = await dispatch(root, command, process.argv.slice(2));
}

module.exports = { main, dispatch, COMMANDS };
