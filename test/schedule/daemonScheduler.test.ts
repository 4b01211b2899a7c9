import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DaemonScheduler, type ScheduleSnapshot, type WorkerHandle, type WorkerKind } from '../../daemon/schedule/daemonScheduler';
import { decideTick } from '../../daemon/schedule/decideTick';
import { shouldHandOff } from '../../daemon/schedule/handOff';
import { acquireInstanceLock } from '../../daemon/schedule/instanceLock';
import { systemLockDeps } from '../../daemon/schedule/lockDeps';
import { AlreadyRunningError } from '../../daemon/errors';

/** A scheduler on a simulated clock with workers that finish when the test says so. */
function harness(initial: Partial<ScheduleSnapshot> = {}) {
  let now = new Date('2026-11-22T12:00:00Z');
  let schedule: ScheduleSnapshot = { nextAttempt: null, interrupted: false, heartbeatDue: null, ...initial };
  const started: WorkerKind[] = [];
  const finishers: Array<(status: number) => void> = [];
  let readGate: Promise<void> | null = null;
  let gateEntered: (() => void) | undefined;
  const scheduler = new DaemonScheduler({
    now: () => now,
    readSchedule: async () => {
      const gate = readGate;
      if (gate) {
        readGate = null;
        gateEntered?.();
        await gate;
      }
      return schedule;
    },
    startWorker: (kind): WorkerHandle => {
      started.push(kind);
      let finish!: (status: number) => void;
      const exit = new Promise<number>((resolve) => (finish = resolve));
      finishers.push(finish);
      return { exit, stop: async () => finish(143) };
    },
    log: () => undefined,
  });
  return {
    scheduler,
    started,
    advance: (ms: number) => (now = new Date(now.getTime() + ms)),
    set: (change: Partial<ScheduleSnapshot>) => (schedule = { ...schedule, ...change }),
    finishWorker: async (status = 0) => {
      finishers.shift()!(status);
      await new Promise((r) => setImmediate(r));
    },
    /** The next schedule read waits for `gate`; resolves once that read has begun. */
    gateReads: (gate: Promise<void>) => {
      readGate = gate;
      return new Promise<void>((resolve) => (gateEntered = resolve));
    },
    at: (offsetMs: number) => new Date(Date.parse('2026-11-22T12:00:00Z') + offsetMs),
  };
}

describe('DaemonScheduler (simulated clock)', () => {
  test('a restart resumes a pending retry exactly at its time', async () => {
    const h = harness();
    h.set({ nextAttempt: h.at(5 * 60_000) });
    expect(await h.scheduler.tick()).toBeNull();
    h.advance(4 * 60_000 + 59_000);
    expect(await h.scheduler.tick()).toBeNull();
    h.advance(1_000);
    expect(await h.scheduler.tick()).toBe('run');
    expect(h.started).toEqual(['run']);
  });

  test('a clock jump forward (sleep, or a time change) runs the overdue retry at the next tick', async () => {
    const h = harness();
    h.set({ nextAttempt: h.at(30 * 60_000) });
    h.advance(3 * 3600_000);
    expect(await h.scheduler.tick()).toBe('run');
  });

  test('never two workers at once; a run requested meanwhile starts when the worker exits', async () => {
    const h = harness({ heartbeatDue: new Date(0) });
    expect(await h.scheduler.tick()).toBe('heartbeat');
    h.scheduler.requestRun('policy');
    expect(await h.scheduler.tick()).toBeNull();
    expect(h.started).toEqual(['heartbeat']);
    await h.finishWorker(0);
    await new Promise((r) => setImmediate(r));
    expect(h.started).toEqual(['heartbeat', 'run']);
  });

  test('an interrupted run (snapshot left) is resumed once at start', async () => {
    const h = harness({ interrupted: true });
    expect(await h.scheduler.tick()).toBe('run');
    await h.finishWorker(0);
    expect(await h.scheduler.tick()).toBeNull();
  });

  test('stop() stops the running worker', async () => {
    const h = harness({ nextAttempt: new Date(0) });
    await h.scheduler.tick();
    await h.scheduler.stop();
    expect(await h.scheduler.tick()).toBeNull();
  });

  test('stop() during a tick that is still reading the schedule: the tick starts nothing (no worker after the daemon stopped)', async () => {
    // Seen beside eight busy loops: a tick read the status slowly, stop() ended the worker
    // meanwhile, and the tick then found the retry due and no worker busy, and started a run
    // worker that kept the stopping daemon alive until that run ended.
    const h = harness({ nextAttempt: new Date(0) });
    expect(await h.scheduler.tick()).toBe('run');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const read = h.gateReads(gate);
    const inFlight = h.scheduler.tick(); // busy: the worker runs; reads, then decides
    await read;
    await h.scheduler.stop(); // ends the worker: nothing is busy any more
    release();
    expect(await inFlight).toBeNull();
    expect(h.started).toEqual(['run']);
  });
});

test.each([
  [{ busy: false, runRequested: false, interrupted: false, nextAttempt: null, heartbeatDue: null }, null],
  [{ busy: true, runRequested: true, interrupted: true, nextAttempt: new Date(0), heartbeatDue: new Date(0) }, null],
  [{ busy: false, runRequested: false, interrupted: false, nextAttempt: new Date(0), heartbeatDue: new Date(0) }, 'run'],
  [{ busy: false, runRequested: false, interrupted: false, nextAttempt: new Date(8.64e15), heartbeatDue: new Date(0) }, 'heartbeat'],
])('decideTick %#', (state, action) => {
  expect(decideTick({ now: new Date('2026-11-22T12:00:00Z'), ...state })).toBe(action);
});

test.each([
  [{ fromJamfPolicy: true, startedByDaemon: false, daemonLoaded: true }, true],
  [{ fromJamfPolicy: true, startedByDaemon: true, daemonLoaded: true }, false],
  [{ fromJamfPolicy: true, startedByDaemon: false, daemonLoaded: false }, false],
  [{ fromJamfPolicy: false, startedByDaemon: false, daemonLoaded: true }, false],
])('shouldHandOff %j → %s', (input, expected) => {
  expect(shouldHandOff(input)).toBe(expected);
});

describe('instance lock', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'superd-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a second instance is refused, naming the holder; release frees it', async () => {
    const file = path.join(dir, 'superd.lock');
    const deps = systemLockDeps(dir);
    const first = await acquireInstanceLock(file, deps, { pid: process.pid, waitMs: 0 });
    await expect(acquireInstanceLock(file, deps, { pid: process.pid + 1, waitMs: 0 })).rejects.toThrow(AlreadyRunningError);
    await expect(acquireInstanceLock(file, deps, { pid: process.pid + 1, waitMs: 0 })).rejects.toThrow(new RegExp(`pid ${process.pid}`));
    first.release();
    (await acquireInstanceLock(file, deps, { pid: process.pid + 1, waitMs: 0 })).release();
  });

  test('a stale lock from a dead process is taken over', async () => {
    const file = path.join(dir, 'superd.lock');
    writeFileSync(file, '999999\n');
    (await acquireInstanceLock(file, systemLockDeps(dir))).release();
  });
});
