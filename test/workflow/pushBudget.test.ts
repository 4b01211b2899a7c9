/**
 * The request budget of a verified push (issue 18): at most 6 requests plus plan polls, the
 * polls at least 30 s apart on the run's (injected) clock and never because a log line arrived;
 * the server version, the feature toggle and the computer id remembered between runs and read
 * again when Jamf Pro says they changed. Counted by the HTTPS Jamf Pro simulator's request log.
 */
import { JamfClient } from '../../daemon/jamf/jamfClient';
import { createJamfAgent } from '../../daemon/jamf/jamfAgent';
import { createPlan } from '../../daemon/jamf/softwareUpdatePlans';
import { readJamfFacts, writeJamfFacts } from '../../daemon/status/jamfFacts';
import { startMacProgressWatch } from '../../daemon/workflow/macProgressWatch';
import { MIN_POLL_MS, verifyUpdate } from '../../daemon/workflow/verifyUpdate';
import { downloadProgressLines, logDelivered } from '../sim/mac';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';

const PLANS = '/api/v1/managed-software-updates/plans';
const POLL = /^GET \/api\/v1\/managed-software-updates\/plans\/[0-9A-F-]{36}$/i;
/** macOS Sequoia 15.7, build 24G222 as a Mac reported it in super issue #381's AvailableOSUpdates sample (test/sim/mac/jamf.test.ts). */
const UPDATE_15_7 = { label: 'macOS Sequoia 15.7-24G222', title: 'macOS Sequoia 15.7', version: '15.7', restart: true };

let w: RunWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const sent = (world: RunWorld) => world.sim.requests.map((r) => `${r.method} ${r.path}`);
const nonPolls = (world: RunWorld) => sent(world).filter((e) => !POLL.test(e));
const pollTimes = (world: RunWorld) => world.sim.requests.filter((r) => POLL.test(`${r.method} ${r.path}`)).map((r) => r.at);

/** The Mac installed 15.6; Apple and Jamf Pro now offer 15.7: the next run pushes again. */
function nextRelease(world: RunWorld): void {
  world.mac.update({ macOS: { productVersion: '15.6', buildVersion: '24G84' }, availableUpdates: [UPDATE_15_7] });
  world.sim.control.updateComputer(world.computer.id, { osVersion: '15.6', osBuild: '24G84' });
}

async function pushTwice(world: RunWorld): Promise<void> {
  await world.saveClient();
  expect((await world.run()).status).toBe(0);
  nextRelease(world);
  world.sim.clock.advance(24 * 3600_000);
  world.sim.control.clearRequests();
  expect((await world.run()).status).toBe(0);
}

test('the first push reads the facts once; a push within their expiry sends at most 6 requests plus polls, none re-read', async () => {
  w = await openRunWorld();
  await w.saveClient();
  w.sim.control.clearRequests();
  expect((await w.run()).status).toBe(0);
  // Nothing remembered yet: version, computer lookup and toggle are read, once each.
  expect(nonPolls(w)).toEqual([
    'POST /api/oauth/token', 'GET /api/v1/jamf-pro-version', 'GET /api/v4/computers-inventory', `GET ${PLANS}/feature-toggle`,
    `GET ${PLANS}`, `POST ${PLANS}`, 'POST /api/v2/mdm/blank-push', 'POST /api/v1/auth/invalidate-token',
  ]);
  const facts = await readJamfFacts(w.mac.root, `${w.sim.url}/`);
  expect(facts).toMatchObject({ serverVersion: { value: expect.stringMatching(/^11\.30\.0/) }, featureToggle: { value: true }, computer: { id: String(w.computer.id), udid: w.computer.udid } });

  nextRelease(w);
  w.sim.clock.advance(24 * 3600_000);
  w.sim.control.clearRequests();
  expect((await w.run()).status).toBe(0);
  expect(nonPolls(w)).toEqual(['POST /api/oauth/token', `GET ${PLANS}`, `POST ${PLANS}`, 'POST /api/v2/mdm/blank-push', 'POST /api/v1/auth/invalidate-token']);
  expect(nonPolls(w).length).toBeLessThanOrEqual(6);
  expect(pollTimes(w).length).toBeGreaterThanOrEqual(1);
});

test('after 7 days the toggle is read again, the version (kept 90 days) and the computer id are not: still within 6', async () => {
  w = await openRunWorld();
  await w.saveClient();
  expect((await w.run()).status).toBe(0);
  nextRelease(w);
  w.sim.clock.advance(8 * 24 * 3600_000);
  w.sim.control.clearRequests();
  expect((await w.run()).status).toBe(0);
  expect(nonPolls(w)).toEqual([
    'POST /api/oauth/token', `GET ${PLANS}/feature-toggle`,
    `GET ${PLANS}`, `POST ${PLANS}`, 'POST /api/v2/mdm/blank-push', 'POST /api/v1/auth/invalidate-token',
  ]);
  expect(nonPolls(w).length).toBeLessThanOrEqual(6);
});

test('after 90 days the version is read again too', async () => {
  w = await openRunWorld();
  await w.saveClient();
  expect((await w.run()).status).toBe(0);
  nextRelease(w);
  w.sim.clock.advance(91 * 24 * 3600_000);
  w.sim.control.clearRequests();
  expect((await w.run()).status).toBe(0);
  expect(nonPolls(w)).toEqual([
    'POST /api/oauth/token', 'GET /api/v1/jamf-pro-version', `GET ${PLANS}/feature-toggle`,
    `GET ${PLANS}`, `POST ${PLANS}`, 'POST /api/v2/mdm/blank-push', 'POST /api/v1/auth/invalidate-token',
  ]);
});

test('plan polls: the first 30 s after the push, then at least 30 s apart, backing off', async () => {
  w = await openRunWorld();
  await pushTwice(w);
  const push = w.sim.requests.find((r) => r.path === '/api/v2/mdm/blank-push')!.at;
  const times = [push, ...pollTimes(w)];
  expect(times.length).toBeGreaterThan(2);
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(MIN_POLL_MS);
  for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThanOrEqual(gaps[i - 1]!);
});

test('a burst of log lines from the Mac causes no extra poll (each line wakes the wait; none polls)', async () => {
  // verifyUpdate itself, on the simulator's clock, with the real `log stream` watch of the fake
  // Mac. The wait is woken by every event (as the production sleep is); the first wait sees a
  // burst of 60 download-progress lines. Before issue 18 every wake polled the plan.
  w = await openRunWorld();
  const world = w;
  const agent = createJamfAgent({ ca: world.sim.ca });
  const client = new JamfClient({ baseUrl: `${world.sim.url}/`, credential: { kind: 'client', clientId: world.fx.superdClient.clientId, clientSecret: world.fx.superdClient.clientSecret }, dispatcher: agent, now: () => world.sim.clock.now() });
  const stop = new AbortController();
  const watch = await startMacProgressWatch(world.mac.root)(stop.signal);
  try {
    const planId = await createPlan(client, { devices: [{ deviceId: String(world.computer.id), objectType: 'COMPUTER' }], config: { updateAction: 'DOWNLOAD_ONLY', versionType: 'SPECIFIC_VERSION', specificVersion: '15.6' } });
    world.sim.control.clearRequests();
    let wakes = 0;
    let first = true;
    const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
      const woken = () => {
        wakes += 1;
        world.sim.clock.advance(1_000);
        resolve();
      };
      if (signal.aborted) return woken();
      if (first) {
        first = false;
        signal.addEventListener('abort', woken, { once: true });
        world.mac.emitLog(downloadProgressLines({ steps: Array.from({ length: 60 }, (_, i) => (i + 1) / 200) }));
        return;
      }
      world.sim.clock.advance(ms);
      void logDelivered(world.mac.root).then(() => resolve());
    });
    const started = world.sim.clock.now();
    const r = await verifyUpdate({ client, watch, sleep, now: () => new Date(world.sim.clock.now()) }, { planId, downloadOnly: true, timeouts: { noProgressMs: 3600_000, totalMs: 4 * 3600_000 } });
    expect(r.ok).toBe(true);
    expect(wakes).toBeGreaterThanOrEqual(1);
    const times = [started, ...pollTimes(world)];
    expect(times.length).toBeGreaterThan(1);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(MIN_POLL_MS);
  } finally {
    stop.abort();
    await watch.stop();
    await client.close().catch(() => undefined);
    await agent.close();
  }
});

test.each([
  ['the plan refused for an unknown device (the simulator\'s 400 INVALID_FIELD devices.deviceId)', null],
  ['a 404 to the plan', 404],
] as const)('a remembered computer id Jamf Pro no longer knows: %s — looked up again by UDID, pushed once more, remembered', async (_name, status) => {
  w = await openRunWorld();
  await w.saveClient();
  expect((await w.run()).status).toBe(0);
  // As if the record was deleted and the Mac enrolled again under a new id.
  const server = `${w.sim.url}/`;
  const facts = await readJamfFacts(w.mac.root, server);
  await writeJamfFacts(w.mac.root, { ...facts, computer: { id: '9999', managementId: facts.computer!.managementId, udid: w.computer.udid, declarativeManagement: false } });
  if (status !== null) w.sim.control.injectFault({ method: 'POST', path: PLANS, kind: 'status', status, times: 1 });
  nextRelease(w);
  w.sim.clock.advance(24 * 3600_000);
  w.sim.control.clearRequests();
  expect((await w.run()).status).toBe(0);
  const posts = w.sim.requests.filter((r) => r.method === 'POST' && r.path === PLANS);
  expect(posts.map((r) => r.status)).toEqual([status ?? 400, 201]);
  expect(nonPolls(w)).toContain('GET /api/v4/computers-inventory');
  expect((await readJamfFacts(w.mac.root, server)).computer).toMatchObject({ id: String(w.computer.id) });
  // The version and toggle were forgotten with it (the 4xx may have meant either changed).
  expect((await readJamfFacts(w.mac.root, server)).serverVersion).not.toBeNull();
});
