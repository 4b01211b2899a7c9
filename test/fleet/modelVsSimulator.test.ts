/**
 * The fleet model's request counts (scripts/fleetModel.ts, its profiles in scripts/fleetCosts.ts)
 * against what superd's real code sends for a small fleet: four fake Macs (in-process runner,
 * test/sim/mac/inProcessRunner.ts), one HTTPS Jamf Pro simulator that counts every request, each
 * Mac through a heartbeat and its pushes — its first (nothing remembered), one a day later (facts
 * remembered) and one 8 days later (the toggle expired). The model runs the same fleet
 * and must count, per Mac and per action, exactly what the simulator counted.
 */
import { Readable } from 'node:stream';
import { KeychainSecretStore, SUPERD_KEYCHAIN } from '../../daemon/auth/keychainSecretStore';
import { credentialsCommand } from '../../daemon/cli/commands/credentials';
import { runCommand as superdRun } from '../../daemon/cli/commands/run';
import { reportError } from '../../daemon/cli/reportError';
import { createJamfAgent } from '../../daemon/jamf/jamfAgent';
import { endpointOf, HEARTBEAT, PUSH, PUSH_FACTS_EXPIRED, PUSH_FIRST, type RequestStep } from '../../scripts/fleetCosts';
import { runScenario, type ModelRequest, type ScenarioOptions } from '../../scripts/fleetModel';
import { fleetScenario } from '../../scripts/fleetSim';
import { captureOutput } from '../helpers/captureOutput';
import { UPDATE_15_6 } from '../helpers/runWorld';
import { openTestSim, type TestSim } from '../sim/jamf/testSetup';
import { createFakeMac, createInProcessRunCommand, logDelivered, type FakeMac } from '../sim/mac';
import { coupleWorld } from '../sim/world';

const MACS = 4;
const DAY = 24 * 3600_000;
/** macOS Sequoia 15.7, build 24G222 as a Mac reported it in super issue #381's AvailableOSUpdates sample. */
const UPDATE_15_7 = { label: 'macOS Sequoia 15.7-24G222', title: 'macOS Sequoia 15.7', version: '15.7', restart: true };
type Action = 'heartbeat' | 'first push' | 'push a day later' | 'push 8 days later';

interface FleetMac { mac: FakeMac; computerId: number; uncouple: () => void; run: ReturnType<typeof createInProcessRunCommand> }

/** What the simulator counted, per Mac and action: the endpoints in order. */
const real = new Map<Action, string[][]>();
let t: TestSim;
let macs: FleetMac[] = [];

beforeAll(async () => {
  t = await openTestSim({ version: '11.30.0' });
  t.sim.control.setFeatureToggle(true);
  t.sim.control.setAvailableUpdates({ macOS: ['15.7', '15.6'] });
  for (let i = 0; i < MACS; i++) {
    // DDM off: the MDM plans push, verified by polls, is the one the model costs (a DDM push ends
    // at "scheduled" with no polls, cheaper still).
    const facts = { osVersion: '15.5', osBuild: '24F74', declarativeDeviceManagementEnabled: false };
    const computer = i === 0 ? t.sim.control.updateComputer(t.fx.computer.id, facts) : t.sim.control.addComputer(facts);
    const mac = await createFakeMac({ hardwareUUID: computer.udid, macOS: { productVersion: '15.5', buildVersion: '24F74' }, jssUrl: `${t.sim.url}/`, availableUpdates: [UPDATE_15_6], logHistory: 'new-only' });
    const uncouple = coupleWorld(mac, t.sim, { udid: computer.udid, managementId: computer.managementId, deviceId: String(computer.id) });
    const run = createInProcessRunCommand(mac.root);
    const store = new KeychainSecretStore({ run, ...SUPERD_KEYCHAIN });
    await store.set('jamf_client', t.fx.superdClient.clientId);
    await store.set('jamf_secret', t.fx.superdClient.clientSecret);
    macs.push({ mac, computerId: computer.id, uncouple, run });
  }
  const agent = createJamfAgent({ ca: t.sim.ca });
  const previousRoot = process.env.SUPERD_ROOT;
  const counted = async (action: Action, act: () => Promise<number>) => {
    t.sim.control.clearRequests();
    expect(await act()).toBe(0);
    real.set(action, [...(real.get(action) ?? []), t.sim.requests.map((r) => endpointOf(r.method, r.path))]);
  };
  try {
    for (const m of macs) {
      process.env.SUPERD_ROOT = m.mac.root;
      const env = { SUPERD_ROOT: m.mac.root };
      const now = () => new Date(t.sim.clock.now());
      const sleep = async (ms: number) => {
        t.sim.clock.advance(ms);
        await logDelivered(m.mac.root);
      };
      const push = () => superdRun([], captureOutput(), { dispatcher: agent, now, sleep, env, runCommand: m.run, stdin: undefined as unknown as Readable }).catch((e: unknown) => reportError(e, captureOutput()));
      await counted('heartbeat', () => credentialsCommand(['heartbeat', '--json'], captureOutput(), { dispatcher: agent, now, env, runCommand: m.run }));
      await counted('first push', push);
      const release = (version: '15.5' | '15.6' | '15.7', build: string, offered: typeof UPDATE_15_7 | null) => {
        m.mac.update({ macOS: { productVersion: version, buildVersion: build }, availableUpdates: offered ? [offered] : [] });
        t.sim.control.updateComputer(m.computerId, { osVersion: version, osBuild: build });
      };
      // The Mac installed 15.6; 15.7 comes out a day later.
      release('15.6', '24G84', UPDATE_15_7);
      t.sim.clock.advance(DAY);
      await counted('push a day later', push);
      // 8 days on, another target (the Mac set back to 15.5 with 15.6 offered: only the request
      // count matters here; the same target again would follow the completed plan on record, see
      // test/lifecycle/resumeRecheck.test.ts): the remembered toggle expired (the version is kept 90 days).
      release('15.5', '24F74', UPDATE_15_6);
      t.sim.clock.advance(8 * DAY);
      await counted('push 8 days later', push);
    }
  } finally {
    if (previousRoot === undefined) delete process.env.SUPERD_ROOT;
    else process.env.SUPERD_ROOT = previousRoot;
    await agent.close();
  }
}, 120_000);

afterAll(async () => {
  for (const m of macs) {
    m.uncouple();
    await m.mac.cleanup();
  }
  macs = [];
  await t?.close();
});

/** The model on the same small fleet: every request it simulates, grouped by the worker that sent it. */
function modelActions(options: Partial<ScenarioOptions>): { heartbeats: string[][]; pushes: string[][] } {
  const requests: ModelRequest[] = [];
  runScenario({ ...fleetScenario(MACS, 'release'), days: 2, ...options, onRequest: (r) => requests.push(r) });
  const byWorker = new Map<number, ModelRequest[]>();
  for (const r of requests) byWorker.set(r.worker, [...(byWorker.get(r.worker) ?? []), r]);
  const complete = [...byWorker.values()].filter((rs) => rs.at(-1)!.endpoint === 'POST /api/v1/auth/invalidate-token');
  const endpoints = (rs: ModelRequest[]) => rs.map((r) => r.endpoint);
  return { heartbeats: complete.filter((rs) => rs[0]!.kind === 'heartbeat').map(endpoints), pushes: complete.filter((rs) => rs[0]!.kind === 'run').map(endpoints) };
}

const count = (lists: string[][]) => lists.map((l) => l.length);
const profile = (steps: readonly RequestStep[]) => steps.map((s) => s.endpoint);

test('the simulator counted each action alike on every Mac', () => {
  for (const action of real.keys()) {
    const lists = real.get(action)!;
    expect(lists).toHaveLength(MACS);
    for (const l of lists) expect(l).toEqual(lists[0]);
  }
});

test('a heartbeat: the model counts what the simulator counted (2 requests)', () => {
  const model = modelActions({});
  expect(model.heartbeats.length).toBeGreaterThanOrEqual(MACS);
  for (const h of model.heartbeats) expect(h).toEqual(real.get('heartbeat')![0]);
  expect(count(real.get('heartbeat')!)).toEqual(Array(MACS).fill(profile(HEARTBEAT).length));
  expect(profile(HEARTBEAT).length).toBe(2);
});

test.each([
  ['first push', 'none', PUSH_FIRST],
  ['push a day later', 'fresh', PUSH],
  ['push 8 days later', 'expired', PUSH_FACTS_EXPIRED],
] as const)('%s: the model\'s push (facts %s) counts what the simulator counted, polls included', (action, facts, steps) => {
  const model = modelActions({ factsAtStart: facts });
  expect(model.pushes).toHaveLength(MACS);
  const simulated = real.get(action)!;
  expect(count(model.pushes)).toEqual(count(simulated));
  for (const p of model.pushes) expect(p).toEqual(simulated[0]);
  expect(profile(steps)).toEqual(simulated[0]);
  // Fleet totals agree too: the model's sum for the fleet is the simulator's.
  expect(model.pushes.flat().length).toBe(simulated.flat().length);
});
