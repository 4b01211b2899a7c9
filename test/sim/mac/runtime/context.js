'use strict';
// Shared plumbing for the fakes: world state, invocation log, stdin, output.

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

/** Passwords are kept as hashes in world.json (same function as options.ts passwordHash). */
function passwordHash(password) {
  return crypto.createHash('sha256').update(`fake-mac-password:${password}`).digest('hex');
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

function splitLines(text) {
  if (text === '') return [];
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function createContext(root, command, argv) {
  const fakeDir = path.join(root, '.fake');
  const worldFile = path.join(fakeDir, 'world.json');
  let world;
  let stdinPromise;
  let stdinUsed = false;
  let recorded = false;
  let lineQueue;
  let lineReader;

  const ctx = {
    root,
    command,
    argv,
    fakeDir,
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
      process.stdout.write(text);
    },
    err(text) {
      process.stderr.write(text);
    },
    /** All of stdin as text. Marks the invocation as having used stdin when anything arrived. */
    readStdin() {
      if (!stdinPromise) {
        stdinPromise = readAllStdin().then((text) => {
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
      if (stdinPromise) {
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
      const tid = (process.pid * 7919) % 0xfffff;
      return `${localTimestamp()} ${name}[${process.pid}:${tid}] ${message}\n`;
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
