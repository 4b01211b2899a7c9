/**
 * Fleet-safe secret rotation end to end (issue #18 part 4, docs/fleet-rotation.md): one Jamf Pro
 * simulator, several fake Macs each with superd's keychain and status file. A Mac receives a
 * secret the way the distributing policy hands it over (`superd jamf-client save`, the secret on
 * stdin), reports through the real superd-jamf-client extension attribute script, and an admin
 * runs `superd jamf-client rotate-secret --fleet`. After every step every Mac runs a heartbeat,
 * which must succeed: no Mac is ever left with only a dead secret.
 *
 * Cost: superd and the fake macOS commands run in this process. Each inventory update reads the
 * status file with the fake `plutil` as the EA script does; the script itself runs as a real
 * `sh` with real `plutil` processes once for each distinct pair of values it reads (see recon).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { KeychainSecretStore, SUPERD_KEYCHAIN } from '../../daemon/auth/keychainSecretStore';
import { credentialsCommand } from '../../daemon/cli/commands/credentials';
import { jamfClientCommand } from '../../daemon/cli/commands/jamfRotate';
import { runCommand } from '../../daemon/cli/commands/run';
import { reportError } from '../../daemon/cli/reportError';
import { createJamfAgent } from '../../daemon/jamf/jamfAgent';
import { hostPath, superdPaths } from '../../daemon/host/paths';
import { readStatus } from '../../daemon/status/statusFile';
import { captureOutput } from '../helpers/captureOutput';
import { findSecrets } from '../helpers/secretScan';
import { closeFleet, FLEET_PRIVILEGES, openFleet, type FleetModel, type SimPolicy } from '../sim/jamf/fleetPolicies';
import { P } from '../sim/jamf/privileges';
import { openTestSim, type TestSim } from '../sim/jamf/testSetup';
import type { ClientCredentials } from '../sim/jamf';
import { createFakeMac, createInProcessRunCommand, type FakeMac } from '../sim/mac';

const REPO = path.join(__dirname, '../..');
const EA_SCRIPT = path.join(REPO, 'docs/extension-attributes/superd-jamf-client.sh');
const POLICY_SCRIPT = path.join(REPO, 'docs/policy-scripts/superd-receive-client-secret.sh');
const EA_NAME = 'superd jamf client';

// Several fake Macs, each running heartbeats and the EA script after every step: a budget for a busy
// 2-core machine, not a speed expectation.
jest.setTimeout(300_000);

interface Mac {
  readonly name: string;
  readonly computerId: number;
  readonly fake: FakeMac;
  readonly run: ReturnType<typeof createInProcessRunCommand>;
  readonly store: KeychainSecretStore;
}

interface World {
  t: TestSim;
  fleet: FleetModel;
  policy: SimPolicy;
  macs: Mac[];
  a: ClientCredentials;
  b: ClientCredentials;
  admin: ClientCredentials;
  agent: ReturnType<typeof createJamfAgent>;
  outputs: string[];
  /** Every secret the world has seen (old and new), for the scan. */
  secrets: Set<string>;
}

let w: World | undefined;

afterEach(async () => {
  if (!w) return;
  const world = w;
  w = undefined;
  // Every secret: in no file of any Mac (keychain values are base64), no output, no argv.
  for (const s of [world.a.clientSecret, world.b.clientSecret, world.admin.clientSecret]) world.secrets.add(s);
  for (const c of [world.a.clientId, world.b.clientId]) world.secrets.add(world.t.sim.control.client(c).secret ?? '');
  const all = [...world.secrets].filter((s) => s !== '');
  for (const mac of world.macs) {
    expect(findSecrets(all, mac.fake.root, world.outputs)).toEqual([]);
    for (const i of mac.fake.invocations()) for (const s of all) expect(i.argv.join(' ')).not.toContain(s);
  }
  await world.agent.close();
  closeFleet(world.t.sim);
  await world.t.close();
  for (const mac of world.macs) await mac.fake.cleanup();
});

async function openWorld(count: number): Promise<World> {
  const t = await openTestSim({ version: '11.30.0' });
  const fleet = openFleet(t.sim);
  const c = t.sim.control;
  const a = t.fx.superdClient;
  const b = c.addClient({ displayName: 'superd (second client)', roles: [t.fx.superdRole.id], accessTokenLifetimeSeconds: 600 });
  const adminRole = c.addRole('superd fleet rotation', [P.readComputers, P.readApiIntegrations, P.createApiIntegrations, FLEET_PRIVILEGES.readPolicies, FLEET_PRIVILEGES.updatePolicies, FLEET_PRIVILEGES.flushPolicyLogs]);
  const admin = c.addClient({ displayName: 'superd fleet rotation', roles: [adminRole.id] });
  const policy = fleet.addPolicy({ name: 'superd: receive API client secret', scripts: [{ id: 41, name: 'superd-receive-client-secret.sh' }] });
  fleet.eaDefinition(EA_NAME);
  const macs: Mac[] = [];
  for (let i = 0; i < count; i++) {
    const computer = i === 0 ? t.fx.computer : c.addComputer({ name: `Mac ${i + 1}` });
    const fake = await createFakeMac({ hardwareUUID: computer.udid, jssUrl: `${t.sim.url}/` });
    const run = createInProcessRunCommand(fake.root);
    macs.push({ name: computer.name, computerId: computer.id, fake, run, store: new KeychainSecretStore({ run, ...SUPERD_KEYCHAIN }) });
  }
  const agent = createJamfAgent({ ca: t.sim.ca });
  w = { t, fleet, policy, macs, a, b, admin, agent, outputs: [], secrets: new Set() };
  return w;
}

function deps(world: World, mac: Mac | null, stdin?: string) {
  return {
    dispatcher: world.agent,
    now: () => new Date(world.t.sim.clock.now()),
    env: { SUPERD_ROOT: mac?.fake.root ?? '/nonexistent-superd-root' },
    ...(mac && { runCommand: mac.run }),
    stdin: Readable.from(stdin === undefined ? [] : [stdin]),
  };
}

/** What the policy's script does on a Mac: `superd jamf-client save`, the secret on stdin. */
async function save(world: World, mac: Mac, slot: string, clientId: string, secret: string): Promise<{ status: number; stdout: string; stderr: string }> {
  world.secrets.add(secret);
  const out = captureOutput();
  const status = await jamfClientCommand(['save', `--slot=${slot}`, `--client-id=${clientId}`], out, deps(world, mac, `${secret}\n`)).catch((e: unknown) => reportError(e, out));
  world.outputs.push(out.stdout(), out.stderr());
  return { status, stdout: out.stdout(), stderr: out.stderr() };
}

async function heartbeat(world: World, mac: Mac): Promise<{ status: number; json: Record<string, unknown> }> {
  const out = captureOutput();
  const status = await credentialsCommand(['heartbeat', '--json'], out, deps(world, mac));
  world.outputs.push(out.stdout(), out.stderr());
  return { status, json: JSON.parse(out.stdout()) as Record<string, unknown> };
}

/**
 * The real extension attribute script's result for each distinct pair of values it reads (the
 * stdout of its two `plutil -extract … raw` calls; it ignores their stderr and exit status), for
 * this whole file. The script is a pure function of that pair, so a pair met again needs no new
 * `sh` and two fake `plutil` processes.
 */
const eaResults = new Map<string, string>();

/**
 * Inventory update: the extension attribute script's value; Jamf Pro stores it. Every time, the
 * fake Mac's own `plutil` (in this process, the same handler the launcher runs) reads the Mac's
 * status file with the script's exact command lines; the first time a pair of values is met, the
 * real script runs under the Mac's root with real processes and its result is kept for that pair.
 */
async function recon(world: World, mac: Mac): Promise<string> {
  const status = hostPath(superdPaths.status, mac.fake.root);
  const reads = await Promise.all(['JamfClientInUse', 'HeartbeatStatus'].map((key) => mac.run('/usr/bin/plutil', ['-extract', key, 'raw', '-o', '-', status], { timeoutMs: 120_000 })));
  const pair = JSON.stringify(reads.map((r) => r.stdout));
  let value = eaResults.get(pair);
  if (value === undefined) {
    const r = spawnSync('sh', [EA_SCRIPT], { encoding: 'utf8', env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, SUPERD_ROOT: mac.fake.root } });
    expect(r.stderr).toBe('');
    value = /^<result>(.*)<\/result>\n$/.exec(r.stdout)?.[1];
    if (value === undefined) throw new Error(`EA printed ${JSON.stringify(r.stdout)}`);
    eaResults.set(pair, value);
  }
  world.fleet.setEaValue(mac.computerId, EA_NAME, value);
  return value;
}

/** A Mac checks in: every due policy runs (our policy's script with its parameters), then inventory. */
async function checkIn(world: World, mac: Mac): Promise<void> {
  for (const p of world.fleet.due(mac.computerId)) {
    const params = p.scripts[0]!.parameters;
    if (params[4] && params[5] && params[6]) expect((await save(world, mac, params[4], params[5], params[6])).status).toBe(0);
    world.fleet.recordRun(p.id, mac.computerId);
    if (p.updateInventory) await recon(world, mac);
  }
}

/** Every Mac runs a heartbeat now: each must succeed. Returns the client each one used. */
async function everyMacWorks(world: World, when: string): Promise<string[]> {
  const used: string[] = [];
  for (const mac of world.macs) {
    const r = await heartbeat(world, mac);
    expect({ when, mac: mac.name, status: r.status, heartbeat: r.json.status }).toEqual({ when, mac: mac.name, status: 0, heartbeat: 'Success' });
    used.push((await readStatus(mac.fake.root)).jamfClientInUse ?? 'none');
    await recon(world, mac);
  }
  return used;
}

async function rotateFleet(world: World, extra: string[], onPoll: (polls: number) => Promise<void>): Promise<{ status: number; stdout: string; stderr: string }> {
  const out = captureOutput();
  let polls = 0;
  const args = ['rotate-secret', '--fleet', `--url=${world.t.sim.url}`, `--primary-client=${world.a.clientId}`, `--secondary-client=${world.b.clientId}`, `--policy-id=${world.policy.id}`, `--privileged-client=${world.admin.clientId}`, '--poll-seconds=60', ...extra];
  const status = await jamfClientCommand(args, out, {
    ...deps(world, null, `${world.admin.clientSecret}\n`),
    fleetSleep: async (ms: number) => {
      world.t.sim.clock.advance(ms);
      polls += 1;
      await onPoll(polls);
    },
  }).catch((e: unknown) => reportError(e, out));
  world.outputs.push(out.stdout(), out.stderr());
  return { status, stdout: out.stdout(), stderr: out.stderr() };
}

/** The fleet as the admin left it: primary A and secondary B on every Mac, A in use. */
async function setUpFleet(world: World): Promise<void> {
  for (const mac of world.macs) {
    expect((await save(world, mac, 'primary', world.a.clientId, world.a.clientSecret)).status).toBe(0);
    expect((await save(world, mac, 'secondary', world.b.clientId, world.b.clientSecret)).status).toBe(0);
    expect(await recon(world, mac)).toBe(`client ${world.b.clientId} OK`);
    // Saving A again changes nothing in the keychain but makes it the one used first.
    const again = await save(world, mac, 'primary', world.a.clientId, world.a.clientSecret);
    expect(again.stdout).toContain('already saved');
    await recon(world, mac);
  }
  expect(await everyMacWorks(world, 'set up')).toEqual(world.macs.map(() => world.a.clientId));
}

test('a Mac with two API clients uses the one that last worked, falls back on a refusal, and reports it in the EA', async () => {
  const world = await openWorld(1);
  const mac = world.macs[0]!;
  await setUpFleet(world);
  expect(await recon(world, mac)).toBe(`client ${world.a.clientId} OK`);
  // Jamf Pro ends A's secret (someone rotated it by hand): the heartbeat falls back to B.
  world.secrets.add(world.t.sim.control.rotateClientSecret(world.a.clientId).clientSecret);
  world.t.sim.control.clearRequests();
  expect(await everyMacWorks(world, 'A rotated by hand')).toEqual([world.b.clientId]);
  const tokens = () => world.t.sim.requests.filter((r) => r.path === '/api/oauth/token').map((r) => `${r.status}`);
  expect(tokens()).toEqual(['401', '200']);
  expect(await recon(world, mac)).toBe(`client ${world.b.clientId} OK`);
  // B is tried first from now on: one token request, no refusal.
  world.t.sim.control.clearRequests();
  await everyMacWorks(world, 'B preferred');
  expect(tokens()).toEqual(['200']);
  // Both dead: Failed, and the EA says which client it last knew and that it fails now.
  world.secrets.add(world.t.sim.control.rotateClientSecret(world.b.clientId).clientSecret);
  const r = await heartbeat(world, mac);
  expect(r).toMatchObject({ status: 77, json: { status: 'Failed' } });
  expect(await recon(world, mac)).toBe(`client ${world.b.clientId} Failed`);
  // --auth-delete-all removes the second client and the preference too.
  const out = captureOutput();
  expect(await runCommand(['--auth-delete-all'], out, deps(world, mac))).toBe(0);
  world.outputs.push(out.stdout(), out.stderr());
  expect(out.stdout()).toContain('superd_auth_jamf_secret_secondary');
  expect(mac.fake.keychain().map((i) => i.account).filter((a) => a.startsWith('superd_auth_jamf'))).toEqual([]);
});

test('a secondary saved before any primary becomes the primary (a Mac that first meets the policy)', async () => {
  const world = await openWorld(1);
  const mac = world.macs[0]!;
  const r = await save(world, mac, 'secondary', world.b.clientId, world.b.clientSecret);
  expect(r.status).toBe(0);
  expect(r.stderr).toContain('saved as the primary');
  expect(await mac.store.get('jamf_client')).toBe(world.b.clientId);
  expect(await mac.store.get('jamf_client_secondary')).toBeNull();
  expect(await everyMacWorks(world, 'B as primary')).toEqual([world.b.clientId]);
});

test('save refuses a secret Jamf Pro does not accept, and the same client in both slots; nothing changes', async () => {
  const world = await openWorld(1);
  const mac = world.macs[0]!;
  await setUpFleet(world);
  const keychainBefore = JSON.stringify(mac.fake.keychain());
  const wrong = await save(world, mac, 'secondary', world.b.clientId, 'not-the-secret-of-b-0123456789');
  expect(wrong.status).toBe(77);
  expect(wrong.stderr).toContain('Nothing was saved');
  const same = await save(world, mac, 'secondary', world.a.clientId, world.a.clientSecret);
  expect(same.status).toBe(64);
  expect(same.stderr).toContain('already the primary API client');
  expect(JSON.stringify(mac.fake.keychain())).toBe(keychainBefore);
  expect(await everyMacWorks(world, 'after refusals')).toEqual([world.a.clientId]);
});

test('rotate B, the Macs pick it up through the policy, then rotate A: every Mac works at every step', async () => {
  const world = await openWorld(3);
  await setUpFleet(world);

  // 1. The fleet relies on A: B is rotated, written to the policy, the policy's logs flushed.
  const first = await rotateFleet(world, [], async (polls) => {
    // Before any Mac has checked in, B's old secret is dead: every Mac still works, with A.
    if (polls === 1) expect(await everyMacWorks(world, 'B rotated, no Mac has it yet')).toEqual(world.macs.map(() => world.a.clientId));
    const mac = world.macs[polls - 1];
    if (mac) await checkIn(world, mac);
    await everyMacWorks(world, `poll ${polls}`);
  });
  expect(first.stdout).toContain('Result: confirmed');
  expect(first.status).toBe(0);
  const newB = world.t.sim.control.client(world.b.clientId).secret!;
  world.secrets.add(newB);
  expect(newB).not.toBe(world.b.clientSecret);
  expect(world.policy.scripts[0]!.parameters).toMatchObject({ 4: 'secondary', 5: world.b.clientId, 6: newB });
  expect(await everyMacWorks(world, 'fleet on B')).toEqual(world.macs.map(() => world.b.clientId));
  // The new secret was written to Jamf Pro (the policy), never printed.
  expect(first.stdout).not.toContain(newB);

  // 2. The fleet relies on B: now A is rotated.
  const aBefore = world.t.sim.control.client(world.a.clientId).secret!;
  const second = await rotateFleet(world, [], async (polls) => {
    const mac = world.macs[polls - 1];
    if (mac) await checkIn(world, mac);
    await everyMacWorks(world, `second rotation, poll ${polls}`);
  });
  expect(second.status).toBe(0);
  const newA = world.t.sim.control.client(world.a.clientId).secret!;
  world.secrets.add(newA);
  expect(newA).not.toBe(aBefore);
  expect(world.policy.scripts[0]!.parameters).toMatchObject({ 4: 'primary', 5: world.a.clientId, 6: newA });
  expect(await everyMacWorks(world, 'fleet on A')).toEqual(world.macs.map(() => world.a.clientId));
  // Each Mac now holds the new A (primary) and the new B (secondary): both work.
  for (const mac of world.macs) {
    expect(await mac.store.get('jamf_secret')).toBe(newA);
    expect(await mac.store.get('jamf_secret_secondary')).toBe(newB);
  }
});

test('bounded and resumable: a run that times out exits 75 and the next one continues without rotating again', async () => {
  const world = await openWorld(2);
  await setUpFleet(world);
  // No Mac checks in within the wait.
  const first = await rotateFleet(world, ['--wait-minutes=2'], async () => everyMacWorks(world, 'waiting').then(() => undefined));
  expect(first.status).toBe(75);
  expect(first.stdout).toContain('Result: waiting');
  expect(first.stdout).toContain('Run the same command again to continue waiting');
  const issued = world.t.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/client-credentials')).length;
  world.secrets.add(world.t.sim.control.client(world.b.clientId).secret!);
  expect(issued).toBe(1);
  // A second run: B is being distributed and not every Mac has it, so nothing new is rotated.
  await checkIn(world, world.macs[0]!);
  const second = await rotateFleet(world, [], async (polls) => {
    const mac = world.macs[polls];
    if (mac) await checkIn(world, mac);
    await everyMacWorks(world, `resumed, poll ${polls}`);
  });
  expect(second.status).toBe(0);
  expect(second.stdout).toContain('continuing that rotation, nothing new is rotated');
  expect(world.t.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/client-credentials'))).toHaveLength(1);
  expect(await everyMacWorks(world, 'done')).toEqual(world.macs.map(() => world.b.clientId));
});

test('a rotation under way whose secret Jamf Pro no longer accepts is replaced, and the Macs still work', async () => {
  const world = await openWorld(2);
  await setUpFleet(world);
  const first = await rotateFleet(world, ['--wait-minutes=0'], async () => undefined);
  expect(first.status).toBe(75);
  world.secrets.add(world.t.sim.control.client(world.b.clientId).secret!);
  // One Mac takes B; then someone rotates B by hand in Jamf Pro: that Mac falls back to A.
  await checkIn(world, world.macs[0]!);
  world.secrets.add(world.t.sim.control.rotateClientSecret(world.b.clientId).clientSecret);
  expect(await everyMacWorks(world, 'B rotated by hand')).toEqual(world.macs.map(() => world.a.clientId));
  const second = await rotateFleet(world, [], async (polls) => {
    const mac = world.macs[polls - 1];
    if (mac) await checkIn(world, mac);
    await everyMacWorks(world, `replaced, poll ${polls}`);
  });
  expect(second.stdout).toContain('Jamf Pro refuses the secret in the policy');
  expect(second.status).toBe(0);
  const newest = world.t.sim.control.client(world.b.clientId).secret!;
  world.secrets.add(newest);
  expect(world.policy.scripts[0]!.parameters[6]).toBe(newest);
  expect(await everyMacWorks(world, 'done')).toEqual(world.macs.map(() => world.b.clientId));
});

test('refuses to rotate while the Macs report different clients, naming them; nothing is rotated', async () => {
  const world = await openWorld(2);
  await setUpFleet(world);
  // One Mac moved to B on its own (its A was refused once): the fleet relies on both.
  expect((await save(world, world.macs[1]!, 'secondary', world.b.clientId, world.b.clientSecret)).status).toBe(0);
  await recon(world, world.macs[1]!);
  const r = await rotateFleet(world, [], async () => undefined);
  expect(r.status).toBe(75);
  expect(r.stdout).toContain('Result: refused');
  expect(r.stdout).toContain(`${world.macs[1]!.name} (id ${world.macs[1]!.computerId}): client ${world.b.clientId} OK`);
  expect(world.t.sim.requests.filter((q) => q.path.endsWith('/client-credentials'))).toHaveLength(0);
  await everyMacWorks(world, 'after the refusal');
});

test('the policy script hands the secret to superd on standard input, never as an argument', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'superd-policy-'));
  try {
    mkdirSync(path.join(root, 'usr/local/bin'), { recursive: true });
    // A stand-in for superd that records its arguments and its standard input.
    writeFileSync(path.join(root, 'usr/local/bin/superd'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${root}/argv"\ncat > "${root}/stdin"\n`);
    chmodSync(path.join(root, 'usr/local/bin/superd'), 0o755);
    const secret = 'Sim-policy-secret-4f9c2a';
    const r = spawnSync('sh', [POLICY_SCRIPT, '/', 'Mac 1', 'user', 'secondary', 'client-b-id', secret], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', SUPERD_ROOT: root } });
    expect(r.status).toBe(0);
    expect(readFileSync(path.join(root, 'argv'), 'utf8').split('\n')).toEqual(['jamf-client', 'save', '--slot=secondary', '--client-id=client-b-id', '']);
    expect(readFileSync(path.join(root, 'stdin'), 'utf8')).toBe(`${secret}\n`);
    expect(r.stdout + r.stderr).not.toContain(secret);
    // Empty parameters (a policy created before the first rotation): nothing to do, not an error.
    rmSync(path.join(root, 'argv'));
    const empty = spawnSync('sh', [POLICY_SCRIPT, '/', 'Mac 1', 'user', '', '', ''], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', SUPERD_ROOT: root } });
    expect(empty.status).toBe(0);
    expect(empty.stdout).toContain('nothing to do');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
