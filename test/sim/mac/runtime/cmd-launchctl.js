'use strict';
// /bin/launchctl print|bootstrap|bootout|kickstart|list|asuser (reference §10).
//
// world.launchd.loaded holds system-domain labels ("com.github.superd") and full targets for
// other domains ("gui/501/com.example.agent"); world.launchd.running the labels that have a pid.
// Apple's own com.apple.* services count as loaded and running.
// Faults for the package scripts (issue 17): world.launchd.bootstrapFailures makes the next N
// bootstraps fail with `Bootstrap failed: 5: Input/output error` (as captured in
// DeterminateSystems/nix-installer#1157 for `launchctl bootstrap system …`, stderr, exit 5);
// world.launchd.bootoutPendingPolls keeps a booted-out system job listed for N more `print`
// calls (launchd still draining it: tomcounsell/ai#2013 describes errno 5 from a bootstrap
// right after a bootout), held per label in world.launchd.draining.

const fs = require('fs');
const path = require('path');
const { compareOs } = require('./context.js');
const { consoleUid } = require('./cmd-accounts.js');

function parseTarget(target) {
  const m = /^(system|gui\/\d+|user\/\d+)\/(.+)$/.exec(target || '');
  return m ? { domain: m[1], label: m[2] } : undefined;
}

function key(domain, label) {
  return domain === 'system' ? label : `${domain}/${label}`;
}

function isLoaded(w, domain, label) {
  return (domain === 'system' && label.startsWith('com.apple.')) || w.launchd.loaded.includes(key(domain, label));
}

function domainText(domain) {
  return domain === 'system' ? 'system' : `user ${domain.replace('/', ': ')}`;
}

function domainExists(w, domain) {
  if (domain === 'system') return true;
  const uid = Number(domain.split('/')[1]);
  return w.consoleUser !== null && uid === consoleUid(w) && uid !== 0;
}

function notFound(ctx, domain, label) {
  ctx.err(`Could not find service "${label}" in domain for ${domainText(domain)}\n`);
  return 113;
}

/** Label and program arguments from an XML launchd plist (binary plists fall back to the file name). */
function readJob(file) {
  const text = fs.readFileSync(file, 'utf8');
  const label = /<key>Label<\/key>\s*<string>([^<]*)<\/string>/.exec(text);
  const args = /<key>ProgramArguments<\/key>\s*<array>([\s\S]*?)<\/array>/.exec(text);
  const program = args ? [...args[1].matchAll(/<string>([^<]*)<\/string>/g)].map((m) => m[1]) : [];
  return { label: label ? label[1] : path.basename(file).replace(/\.plist$/, ''), program };
}

function printService(ctx, domain, label) {
  const w = ctx.world;
  const running = label.startsWith('com.apple.') || w.launchd.running.includes(label);
  const folder = label.startsWith('com.apple.') ? '/System/Library/LaunchDaemons' : '/Library/LaunchDaemons';
  const plistPath = (w.launchd.paths && w.launchd.paths[key(domain, label)]) || `${folder}/${label}.plist`;
  let program = [];
  try {
    program = readJob(ctx.file(plistPath)).program;
  } catch {
    program = [];
  }
  let text = `${domain}/${label} = {\n\tactive count = ${running ? 1 : 0}\n\tpath = ${plistPath}\n` +
    `\ttype = ${domain === 'system' ? 'LaunchDaemon' : 'LaunchAgent'}\n\tstate = ${running ? 'running' : 'not running'}\n\n`;
  if (program.length > 0) text += `\tprogram = ${program[0]}\n\targuments = {\n${program.map((a) => `\t\t${a}\n`).join('')}\t}\n\n`;
  text += '\tdefault environment = {\n\t\tPATH => /usr/bin:/bin:/usr/sbin:/sbin\n\t}\n\n' +
    `\tdomain = ${domain}\n`;
  if (running) text += `\tpid = ${1000 + (label.length * 37) % 8000}\n`;
  text += `\truns = ${running ? 1 : 0}\n\tlast exit code = ${running ? '(never exited)' : '0'}\n}\n`;
  ctx.out(text);
  return 0;
}

function save(ctx) {
  ctx.saveWorld();
}

function bootstrap(ctx, domain, plistPath) {
  const w = ctx.world;
  if (!domainExists(w, domain)) {
    ctx.err('Bootstrap failed: 125: Domain does not support specified action\n');
    return 125;
  }
  let job;
  try {
    const stat = fs.statSync(ctx.file(plistPath));
    // launchd refuses group/world-writable job files; it reports the catch-all error 5.
    if ((stat.mode & 0o022) !== 0) throw new Error('writable');
    job = readJob(ctx.file(plistPath));
  } catch {
    ctx.err('Bootstrap failed: 5: Input/output error\n');
    return 5;
  }
  if (isLoaded(w, domain, job.label) || (w.launchd.bootstrapFailures || 0) > 0) {
    if (!isLoaded(w, domain, job.label)) {
      w.launchd.bootstrapFailures -= 1;
      save(ctx);
    }
    ctx.err('Bootstrap failed: 5: Input/output error\n');
    return 5;
  }
  w.launchd.loaded.push(key(domain, job.label));
  w.launchd.paths = Object.assign({}, w.launchd.paths, { [key(domain, job.label)]: plistPath });
  save(ctx);
  return 0;
}

function bootout(ctx, args) {
  const w = ctx.world;
  const target = parseTarget(args[0]);
  if (!target && /^(user|gui)\/\d+$/.test(args[0] || '') && args.length === 1) {
    // The whole user session: log the user out.
    const uid = Number(args[0].split('/')[1]);
    if (w.consoleUser !== null && uid === consoleUid(w)) {
      w.consoleUser = null;
      w.consoleUserDefaulted = false;
      save(ctx);
    }
    return 0;
  }
  let domain;
  let label;
  let byPath = false;
  if (target) {
    ({ domain, label } = target);
  } else {
    domain = args[0];
    byPath = true;
    try {
      label = readJob(ctx.file(args[1] || '')).label;
    } catch {
      label = undefined;
    }
  }
  if (!label || !w.launchd.loaded.includes(key(domain, label))) {
    if (byPath) {
      ctx.err('Boot-out failed: 5: Input/output error\n');
      return 5;
    }
    ctx.err('Boot-out failed: 3: No such process\n');
    return 3;
  }
  w.launchd.running = w.launchd.running.filter((entry) => entry !== label);
  if (domain === 'system' && (w.launchd.bootoutPendingPolls || 0) > 0) {
    w.launchd.draining = Object.assign({}, w.launchd.draining, { [label]: w.launchd.bootoutPendingPolls });
  } else {
    w.launchd.loaded = w.launchd.loaded.filter((entry) => entry !== key(domain, label));
  }
  save(ctx);
  return 0;
}

/** A booted-out system job still draining: listed until its polls are used up, then gone. */
function drain(ctx, domain, label) {
  const w = ctx.world;
  const left = domain === 'system' && w.launchd.draining ? w.launchd.draining[label] : undefined;
  if (left === undefined) return;
  if (left > 0) {
    w.launchd.draining[label] = left - 1;
  } else {
    delete w.launchd.draining[label];
    w.launchd.loaded = w.launchd.loaded.filter((entry) => entry !== key(domain, label));
  }
  save(ctx);
}

function kickstart(ctx, args) {
  const w = ctx.world;
  const target = parseTarget(args.filter((a) => !a.startsWith('-'))[0]);
  if (!target) {
    ctx.err('Unrecognized target specifier.\n');
    return 1;
  }
  const { domain, label } = target;
  if (/softwareupdate/i.test(label) && label.startsWith('com.apple.') && compareOs(w, '14.4') >= 0) {
    // Apple blocks this from 14.4; text unconfirmed (reference §10.4).
    ctx.err(`Could not kickstart service "${label}": 1: Operation not permitted\n`);
    return 1;
  }
  if (!isLoaded(w, domain, label)) return notFound(ctx, domain, label);
  if (!label.startsWith('com.apple.') && !w.launchd.running.includes(label)) {
    w.launchd.running.push(label);
    save(ctx);
  }
  if (args.includes('-p')) ctx.out(`${1000 + (label.length * 37) % 8000}\n`);
  return 0;
}

/** Strips a leading `sudo [-u USER] [-H] [-E] [--]`; there is no fake sudo. */
function stripSudo(argv) {
  if (argv[0] !== 'sudo' && argv[0] !== '/usr/bin/sudo') return { argv, user: undefined };
  let i = 1;
  let user;
  while (i < argv.length && argv[i].startsWith('-')) {
    if (argv[i] === '-u') user = argv[(i += 1)];
    else if (argv[i] === '--') {
      i += 1;
      break;
    }
    i += 1;
  }
  return { argv: argv.slice(i), user };
}

/** `launchctl asuser UID CMD ...`: runs CMD (a fake under the root) with stdio passed through. */
function asuser(ctx, args) {
  const uid = args[0];
  const { argv, user } = stripSudo(args.slice(1));
  const command = argv[0];
  const file = command && command.startsWith('/') ? ctx.file(command) : undefined;
  if (!file || !fs.existsSync(file)) {
    ctx.err(`launchctl asuser: execvp(): No such file or directory: ${command}\n`); // wording unconfirmed
    return 1;
  }
  ctx.record();
  const env = { FAKE_MAC_ASUSER_UID: String(uid) };
  if (user !== undefined) env.FAKE_MAC_SUDO_USER = user;
  return ctx.exec(file, argv.slice(1), env);
}

async function launchctl(ctx) {
  const w = ctx.world;
  const [verb, ...args] = ctx.argv;
  switch (verb) {
    case 'print': {
      const target = parseTarget(args[0]);
      if (!target) {
        if (args[0] && !domainExists(w, args[0])) {
          ctx.err(`Could not find domain for ${domainText(args[0])}\n`);
          return 113; // exit code unconfirmed
        }
        ctx.out(`${args[0]} = {\n\ttype = ${args[0] === 'system' ? 'system' : 'gui'}\n}\n`);
        return 0;
      }
      if (!domainExists(w, target.domain)) {
        ctx.err(`Could not find domain for ${domainText(target.domain)}\n`);
        return 113;
      }
      drain(ctx, target.domain, target.label);
      if (!isLoaded(w, target.domain, target.label)) return notFound(ctx, target.domain, target.label);
      return printService(ctx, target.domain, target.label);
    }
    case 'bootstrap':
      return bootstrap(ctx, args[0], args[1]);
    case 'bootout':
      return bootout(ctx, args);
    case 'kickstart':
      return kickstart(ctx, args);
    case 'asuser':
      return asuser(ctx, args);
    case 'list':
      ctx.out(`PID\tStatus\tLabel\n${w.launchd.loaded.filter((l) => !l.includes('/')).map((l) => `${w.launchd.running.includes(l) ? 1000 + (l.length * 37) % 8000 : '-'}\t0\t${l}\n`).join('')}`);
      return 0;
    default:
      ctx.err(`Unrecognized subcommand: ${verb === undefined ? '' : verb}\n`);
      return 1;
  }
}

module.exports = { launchctl };
