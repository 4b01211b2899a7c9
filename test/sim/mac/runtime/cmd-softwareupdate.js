'use strict';
// /usr/sbin/softwareupdate (reference §6).
//
// Streams: the banner (`Software Update Tool`, `Finding available software`) and
// `No new software available.` go to stderr, lists and progress to stdout, error sentences to
// stderr. That split is partly unconfirmed (reference §6.1, §15); parsers should accept either.

const { findUser, passwordMatches } = require('./context.js');
const { isMacOSItem } = require('./updates.js');

// Values from the captured 13.0 -> 13.3 download (asu.log): repeats while stalled, a jump after 60 %.
const PROGRESS = ['0.10', '1.00', '1.90', '3.00', '12.50', '25.00', '40.00', '53.90', '53.90', '54.90', '55.00', '60.00', '86.46', '95.00', '99.90', '100.00'];
const CANT_CONNECT = 'Can\u2019t connect to the Apple Software Update server.\n';
const COULDNT_COMMUNICATE = "Couldn't communicate with a helper application.\n";

function parseArgs(argv) {
  const opts = { labels: [], mode: undefined, flags: new Set() };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const takeLabels = () => {
      while (i + 1 < argv.length && !argv[i + 1].startsWith('-')) opts.labels.push(argv[(i += 1)]);
    };
    if (arg === '--list' || arg === '-l') opts.mode = 'list';
    else if (arg === '--list-full-installers') opts.mode = 'fullInstallers';
    else if (arg === '--download' || arg === '-d') (opts.mode = 'download'), takeLabels();
    else if (arg === '--install' || arg === '-i') (opts.mode = 'install'), takeLabels();
    else if (arg === '--user') opts.user = argv[(i += 1)];
    else if (arg === '--stdinpass') {
      // `--stdinpass` reads one line of stdin; super's macOS 12 form passes the password as the
      // next argument instead (`--stdinpass ""`), which the real tool also accepts.
      if (i + 1 < argv.length && !argv[i + 1].startsWith('-')) opts.argvPassword = argv[(i += 1)];
      else opts.stdinpass = true;
    } else opts.flags.add(arg);
  }
  return opts;
}

function listLine(item) {
  return `* Label: ${item.label}\n\tTitle: ${item.title}, Version: ${item.version}, Size: ${item.sizeKiB || 0}KiB, ` +
    `Recommended: ${item.recommended === false ? 'NO' : 'YES'}, ${item.restart ? 'Action: restart, ' : ''}\n`;
}

function scanFailure(ctx) {
  const scan = ctx.world.softwareupdateScan;
  if (scan === 'cantConnect') return ctx.err(CANT_CONNECT), true;
  if (scan === 'couldntCommunicate') return ctx.err(COULDNT_COMMUNICATE), true;
  return false;
}

async function list(ctx) {
  const w = ctx.world;
  ctx.err('Software Update Tool\n\nFinding available software\n');
  if (scanFailure(ctx)) return 1; // exit status of scan errors: unconfirmed
  if (w.availableUpdates.length === 0) {
    ctx.err('No new software available.\n');
    return 0;
  }
  ctx.out(`Software Update found the following new or updated software:\n${w.availableUpdates.map(listLine).join('')}`);
  return 0;
}

async function fullInstallers(ctx) {
  const w = ctx.world;
  ctx.err('Finding available software\n');
  if (scanFailure(ctx)) return 1;
  const lines = (w.fullInstallers || []).map((fi) => `* Title: ${fi.title}, Version: ${fi.version}, Size: ${fi.sizeKiB}KiB, Build: ${fi.build}` +
    `${fi.deferred === undefined ? '' : `, Deferred: ${fi.deferred ? 'YES' : 'NO'}`}\n`);
  ctx.out(`Software Update found the following full installers:\n${lines.join('')}`);
  return 0;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function progress(ctx, steps) {
  const delay = ctx.world.progressDelayMs || 0;
  for (const step of steps) {
    ctx.out(`Downloading: ${step}%\n`);
    if (delay > 0) await sleep(delay);
  }
}

/** Blocks until SIGTERM/SIGINT (the `hang` outcome; superd's timeout must end it). */
function hangForever(ctx) {
  ctx.record();
  return new Promise((resolve) => {
    const timer = setInterval(() => undefined, 1 << 30);
    const stop = () => {
      clearInterval(timer);
      resolve(143);
    };
    ctx.onStop(stop);
  });
}

/** Checks `--user NAME --stdinpass` against the world's users. */
async function authenticate(ctx, opts) {
  const w = ctx.world;
  let password = opts.argvPassword;
  if (opts.stdinpass) password = await ctx.nextLine();
  if (opts.user === undefined || password === undefined || password === null) return false;
  const user = findUser(w, opts.user);
  if (!user || user.disabled || !passwordMatches(user, password)) return false;
  return !w.appleSilicon || user.volumeOwner;
}

async function transfer(ctx, opts, install) {
  const w = ctx.world;
  const outcome = install ? w.softwareupdateInstall : w.softwareupdateDownload;
  ctx.err('Software Update Tool\n\nFinding available software\n');
  if (outcome === 'cantConnect') return ctx.err(CANT_CONNECT), 1;
  const all = opts.flags.has('--all') || opts.flags.has('-a') || opts.flags.has('--recommended') || opts.flags.has('-r');
  const items = all
    ? w.availableUpdates.filter((item) => opts.flags.has('--all') || opts.flags.has('-a') || item.recommended !== false)
    : opts.labels.map((label) => w.availableUpdates.find((item) => item.label === label) || { missing: label });
  if (items.length === 0) {
    ctx.err('No updates are available.\n'); // full sentence unconfirmed
    return 0;
  }
  const missing = items.find((item) => item.missing);
  if (missing) {
    ctx.err(`No such update: ${missing.missing}\n`); // wording unconfirmed
    return 1;
  }
  const needsAuth = items.some((item) => isMacOSItem(item)) && (install ? w.appleSilicon : false);
  const credentialsGiven = opts.user !== undefined || opts.stdinpass || opts.argvPassword !== undefined;
  const authOk = needsAuth || credentialsGiven ? await authenticate(ctx, opts) : true;
  for (const item of items) {
    if (!isMacOSItem(item)) {
      ctx.out(`\nDownloading ${item.title}\nDownloaded ${item.title}\n`);
      if (install) ctx.out(`Installing ${item.title}\nDone with ${item.title}\n`);
      continue;
    }
    ctx.out(`Downloading ${item.title}\n\n`);
    if (outcome === 'notEnoughSpace') return ctx.err(`Not enough free disk space to download ${item.title}.\n`), 1;
    if (outcome === 'hang') {
      // Recorded and stoppable before any progress: a caller that saw progress can rely on both.
      const hung = hangForever(ctx);
      ctx.out(`Downloading: ${PROGRESS[0]}%\nDownloading: ${PROGRESS[1]}%\n`);
      return hung;
    }
    if (!item.downloaded) await progress(ctx, PROGRESS);
    ctx.out(`Downloaded: ${item.title}\n`);
    if (outcome === 'authFailure' || !authOk) {
      // Real capture (super issue #219; test/fixtures/macos/softwareupdate/auth-failed-sonoma-14.5.txt):
      // `Failed to authenticate` right after `Downloaded: …`, in a merged log, exit status not
      // recorded. The fake takes the case superd must survive: on stdout, exit 0.
      ctx.out('Failed to authenticate\n');
      return 0;
    }
    item.downloaded = true;
    if (install) {
      w.restartPending = { label: item.label, title: item.title, version: item.version, restart: opts.flags.has('--restart') || opts.flags.has('-R') };
    }
  }
  if (install && items.every((item) => !isMacOSItem(item))) {
    ctx.out('Done.\n');
    w.availableUpdates = w.availableUpdates.filter((item) => !items.includes(item));
  }
  ctx.saveWorld();
  return 0;
}

async function softwareupdate(ctx) {
  const opts = parseArgs(ctx.argv);
  if (opts.mode === 'list') return list(ctx);
  if (opts.mode === 'fullInstallers') return fullInstallers(ctx);
  if (opts.mode === 'download') return transfer(ctx, opts, false);
  if (opts.mode === 'install') return transfer(ctx, opts, true);
  ctx.err('usage: softwareupdate <cmd> [<args> ...]\n');
  return 1;
}

module.exports = { softwareupdate, listLine };
