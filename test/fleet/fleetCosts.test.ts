/**
 * The fleet model's request profiles against what superd's real code sends to the Jamf Pro
 * simulator (test/sim/jamf): a heartbeat, a push, an attempt while Jamf Pro fails, an update
 * check that finds nothing. Then a small fleet (20 Macs, one simulated day with a release)
 * run through the model: every action it simulates sends exactly the real sequence.
 */
import { Readable } from 'node:stream';
import { credentialsCommand } from '../../daemon/cli/commands/credentials';
import { JAMF_OUTAGE_CODES } from '../../daemon/schedule/deferral';
import { createJamfAgent } from '../../daemon/jamf/jamfAgent';
import { endpointOf, FAILED_ATTEMPT, HEARTBEAT, PUSH_FACTS_EXPIRED, PUSH_FIRST, UP_TO_DATE_RUN, type RequestStep } from '../../scripts/fleetCosts';
import { runScenario, T0, type ModelRequest } from '../../scripts/fleetModel';
import { fleetScenario } from '../../scripts/fleetSim';
import { captureOutput } from '../helpers/captureOutput';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';

let w: RunWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function heartbeat(world: RunWorld): Promise<{ status: number; json: { status: string; checkedAt: string } }> {
  const agent = createJamfAgent({ ca: world.sim.ca });
  try {
    const out = captureOutput();
    const st = await credentialsCommand(['heartbeat', '--json'], out, {
      dispatcher: agent,
      now: () => new Date(world.sim.clock.now()),
      env: { SUPERD_ROOT: world.mac.root },
      stdin: undefined as unknown as Readable,
    });
    return { status: st, json: JSON.parse(out.stdout()) as { status: string; checkedAt: string } };
  } finally {
    await agent.close();
  }
}

const sent = (world: RunWorld) => world.sim.requests.map((r) => endpointOf(r.method, r.path));
const endpoints = (steps: readonly RequestStep[]) => steps.map((s) => s.endpoint);
/** When each request is sent, counted from the first, from the waits in a profile. */
function offsets(steps: readonly RequestStep[]): number[] {
  let t = 0;
  return steps.map((s, i) => (t += i === 0 ? 0 : s.afterMs));
}

describe('each profile is what the real code sends', () => {
  test('a heartbeat', async () => {
    w = await openRunWorld();
    await w.saveClient();
    w.sim.control.clearRequests();
    expect((await heartbeat(w)).status).toBe(0);
    expect(sent(w)).toEqual(endpoints(HEARTBEAT));
  });

  test('a first push: the same requests in the same order, the plan polls after the same waits', async () => {
    w = await openRunWorld();
    await w.saveClient();
    w.sim.control.clearRequests();
    expect((await w.run()).status).toBe(0);
    const real = sent(w);
    // How many times the plan is polled depends on when the fake Mac reports progress (real time
    // on a busy machine): the model takes the 5 that `npm run bench` shows. Everything else is
    // fixed: the requests before the polls, the polls' back-off, the invalidation at the end.
    const POLL = 'GET /api/v1/managed-software-updates/plans/{id}';
    const polls = real.filter((e) => e === POLL).length;
    expect(polls).toBeGreaterThanOrEqual(1);
    const modelPolls = PUSH_FIRST.filter((s) => s.endpoint === POLL);
    const expected = [...PUSH_FIRST.filter((s) => s.endpoint !== POLL).slice(0, -1), ...Array.from({ length: polls }, (_, i) => modelPolls[Math.min(i, modelPolls.length - 1)]!), PUSH_FIRST.at(-1)!];
    expect(real).toEqual(endpoints(expected));
    // The simulator's clock moves only when superd waits, so these are superd's own waits.
    const t0 = w.sim.requests[0]!.at;
    expect(w.sim.requests.map((r) => r.at - t0)).toEqual(offsets(expected));
  });

  test.each([
    ['503 to everything', { kind: 'status', status: 503 }],
    ['connections reset', { kind: 'reset' }],
  ] as const)('Jamf Pro down (%s): a heartbeat and a run each send one request; the run retries with jitter', async (_name, fault) => {
    w = await openRunWorld();
    await w.saveClient();
    w.sim.control.injectFault({ ...fault, times: Infinity });
    w.sim.control.clearRequests();
    const hb = await heartbeat(w);
    expect(sent(w)).toEqual(endpoints(FAILED_ATTEMPT));
    // Recorded as checked, not paused: the next heartbeat is an interval later (as modelled).
    // Found here once: a 503 was reported as UnknownError (exit 70); it is UnableToConnect (75).
    expect(hb.json.checkedAt).toEqual(expect.any(String));
    expect(hb.json.status).toBe('UnableToConnect');
    expect((await w.status()).heartbeatPausedFor).toBeNull();
    w.sim.control.clearRequests();
    expect((await w.run()).status).toBe(75);
    expect(sent(w)).toEqual(endpoints(FAILED_ATTEMPT));
    // …and the retry is jittered inside the error timer (60 minutes by default).
    const status = await w.status();
    expect(JAMF_OUTAGE_CODES.has(status.lastError!.code)).toBe(true);
    const wait = Date.parse(status.nextAttempt!) - w.sim.clock.now();
    expect(wait).toBeGreaterThanOrEqual(59_000);
    expect(wait).toBeLessThanOrEqual(60 * 60_000);
  });

  test('an update check that finds nothing sends nothing to Jamf Pro', async () => {
    w = await openRunWorld({ mac: { availableUpdates: [] } as never });
    await w.saveClient();
    w.sim.control.clearRequests();
    expect((await w.run()).status).toBe(0);
    expect(sent(w)).toEqual(endpoints(UP_TO_DATE_RUN));
  });
});

describe('the model on 20 Macs for one simulated day with a release at 09:00', () => {
  const requests: ModelRequest[] = [];
  const release = fleetScenario(20, 'release');
  const result = runScenario({ ...release, days: 1, onRequest: (r) => requests.push(r) });
  const byWorker = new Map<number, ModelRequest[]>();
  for (const r of requests) byWorker.set(r.worker, [...(byWorker.get(r.worker) ?? []), r]);
  const complete = [...byWorker.values()].filter((rs) => rs[0]!.t >= T0 && rs.at(-1)!.endpoint === 'POST /api/v1/auth/invalidate-token');

  test('every heartbeat and push it simulates sends the real sequence, with the real waits plus 100–300 ms per answer', () => {
    const heartbeats = complete.filter((rs) => rs[0]!.kind === 'heartbeat');
    const pushes = complete.filter((rs) => rs[0]!.kind === 'run');
    expect(heartbeats.length).toBeGreaterThanOrEqual(10);
    expect(pushes).toHaveLength(20);
    for (const rs of heartbeats) expect(rs.map((r) => r.endpoint)).toEqual(endpoints(HEARTBEAT));
    // The release scenario's Macs pushed before, longer ago than the facts' 7 days.
    for (const rs of pushes) {
      expect(rs.map((r) => r.endpoint)).toEqual(endpoints(PUSH_FACTS_EXPIRED));
      for (let i = 1; i < rs.length; i++) {
        const service = rs[i]!.t - rs[i - 1]!.t - PUSH_FACTS_EXPIRED[i]!.afterMs;
        expect(service).toBeGreaterThanOrEqual(100);
        expect(service).toBeLessThanOrEqual(300);
      }
    }
    // Request totals are the sum of the actions' costs: nothing is sent outside an action.
    const counted = [...result.jamf.byEndpoint.values()].reduce((a, b) => a + b, 0);
    expect(counted).toBe(requests.filter((r) => r.t >= T0).length);
  });

  test('each Mac heartbeats daily (the default) plus its own offset (under 2.4 h), rounded up to its 60 s tick', () => {
    const quiet: ModelRequest[] = [];
    runScenario({ ...fleetScenario(20, 'quiet-week'), days: 4, onRequest: (r) => quiet.push(r) });
    const starts = new Map<number, number[]>();
    // A heartbeat starts with its token request.
    for (const r of quiet.filter((x) => x.kind === 'heartbeat' && x.endpoint === HEARTBEAT[0]!.endpoint)) starts.set(r.mac, [...(starts.get(r.mac) ?? []), r.t]);
    expect(starts.size).toBe(20);
    for (const ts of starts.values()) {
      expect(ts.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < ts.length; i++) {
        const gap = ts[i]! - ts[i - 1]!;
        expect(gap).toBeGreaterThanOrEqual(24 * 3_600_000);
        expect(gap).toBeLessThan(24 * 3_600_000 + 2.4 * 3_600_000 + 2 * 60_000);
      }
    }
  });

  test('every Mac pushes within one update-check interval (6 h) of the release, after its own check', () => {
    const pushes = complete.filter((rs) => rs[0]!.kind === 'run').map((rs) => rs[0]!.t - T0);
    for (const t of pushes) {
      expect(t).toBeGreaterThanOrEqual(9 * 3_600_000);
      expect(t).toBeLessThan(15 * 3_600_000 + 60_000);
    }
    expect(new Set(pushes.map((t) => Math.floor(t / 60_000))).size).toBeGreaterThan(15);
  });
});
