'use strict';
// Shared plumbing for the fakes: world state, invocation log, stdin, output.

// child_process and crypto load where used: most fakes need neither, and every fake command is
// a new Node process (crypto alone adds about 18 ms to each start).
const fs = require('fs');
const path = require('path');

/** Passwords are kept as hashes in world.json (same function as options.ts passwordHash). */
function passwordHash(password) {
  return require('crypto').createHash('sha256').update(`fake-mac-password:${password}`).digest('hex');
}

function passwordMatches(user, candidate) {
  return Boolean(user) && typeof candidate === 'string' && user.passwordHash === passwordHash(candidate);
}

function readJson(file, fallback) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if (fallback !== undefined && error && error.code === 'ENOENT') return fallback;
    throw error;
  }
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
function writeJsonAtomic(file, value) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

function pad(n, width) {
  return String(n).padStart(width, '0');
}

/** Local time as `YYYY-MM-DD HH:MM:SS.mmm` (NSLog, log stream compact style). */
function localTimestamp(date) {
  const d = date || new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)} ` +
    `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}.${pad(d.getMilliseconds(), 3)}`;
}

/** Reads all of standard input (never from a TTY). Resolves '' when stdin is closed or absent. */
function readAllStdin() {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    if (!stdin || stdin.isTTY) {
      resolve('');
      return;
    }
    const chunks = [];
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'));
    stdin.on('data', (chunk) => chunks.push(chunk));
    stdin.on('end', done);
    stdin.on('error', done);
  });
}

/** Lines of stdin one by one as they arrive; null at EOF. */
function createLineReader(onData) {
  const stdin = process.stdin;
  const lines = [];
  const waiting = [];
  let buffer = '';
  let ended = !stdin || stdin.isTTY;
  const flush = () => {
    while (waiting.length > 0 && (lines.length > 0 || ended)) waiting.shift()(lines.length > 0 ? lines.shift() : null);
  };
  if (!ended) {
    stdin.on('data', (chunk) => {
      onData();
      buffer += chunk.toString('utf8');
      const parts = buffer.split('\n');
      buffer = parts.pop();
      for (const line of parts) lines.push(line.replace(/\r$/, ''));
      flush();
    });
    const end = () => {
      if (buffer !== '') lines.push(buffer.replace(/\r$/, ''));
      buffer = '';
      ended = true;
      flush();
    };
    stdin.on('end', end);
    stdin.on('error', end);
  }
  return () =>
    new Promise((resolve) => {
      waiting.push(resolve);
      flush();
    });
}

/**
 * The default way to run another fake from a fake (`launchctl asuser`): a child process with
 * stdio passed through; SIGTERM/SIGINT are forwarded to it. Resolves its exit status.
 */
function spawnInherited(file, argv, extraEnv) {
  return new Promise((resolve) => {
    const child = require('child_process').spawn(file, argv, { stdio: 'inherit', env: Object.assign({}, process.env, extraEnv) });
    const forward = (signal) => child.kill(signal);
    process.on('SIGTERM', forward);
    process.on('SIGINT', forward);
    child.on('error', () => resolve(1));
    child.on('exit', (code, signal) => resolve(code === null ? 128 + (signal === 'SIGKILL' ? 9 : 15) : code));
  });
}

/** Aborts when this process gets SIGTERM or SIGINT (listeners are installed on first use only). */
function processStopSignal() {
  const controller = new AbortController();
  process.once('SIGTERM', () => controller.abort());
  process.once('SIGINT', () => controller.abort());
  return controller.signal;
}

function splitLines(text) {
  if (text === '') return [];
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * The context a handler gets. `io` replaces the process's own plumbing for a fake run inside
 * another process (test/sim/mac/inProcessRunner.ts); every field is optional and defaults to the
 * launcher's process: `stdin` (all of standard input as text), `out`/`err` (writers), `env`,
 * `signal` (aborts when the fake must stop: SIGTERM/SIGINT), `pid`, and `exec(file, argv, env)`
 * (runs another fake with the same standard streams, resolves its exit status).
 */
function createContext(root, command, argv, io) {
  const given = io || {};
  const fakeDir = path.join(root, '.fake');
  const worldFile = path.join(fakeDir, 'world.json');
  let world;
  let stdinPromise;
  let stdinUsed = false;
  let recorded = false;
  let lineQueue;
  let lineReader;
  let stopSignal = given.signal;

  const ctx = {
    root,
    command,
    argv,
    fakeDir,
    env: given.env || process.env,
    pid: given.pid === undefined ? process.pid : given.pid,
    /** Set by test/sim/mac/nodeShimServer.ts: a real process (its shell) waits for this fake, so the fake may wait until killed. */
    canWait: given.canWait === true,
    /** Aborts when the fake must stop (SIGTERM/SIGINT for a process). */
    get signal() {
      if (!stopSignal) stopSignal = processStopSignal();
      return stopSignal;
    },
    /** Calls `fn` once when the fake must stop (at once when it already must). */
    onStop(fn) {
      if (ctx.signal.aborted) fn();
      else ctx.signal.addEventListener('abort', () => fn(), { once: true });
    },
    /** Runs another fake (a path under the root) with this fake's standard streams. */
    exec(file, execArgv, extraEnv) {
      return given.exec ? given.exec(file, execArgv, extraEnv || {}) : spawnInherited(file, execArgv, extraEnv || {});
    },
    /** The world state (lazily read once per process). */
    get world() {
      if (!world) world = readJson(worldFile);
      return world;
    },
    /** Re-reads world.json (for long-running fakes that must see updates). */
    reloadWorld() {
      world = readJson(worldFile);
      return world;
    },
    saveWorld() {
      if (world) writeJsonAtomic(worldFile, world);
    },
    file(macPath) {
      return path.join(root, macPath);
    },
    fakeFile(name) {
      return path.join(fakeDir, name);
    },
    out(text) {
      if (given.out) given.out(text);
      else process.stdout.write(text);
    },
    err(text) {
      if (given.err) given.err(text);
      else process.stderr.write(text);
    },
    /** All of stdin as text. Marks the invocation as having used stdin when anything arrived. */
    readStdin() {
      if (!stdinPromise) {
        const source = typeof given.stdin === 'string' ? Promise.resolve(given.stdin) : readAllStdin();
        stdinPromise = source.then((text) => {
          if (text.length > 0) stdinUsed = true;
          return text;
        });
      }
      return stdinPromise;
    },
    async stdinLines() {
      return splitLines(await ctx.readStdin());
    },
    /**
     * The next line of stdin, or null at EOF (prompts read answers one by one). Read as lines
     * arrive, so a prompt can be answered after it was printed (the fake expect does that).
     */
    async nextLine() {
      // Stdin given as text (in-process) is all there from the start, as a closed pipe would be.
      if (stdinPromise || typeof given.stdin === 'string') {
        if (!lineQueue) lineQueue = await ctx.stdinLines();
        return lineQueue.length > 0 ? lineQueue.shift() : null;
      }
      if (!lineReader) lineReader = createLineReader(() => (stdinUsed = true));
      return lineReader();
    },
    /** Appends this invocation to the log once. Long-running fakes call it early. */
    record() {
      if (recorded) return;
      recorded = true;
      const entry = { command, argv, stdinUsed, time: new Date().toISOString() };
      try {
        fs.appendFileSync(path.join(fakeDir, 'invocations.jsonl'), `${JSON.stringify(entry)}\n`);
      } catch {
        // The root was removed under us (cleanup while a fake ran); nothing to record into.
      }
    },
    /** NSLog prefix `YYYY-MM-DD HH:MM:SS.mmm name[pid:tid] ` (sysadminctl, softwareupdate noise). */
    nslog(name, message) {
      const tid = (ctx.pid * 7919) % 0xfffff;
      return `${localTimestamp()} ${name}[${ctx.pid}:${tid}] ${message}\n`;
    },
  };
  return ctx;
}

/** Finds a user record by short name. */
function findUser(world, name) {
  return (world.users || []).find((user) => user.name === name);
}

function findUserByUid(world, uid) {
  return (world.users || []).find((user) => user.uid === uid);
}

/** The macOS major version as a number (15 for 15.5, 26 for 26.0). */
function osMajor(world) {
  return Number(String(world.macOS.productVersion).split('.')[0]);
}

/** Compares the world's version with "major.minor[.patch]": -1, 0 or 1. */
function compareOs(world, version) {
  const a = String(world.macOS.productVersion).split('.').map(Number);
  const b = String(version).split('.').map(Number);
  for (let i = 0; i < 3; i += 1) {
    const d = (a[i] || 0) - (b[i] || 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

module.exports = {
  createContext,
  passwordHash,
  passwordMatches,
  readJson,
  writeJsonAtomic,
  localTimestamp,
  splitLines,
  findUser,
  findUserByUid,
  osMajor,
  compareOs,
};
