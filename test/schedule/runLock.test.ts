/**
 * The lock discipline (daemon/host/lockFile.ts) and the run lock's bounded wait
 * (daemon/schedule/runLock.ts). Start times are real: /proc on this Linux machine (the macOS
 * `ps` branch is checked with an injected runner). Racing takers are real processes, from
 * dist/ (npm test builds it first; a bare jest on a fresh clone skips that test with a reason).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, linkSync, lstatSync, mkdirSync, symlinkSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AlreadyRunningError } from '../../daemon/errors';
import { exitStatusFor } from '../../daemon/exitStatus';
import { ABANDONED_TAKEOVER_MS, ownRecord, parseLockRecord, tryAcquire, type LockDeps, type LockRecord } from '../../daemon/host/lockFile';
import { linuxStartTime, parsePsStart, processStartTime } from '../../daemon/host/ps';
import type { RunCommand } from '../../daemon/host/runCommand';
import type { WaitClock } from '../../daemon/host/lockWait';
import { withRunLock } from '../../daemon/schedule/runLock';
import { systemLockDeps } from '../../daemon/schedule/lockDeps';

const DIST = path.join(__dirname, '../../dist/daemon');
const withBuild = existsSync(path.join(DIST, 'host/lockFile.js')) ? test : test.skip;

let dir: string;
let file: string;
let deps: LockDeps;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'superd-runlock-'));
  file = path.join(dir, 'run.lock');
  deps = systemLockDeps(dir);
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A real process that stays alive until killed; resolves once it runs (its pid has a start time). */
async function liveProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', "process.stdout.write('up\\n'); setInterval(() => {}, 1 << 30)"], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return child;
}

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return child.pid!;
}

const record = (r: Partial<LockRecord> & { pid: number }): LockRecord => ({ start: '', nonce: 'n-' + r.pid, holder: 'superd run', since: '2026-12-03T22:00:00.000Z', ...r });
const writeRecord = (r: LockRecord) => writeFileSync(file, `${JSON.stringify(r)}\n`);
const held = () => parseLockRecord(readFileSync(file, 'utf8'));
const leftovers = () => readdirSync(dir).filter((f) => f !== 'run.lock');

describe('taking the lock', () => {
  test('free: taken, the record names this process with its start time; release removes it', async () => {
    const me = await ownRecord('superd run', deps);
    expect(me.start).toBe(linuxStartTime(process.pid));
    const attempt = await tryAcquire(file, me, deps);
    expect(attempt.acquired).toBe(true);
    expect(held()).toEqual(me);
    if (attempt.acquired) attempt.lock.release();
    expect(existsSync(file)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  test('held by a live process with its start time: refused, naming the holder; the lock is untouched', async () => {
    const holder = await liveProcess();
    const theirs = record({ pid: holder.pid!, start: linuxStartTime(holder.pid!) as string });
    writeRecord(theirs);
    const attempt = await tryAcquire(file, await ownRecord('superd run', deps), deps);
    expect(attempt).toMatchObject({ acquired: false, holder: theirs });
    expect(held()).toEqual(theirs);
  });

  test('stale: the recorded pid is dead, so the lock is taken over', async () => {
    writeRecord(record({ pid: await deadPid(), start: '12345' }));
    const me = await ownRecord('superd run', deps);
    const attempt = await tryAcquire(file, me, deps);
    expect(attempt.acquired).toBe(true);
    expect(held()).toEqual(me);
    expect(leftovers()).toEqual([]);
  });

  test('recycled pid: alive, but started at another time than recorded, so the lock is taken over', async () => {
    const other = await liveProcess();
    const real = linuxStartTime(other.pid!) as string;
    writeRecord(record({ pid: other.pid!, start: String(Number(real) - 1) }));
    const me = await ownRecord('superd run', deps);
    expect((await tryAcquire(file, me, deps)).acquired).toBe(true);
    expect(held()).toEqual(me);
  });

  test.each([
    ['empty', ''],
    ['truncated JSON', '{"pid":12'],
    ['a pid of zero', JSON.stringify({ pid: 0, start: '', nonce: 'x', holder: 'superd run', since: '' })],
    ['wrong types', JSON.stringify({ pid: '1', start: 1, nonce: 'x', holder: 'superd run', since: '' })],
    ['binary', '\u0000\u0001\u0002'],
    ['too long to be a record', 'x'.repeat(10_000)],
  ])('corrupt (%s): taken over, never a crash', async (_what, text) => {
    writeFileSync(file, text);
    const me = await ownRecord('superd run', deps);
    expect((await tryAcquire(file, me, deps)).acquired).toBe(true);
    expect(held()).toEqual(me);
  });

  test('a symbolic link in the lock\'s place is never followed: removed and replaced by a real lock; its target is untouched', async () => {
    const target = path.join(dir, 'elsewhere');
    writeFileSync(target, 'keep me');
    symlinkSync(target, file);
    const me = await ownRecord('superd run', deps);
    expect((await tryAcquire(file, me, deps)).acquired).toBe(true);
    expect(lstatSync(file).isFile()).toBe(true);
    expect(held()).toEqual(me);
    expect(readFileSync(target, 'utf8')).toBe('keep me');
  });

  test("the old format (only a pid): held while that pid lives, since there is no start time to compare", async () => {
    const holder = await liveProcess();
    writeFileSync(file, `${holder.pid}\n`);
    expect((await tryAcquire(file, await ownRecord('superd run', deps), deps)).acquired).toBe(false);
    writeFileSync(file, `${await deadPid()}\n`);
    expect((await tryAcquire(file, await ownRecord('superd run', deps), deps)).acquired).toBe(true);
  });

  test('a start time superd cannot read is not a reason to take over a live holder (fail safe)', async () => {
    const holder = await liveProcess();
    writeRecord(record({ pid: holder.pid!, start: 'recorded' }));
    const blind: LockDeps = { startTimeOf: async () => 'unknown' };
    expect((await tryAcquire(file, await ownRecord('superd run', blind), blind)).acquired).toBe(false);
  });

  test('release removes only its own record: a lock taken over meanwhile stays', async () => {
    const me = await ownRecord('superd run', deps);
    const attempt = await tryAcquire(file, me, deps);
    if (!attempt.acquired) throw new Error('expected the lock');
    const theirs = record({ pid: 4242, start: '1' });
    rmSync(file);
    writeRecord(theirs);
    attempt.lock.release();
    expect(held()).toEqual(theirs);
  });
});

describe('the takeover marker', () => {
  const stale = async () => {
    writeRecord(record({ pid: await deadPid(), start: '1' }));
    return `${file}.takeover.${statSync(file).ino}`;
  };

  test('another taker holds the marker for this very lock: back off, take nothing', async () => {
    const marker = await stale();
    linkSync(file, marker);
    const attempt = await tryAcquire(file, await ownRecord('superd run', deps), deps);
    expect(attempt).toMatchObject({ acquired: false, why: expect.stringMatching(/taking over/) });
    expect(existsSync(marker)).toBe(true);
  });

  test('a marker left by a taker killed between its two steps is cleared after ABANDONED_TAKEOVER_MS', async () => {
    const marker = await stale();
    linkSync(file, marker);
    const later: LockDeps = { ...deps, now: () => new Date(statSync(marker).ctimeMs + ABANDONED_TAKEOVER_MS + 1) };
    const me = await ownRecord('superd run', later);
    expect((await tryAcquire(file, me, later)).acquired).toBe(false); // this try clears it…
    expect(existsSync(marker)).toBe(false);
    expect((await tryAcquire(file, me, later)).acquired).toBe(true); // …the next takes over
  });

  test("a dead process's private record (killed before it linked it) is swept once the lock is taken; a live one's is kept", async () => {
    const live = await liveProcess();
    const deadDraft = `${file}.new.${await deadPid()}.abc`;
    const liveDraft = `${file}.new.${live.pid}.def`;
    writeFileSync(deadDraft, '{}');
    writeFileSync(liveDraft, '{}');
    expect((await tryAcquire(file, await ownRecord('superd run', deps), deps)).acquired).toBe(true);
    expect(existsSync(deadDraft)).toBe(false);
    expect(existsSync(liveDraft)).toBe(true);
  });

  test('a marker of an earlier lock file (another inode) blocks nothing and is swept once the lock is taken', async () => {
    const marker = await stale();
    linkSync(file, marker);
    rmSync(file);
    writeRecord(record({ pid: await deadPid(), start: '1' })); // a new inode
    expect(statSync(file).ino).not.toBe(statSync(marker).ino);
    const me = await ownRecord('superd run', deps);
    expect((await tryAcquire(file, me, deps)).acquired).toBe(true);
    expect(existsSync(marker)).toBe(false);
  });
});

withBuild('racing takers of one stale lock (real processes): exactly one wins each round', async () => {
  const racer = path.join(dir, 'racer.js');
  // Each racer waits for the go file, tries once, prints the outcome, and keeps what it took
  // until the test ends it (so a loser cannot take a lock the winner already released).
  writeFileSync(racer, [
    "const fs = require('node:fs');",
    `const { tryAcquire, ownRecord } = require(${JSON.stringify(path.join(DIST, 'host/lockFile.js'))});`,
    `const { systemLockDeps } = require(${JSON.stringify(path.join(DIST, 'schedule/lockDeps.js'))});`,
    'const [file, go] = process.argv.slice(2);',
    // Each judgement of the holder takes a random 0–30 ms (a busy machine, made certain): the
    // other racers act in between, which a remove-and-retry takeover would not survive.
    'const system = systemLockDeps(require("node:path").dirname(file));',
    'const deps = { ...system, startTimeOf: (pid) => new Promise((r) => setTimeout(r, Math.random() * 30)).then(() => system.startTimeOf(pid)) };',
    'ownRecord("racer", deps).then((me) => {',
    "  process.stdout.write('ready\\n');",
    '  const tryIt = () => tryAcquire(file, me, deps).then((a) => process.stdout.write(JSON.stringify({ acquired: a.acquired, holder: a.acquired ? null : a.holder && a.holder.pid }) + "\\n"));',
    '  const wait = () => (fs.existsSync(go) ? tryIt() : setImmediate(wait));',
    '  wait();',
    '  setInterval(() => {}, 1 << 30);',
    '});',
  ].join('\n'));
  for (let round = 0; round < 6; round++) {
    const go = path.join(dir, `go-${round}`);
    // A recycled pid (alive, another start time): the takers must ask for its start time.
    const recycled = await liveProcess();
    const dead = recycled.pid!;
    writeRecord(record({ pid: dead, start: '1' }));
    const racers = Array.from({ length: 5 }, () => {
      const child = spawn(process.execPath, [racer, file, go], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      const lines: string[] = [];
      let buffer = '';
      const line = (want: (l: string) => boolean) => new Promise<string>((resolve) => {
        const check = () => {
          const found = lines.find(want);
          if (found) resolve(found);
          else child.stdout!.once('data', check);
        };
        check();
      });
      child.stdout!.on('data', (d: Buffer) => {
        buffer += d.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop()!;
        lines.push(...parts);
      });
      return { child, line };
    });
    await Promise.all(racers.map((r) => r.line((l) => l === 'ready')));
    writeFileSync(go, '');
    const results = await Promise.all(racers.map(async (r) => {
      const outcome = JSON.parse(await r.line((l) => l.startsWith('{'))) as { acquired: boolean; holder: number | null };
      return { pid: r.child.pid!, ...outcome };
    }));
    const winners = results.filter((r) => r.acquired);
    expect(winners).toHaveLength(1);
    expect(held()?.pid).toBe(winners[0]!.pid);
    // A loser names the winner, or no one when it met the winner's takeover still in progress
    // (it would look again); never the stale holder.
    for (const loser of results.filter((r) => !r.acquired)) expect([winners[0]!.pid, null]).toContain(loser.holder);
    expect(results.map((r) => r.holder)).not.toContain(dead);
    for (const r of racers) r.child.kill('SIGKILL');
    await Promise.all(racers.map((r) => new Promise((resolve) => (r.child.exitCode !== null || r.child.signalCode !== null ? resolve(null) : r.child.once('exit', resolve)))));
    rmSync(file);
    expect(leftovers().filter((f) => f.startsWith('run.lock'))).toEqual([]);
  }
}, 120_000);

describe('the bounded wait of a second run', () => {
  /** A clock that only moves when the waiter sleeps: the wait ends by the clock, not the machine's speed. */
  const fakeClock = (onSleep?: (sleeps: number) => void) => {
    let t = 1_000_000;
    let sleeps = 0;
    const clock: WaitClock & { sleeps: () => number } = {
      now: () => t,
      sleep: async (ms) => {
        t += ms;
        sleeps += 1;
        onSleep?.(sleeps);
      },
      sleeps: () => sleeps,
    };
    return clock;
  };

  /** The run lock of a root (`dir` here): withRunLock is what `superd run` calls. */
  const runLock = () => path.join(dir, 'Library/Management/superd/run.lock');
  const holdRunLock = async (holderName = 'superd run') => {
    const holder = await liveProcess();
    mkdirSync(path.dirname(runLock()), { recursive: true });
    writeFileSync(runLock(), JSON.stringify(record({ pid: holder.pid!, start: linuxStartTime(holder.pid!) as string, holder: holderName })));
    return holder.pid!;
  };

  test('a live holder that does not finish: exit-69 error after the wait, naming its pid and what it is; the work never starts', async () => {
    const pid = await holdRunLock('superd run (started by the daemon)');
    const clock = fakeClock();
    let worked = false;
    const error = await withRunLock(dir, async () => (worked = true), { env: {}, deps, clock, waitMs: 15_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlreadyRunningError);
    expect(exitStatusFor(error)).toBe(69);
    expect((error as AlreadyRunningError).pid).toBe(pid);
    expect((error as Error).message).toMatch(new RegExp(`another superd run \\(started by the daemon\\).*pid ${pid}.*changed nothing`));
    expect(worked).toBe(false);
    expect(clock.sleeps()).toBe(30); // every 500 ms of the clock for 15 s
  });

  test('a holder that finishes during the wait: the lock is taken then, held for the work, and freed after it', async () => {
    await holdRunLock();
    const clock = fakeClock((n) => {
      if (n === 3) rmSync(runLock()); // the first run released it
    });
    const during = await withRunLock(dir, async () => parseLockRecord(readFileSync(runLock(), 'utf8')), { env: { SUPERD_STARTED_BY_DAEMON: '1' }, deps, clock, waitMs: 15_000 });
    expect(during).toMatchObject({ pid: process.pid, holder: 'superd run (started by the daemon)' });
    expect(clock.sleeps()).toBe(3);
    expect(existsSync(runLock())).toBe(false);
  });

  test('the work fails: the lock is freed all the same', async () => {
    await expect(withRunLock(dir, async () => Promise.reject(new Error('boom')), { env: {}, deps, waitMs: 0 })).rejects.toThrow('boom');
    expect(existsSync(runLock())).toBe(false);
  });

  test('no wait (0): one try only', async () => {
    await holdRunLock();
    const clock = fakeClock();
    await expect(withRunLock(dir, async () => 1, { env: {}, deps, clock, waitMs: 0 })).rejects.toThrow(AlreadyRunningError);
    expect(clock.sleeps()).toBe(0);
  });

  test('a takeover in progress that does not end within the wait: a lock error (75, try again), naming no dead pid', async () => {
    await holdRunLock();
    // A stale record whose takeover marker is held (by a taker that is, as far as we can tell, still at it).
    writeFileSync(runLock(), JSON.stringify(record({ pid: await deadPid(), start: '1' })));
    linkSync(runLock(), `${runLock()}.takeover.${statSync(runLock()).ino}`);
    const error = await withRunLock(dir, async () => 1, { env: {}, deps, clock: fakeClock(), waitMs: 1_000 }).catch((e: unknown) => e);
    expect(exitStatusFor(error)).toBe(75);
    expect((error as Error).message).toMatch(/taking over a stale lock/);
  });
});

describe('start times', () => {
  test('Linux: /proc/PID/stat field 22, stable for a process; a dead pid has none', async () => {
    const first = linuxStartTime(process.pid);
    expect(first).toMatch(/^\d+$/);
    expect(linuxStartTime(process.pid)).toBe(first);
    expect(linuxStartTime(await deadPid())).toBeNull();
  });

  test('macOS: `ps -o lstart= -p PID`, compared as an opaque token (no capture of its text exists)', async () => {
    const calls: { command: string; args: readonly string[] }[] = [];
    const answer = (exitCode: number | null, stdout: string): RunCommand => async (command, args) => {
      calls.push({ command, args });
      return { exitCode, stdout, stderr: '' };
    };
    expect(await processStartTime(501, { platform: 'darwin', run: () => answer(0, 'opaque start token\n') })).toBe('opaque start token');
    expect(calls[0]).toEqual({ command: '/bin/ps', args: ['-o', 'lstart=', '-p', '501'] });
    expect(await processStartTime(501, { platform: 'darwin', run: () => answer(1, '') })).toBeNull();
    const failing: RunCommand = async () => {
      throw new Error('no ps');
    };
    expect(await processStartTime(501, { platform: 'darwin', run: () => failing })).toBe('unknown');
    expect(await processStartTime(501, { platform: 'win32', run: () => failing })).toBe('unknown');
  });

  test.each([
    [0, 'token\n', 'token'],
    [1, '', null],
    [0, '', 'unknown'], // said it succeeded but printed nothing: cannot tell
    [1, 'ps: something\n', 'unknown'],
    [0, 'two\nlines\n', 'unknown'],
    [null, '', 'unknown'],
  ])('parsePsStart(%s, %j) → %j', (code, out, expected) => {
    expect(parsePsStart(code, out)).toBe(expected);
  });
});
