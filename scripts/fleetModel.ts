/**
 * A fleet of Macs running superd's own scheduling code against one Jamf Pro, on a simulated
 * clock (an event queue; no timers, no I/O). Each Mac decides with decideTick
 * (daemon/schedule/decideTick.ts) what to do on its daemon tick, computes its heartbeat with
 * nextHeartbeatDue, its update checks with spread.ts, and its retries with scheduleRetry
 * (deferral.ts). The Jamf Pro side (fleetJamf.ts) counts requests and open connections.
 *
 * Simplification (exact, not approximate): a Mac's tick is only evaluated at the first tick
 * on or after its earliest due time, because between two due times decideTick's inputs do not
 * change and it answers null. Ticks are every 60 s from each daemon's start.
 */
import type { ErrorStreak } from '../daemon/schedule/deferral';
import { scheduleRetry } from '../daemon/schedule/deferral';
import { decideTick } from '../daemon/schedule/decideTick';
import { nextHeartbeatDue } from '../daemon/schedule/heartbeatDue';
import { gridUpdateCheck, stableOffset, type RandomSource } from '../daemon/schedule/spread';
import { firstUpdateCheck, nextUpdateCheck } from '../daemon/schedule/updateCheck';
import { FACT_MAX_AGE_MS } from '../daemon/status/jamfFacts';
import { HEARTBEAT, PUSH, PUSH_FACTS_EXPIRED, PUSH_FIRST, UP_TO_DATE_RUN, type RequestStep } from './fleetCosts';
import { EventQueue } from './fleetQueue';
import { JamfModel, type JamfSummary } from './fleetJamf';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The daemon's tick (daemon/cli/commands/daemon.ts DEFAULT_TICK_SECONDS: 60 s). */
export const TICK_MS = 60_000;
/** daemonLoop.ts DEFAULT_UPDATE_CHECK_MINUTES: DeferralTimerWorkflowRelaunch when not set (6 h). */
export const UPDATE_CHECK_HOURS = 6;
/** retryPolicy.ts DEFAULT_RETRY_POLICY: an idempotent call is repeated 3 times after 1, 2, 4 s. */
const GET_RETRY_WAITS_MS = [1_000, 2_000, 4_000];
/** Measurement starts here (a Monday); daemons start during the warm-up before it. */
export const T0 = Date.parse('2026-12-07T00:00:00Z');

export interface ScenarioOptions {
  readonly name: string;
  readonly title: string;
  readonly macs: number;
  /** Measured duration. */
  readonly days: number;
  readonly seed: number;
  readonly heartbeatHours: number;
  readonly updateCheckHours: number;
  readonly deferralErrorMinutes: number;
  /** Every Mac's softwareupdate offers a new macOS from this time (ms after T0). */
  readonly releaseAtMs?: number;
  /**
   * What if (not superd today): each Mac acts on a release only after its own stable delay in
   * [0, releaseSpreadMs) from the release, as a staged rollout would.
   */
  readonly releaseSpreadMs?: number;
  /** Jamf Pro answers nothing (503 / refused) in [fromMs, toMs) after T0. */
  readonly outage?: { readonly fromMs: number; readonly toMs: number };
  /** Service time of one request, uniform in [min, max] ms: how long it holds a connection. */
  readonly serviceMs: readonly [number, number];
  /** false: scheduleRetry's random source is pinned just under 1, i.e. the wait is the whole window (the old, unjittered back-off). */
  readonly retryJitter: boolean;
  /** 'superd': updateCheck.ts as daemonLoop.ts uses it (last run + interval); 'grid': spread.ts gridUpdateCheck. */
  readonly updateCheckRule: 'superd' | 'grid';
  /** Daemons started uniformly over this time before T0 (a fleet in its steady state). */
  readonly warmupMs: number;
  /** Told of every request (for tests on a small fleet). */
  readonly onRequest?: (r: ModelRequest) => void;
  /**
   * What the Macs remember of Jamf Pro at the start (status/jamfFacts.ts): 'expired' (default: they
   * pushed before, longer ago than the facts' 7 days, as before a release after a quiet month),
   * 'fresh' (read at the daemon's start), or 'none' (new Macs: the computer is looked up too).
   */
  readonly factsAtStart?: 'expired' | 'fresh' | 'none';
}

export interface ModelRequest {
  readonly t: number;
  readonly mac: number;
  /** Which worker (run or heartbeat) sent it: a number unique in the scenario. */
  readonly worker: number;
  readonly kind: 'run' | 'heartbeat';
  readonly endpoint: string;
  readonly ok: boolean;
}

export interface ScenarioResult {
  readonly options: ScenarioOptions;
  readonly jamf: JamfSummary;
  readonly pushes: number;
  readonly failedRuns: number;
  readonly heartbeats: number;
  /** Macs with an error streak when Jamf Pro came back. */
  readonly failingAtRecovery: number;
  /** Push starts per minute after T0. */
  readonly pushStartsPerMinute: Uint32Array;
}

interface Mac {
  readonly seed: string;
  readonly startedAt: number;
  busy: boolean;
  wakeAt: number;
  lastHeartbeat: string | null;
  updateCheckDue: number;
  nextAttempt: number | null;
  streak: ErrorStreak | null;
  pending: boolean;
  /** When this Mac's softwareupdate starts offering the release (with any staged delay). */
  pendingFrom: number;
  /** When its remembered server version and toggle were read (status/jamfFacts.ts); -Infinity: never. */
  factsAt: number;
  /** Whether it remembers its computer id (kept until Jamf Pro says it is gone). */
  knowsComputer: boolean;
}

interface Worker {
  readonly id: number;
  readonly mac: number;
  readonly kind: 'run' | 'heartbeat';
  readonly steps: readonly RequestStep[];
  step: number;
  retries: number;
  readonly startedAt: number;
}

/** The push a Mac sends: with its facts remembered, after they expired, or its first (runSession.ts). */
export function pushProfile(m: { factsAt: number; knowsComputer: boolean }, now: number): readonly RequestStep[] {
  if (!m.knowsComputer) return PUSH_FIRST;
  return now - m.factsAt < FACT_MAX_AGE_MS ? PUSH : PUSH_FACTS_EXPIRED;
}

/** mulberry32: a small seeded generator, so every run of a scenario gives the same numbers. */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function runScenario(o: ScenarioOptions): ScenarioResult {
  const rng = seededRandom(o.seed);
  const retryRandom: RandomSource = o.retryJitter ? seededRandom(o.seed ^ 0x5eed) : () => 1 - 1e-12;
  const end = T0 + o.days * DAY;
  const jamf = new JamfModel(T0, end);
  const q = new EventQueue<{ kind: 'wake'; mac: number } | { kind: 'request' | 'answer'; worker: Worker } | { kind: 'release' } | { kind: 'recovered' }>();
  const heartbeatMs = o.heartbeatHours * HOUR;
  const checkMs = o.updateCheckHours * HOUR;
  const pushStartsPerMinute = new Uint32Array(Math.ceil((end - T0) / MINUTE));
  let pushes = 0;
  let failedRuns = 0;
  let heartbeats = 0;
  let failingAtRecovery = 0;
  let workers = 0;

  const macs: Mac[] = [];
  for (let i = 0; i < o.macs; i++) {
    const startedAt = Math.floor(T0 - o.warmupMs + rng() * o.warmupMs);
    const seed = `MAC-${String(i).padStart(6, '0')}`;
    // The credential was checked at some point of the interval before the daemon started.
    const lastHeartbeat = new Date(startedAt - Math.floor(rng() * heartbeatMs)).toISOString();
    const facts = o.factsAtStart ?? 'expired';
    macs.push({ seed, startedAt, busy: false, wakeAt: Infinity, lastHeartbeat, updateCheckDue: firstUpdateCheck(seed, checkMs, startedAt).getTime(), nextAttempt: null, streak: null, pending: false, pendingFrom: Infinity, factsAt: facts === 'fresh' ? startedAt : -Infinity, knowsComputer: facts !== 'none' });
  }

  // nextHeartbeatDue is pure and, once a Mac has a last check, does not depend on `now`:
  // remembered per last check, so the hash is not recomputed at every wake.
  const dueCache = new Map<number, { for: string; at: number }>();
  const heartbeatDue = (m: Mac, now: number, i: number) => {
    const hit = dueCache.get(i);
    if (m.lastHeartbeat !== null && hit?.for === m.lastHeartbeat) return hit.at;
    const at = nextHeartbeatDue({ lastCheckedAt: m.lastHeartbeat, intervalHours: o.heartbeatHours, jitterSeed: m.seed, since: new Date(m.startedAt) }).getTime();
    if (m.lastHeartbeat !== null) dueCache.set(i, { for: m.lastHeartbeat, at });
    return at;
  };
  const inOutage = (t: number) => o.outage !== undefined && t >= T0 + o.outage.fromMs && t < T0 + o.outage.toMs;

  function scheduleWake(i: number, now: number): void {
    const m = macs[i]!;
    const due = Math.max(Math.min(m.updateCheckDue, m.nextAttempt ?? Infinity, heartbeatDue(m, now, i)), now, m.startedAt);
    const at = m.startedAt + Math.ceil((due - m.startedAt) / TICK_MS) * TICK_MS;
    m.wakeAt = at;
    if (at < end) q.push(at, { kind: 'wake', mac: i });
  }

  function startWorker(i: number, kind: 'run' | 'heartbeat', now: number): void {
    const m = macs[i]!;
    m.busy = true;
    if (now >= m.pendingFrom) {
      m.pending = true;
      m.pendingFrom = Infinity;
    }
    const steps = kind === 'heartbeat' ? HEARTBEAT : m.pending ? pushProfile(m, now) : UP_TO_DATE_RUN;
    const isPush = steps === PUSH || steps === PUSH_FACTS_EXPIRED || steps === PUSH_FIRST;
    if (kind === 'heartbeat' && now >= T0) heartbeats++;
    if (isPush && now >= T0) pushStartsPerMinute[Math.floor((now - T0) / MINUTE)]! += 1;
    const w: Worker = { id: workers++, mac: i, kind, steps, step: 0, retries: 0, startedAt: now };
    if (steps.length === 0) finish(w, now, true);
    else q.push(now + steps[0]!.afterMs, { kind: 'request', worker: w });
  }

  function finish(w: Worker, now: number, ok: boolean): void {
    const m = macs[w.mac]!;
    m.busy = false;
    if (w.kind === 'heartbeat') {
      // Success or UnableToConnect: the check is recorded either way (heartbeat.ts), so the next
      // one is an interval later; a heartbeat does not back off.
      m.lastHeartbeat = new Date(now).toISOString();
    } else if (ok) {
      if (w.steps === PUSH || w.steps === PUSH_FACTS_EXPIRED || w.steps === PUSH_FIRST) {
        if (now >= T0) pushes++;
        m.pending = false;
        // What the push read is remembered (runSession.ts saves it when the run ends).
        if (w.steps !== PUSH) m.factsAt = w.startedAt;
        m.knowsComputer = true;
      }
      m.nextAttempt = null;
      m.streak = null;
    } else {
      if (now >= T0) failedRuns++;
      const r = scheduleRetry({ now: new Date(now), failureCode: 'mdm-service-unavailable', configHash: 'fleet', previous: m.streak, deferralErrorMinutes: o.deferralErrorMinutes, random: retryRandom });
      m.nextAttempt = r.nextAttempt.getTime();
      m.streak = r.streak;
    }
    scheduleWake(w.mac, now);
  }

  for (let i = 0; i < macs.length; i++) scheduleWake(i, macs[i]!.startedAt);
  if (o.releaseAtMs !== undefined) q.push(T0 + o.releaseAtMs, { kind: 'release' });
  if (o.outage) q.push(T0 + o.outage.toMs, { kind: 'recovered' });

  for (let e = q.pop(); e !== undefined && e.t < end; e = q.pop()) {
    const now = e.t;
    const ev = e.value;
    if (ev.kind === 'release') {
      for (const m of macs) m.pendingFrom = now + (o.releaseSpreadMs ? stableOffset(`${m.seed}:release`, o.releaseSpreadMs) : 0);
    } else if (ev.kind === 'recovered') {
      failingAtRecovery = macs.filter((m) => m.streak !== null).length;
    } else if (ev.kind === 'wake') {
      const m = macs[ev.mac]!;
      if (m.busy || m.wakeAt !== now) continue; // stale: rescheduled since
      const action = decideTick({ now: new Date(now), busy: false, nextAttempt: m.nextAttempt === null ? null : new Date(m.nextAttempt), runRequested: false, interrupted: false, updateCheckDue: new Date(m.updateCheckDue), heartbeatDue: new Date(heartbeatDue(m, now, ev.mac)) });
      if (action === null) {
        scheduleWake(ev.mac, now + 1);
        continue;
      }
      if (action === 'run') {
        // daemonLoop.ts onRunStarted: the recurring check counts from the run's start.
        m.updateCheckDue = o.updateCheckRule === 'grid' ? gridUpdateCheck(m.seed, checkMs, new Date(now)).getTime() : nextUpdateCheck(now, checkMs).getTime();
      }
      startWorker(ev.mac, action, now);
    } else if (ev.kind === 'request') {
      const w = ev.worker;
      const step = w.steps[w.step]!;
      const ok = !inOutage(now);
      const service = o.serviceMs[0] + rng() * (o.serviceMs[1] - o.serviceMs[0]);
      jamf.open(now, step.endpoint, ok);
      o.onRequest?.({ t: now, mac: w.mac, worker: w.id, kind: w.kind, endpoint: step.endpoint, ok });
      q.push(now + service, { kind: 'answer', worker: Object.assign(w, { lastOk: ok }) });
    } else {
      const w = ev.worker as Worker & { lastOk: boolean };
      jamf.close(now);
      const step = w.steps[w.step]!;
      if (!w.lastOk) {
        // A GET is repeated after 1, 2, 4 s (retryPolicy.ts); a POST is not.
        if (step.endpoint.startsWith('GET ') && w.retries < GET_RETRY_WAITS_MS.length) {
          q.push(now + GET_RETRY_WAITS_MS[w.retries++]!, { kind: 'request', worker: w });
        } else finish(w, now, false);
        continue;
      }
      w.step++;
      w.retries = 0;
      if (w.step < w.steps.length) q.push(now + w.steps[w.step]!.afterMs, { kind: 'request', worker: w });
      else finish(w, now, true);
    }
  }
  return { options: o, jamf: jamf.summary(), pushes, failedRuns, heartbeats, failingAtRecovery, pushStartsPerMinute };
}

