import { credentialsCommand } from '../../daemon/cli/commands/credentials';
import { statusCommand } from '../../daemon/cli/commands/status';
import { nextHeartbeatDue } from '../../daemon/credentials/heartbeat';
import { SUPERD_PRIVILEGES } from '../sim/jamf/privileges';
import { captureOutput } from '../helpers/captureOutput';
import { findSecrets } from '../helpers/secretScan';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';
import { createJamfAgent } from '../../daemon/jamf/jamfAgent';

let w: RunWorld | undefined;
const outputs: string[] = [];
afterEach(async () => {
  if (!w) return;
  expect(findSecrets([w.fx.superdClient.clientSecret], w.mac.root, [...outputs, ...w.outputs])).toEqual([]);
  await w.close();
  w = undefined;
});

function current(): RunWorld {
  if (!w) throw new Error('no world open');
  return w;
}

async function heartbeat(): Promise<{ status: number; json: Record<string, unknown> }> {
  const w = current();
  const output = captureOutput();
  const agent = createJamfAgent({ ca: w.sim.ca });
  try {
    const status = await credentialsCommand(['heartbeat', '--json'], output, { dispatcher: agent, now: () => new Date(w.sim.clock.now()), env: { SUPERD_ROOT: w.mac.root } });
    outputs.push(output.stdout(), output.stderr());
    return { status, json: JSON.parse(output.stdout()) as Record<string, unknown> };
  } finally {
    await agent.close();
  }
}

test('Success: token, auth, invalidate; recorded in the status plist and superd status', async () => {
  w = await openRunWorld();
  await w.saveClient();
  w.sim.control.clearRequests();
  const r = await heartbeat();
  expect(r).toMatchObject({ status: 0, json: { status: 'Success' } });
  expect(w.sim.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /api/oauth/token', 'GET /api/v1/jamf-pro-version', 'GET /api/v1/auth', 'POST /api/v1/auth/invalidate-token']);
  const out = captureOutput();
  await statusCommand(['--json'], out);
  expect(JSON.parse(out.stdout()).heartbeat).toEqual({ status: 'Success', checkedAt: r.json.checkedAt });
});

test('Failed, then paused: nothing is sent again until a new credential is saved', async () => {
  w = await openRunWorld();
  await w.saveClient();
  w.sim.control.rotateClientSecret(w.fx.superdClient.clientId);
  expect(await heartbeat()).toMatchObject({ status: 77, json: { status: 'Failed' } });
  w.sim.control.clearRequests();
  expect(await heartbeat()).toMatchObject({ status: 77, json: { status: 'Failed', skipped: 'paused-after-failure' } });
  expect(w.sim.requests).toHaveLength(0);
  // A run does not try the failed credential either.
  expect((await w.run()).status).toBe(77);
  expect(w.sim.requests).toHaveLength(0);
  // A new credential resumes the heartbeat.
  const fresh = w.sim.control.rotateClientSecret(w.fx.superdClient.clientId);
  await w.store.set('jamf_secret', fresh.clientSecret);
  expect(await heartbeat()).toMatchObject({ status: 0, json: { status: 'Success' } });
  expect(findSecrets([fresh.clientSecret], w.mac.root, outputs)).toEqual([]);
});

test('UnableToConnect: exit 75, not paused (it retries at the interval)', async () => {
  w = await openRunWorld({ mac: { jssUrl: 'https://127.0.0.1:1/' } });
  await w.saveClient();
  expect(await heartbeat()).toMatchObject({ status: 75, json: { status: 'UnableToConnect' } });
  expect((await w.status()).heartbeatPausedFor).toBeNull();
});

test('InsufficientPrivileges names the missing ones', async () => {
  w = await openRunWorld();
  w.sim.control.setRolePrivileges(w.fx.superdRole.id, SUPERD_PRIVILEGES.filter((p) => p !== 'Create Managed Software Updates'));
  await w.saveClient();
  expect(await heartbeat()).toMatchObject({ status: 77, json: { status: 'InsufficientPrivileges', missingPrivileges: ['Create Managed Software Updates'] } });
});

test('UnknownError: a server error, exit 70', async () => {
  w = await openRunWorld();
  await w.saveClient();
  w.sim.control.injectFault({ path: '/api/v1/auth', kind: 'status', status: 500, times: Infinity });
  const r = await heartbeat();
  expect(r).toMatchObject({ status: 70, json: { status: 'UnknownError', message: expect.stringMatching(/500/) } });
  expect((await w!.status()).heartbeatPausedFor).toBeNull();
});

test('a Failed heartbeat with AuthCredentialFailoverToUser makes the next run fail over to the user', async () => {
  w = await openRunWorld({ mac: { users: [{ name: 'jdoe', password: 'Jdoe-Pass-4821', admin: true, secureToken: true }], consoleUser: 'jdoe', dialog: [{ kind: 'ok', text: 'Jdoe-Pass-4821' }] } });
  await w.saveClient();
  w.sim.control.rotateClientSecret(w.fx.superdClient.clientId);
  await heartbeat();
  const r = await w.run(['run', '--auth-credential-failover-to-user']);
  expect(r.status).toBe(0);
  expect(w.mac.invocations().some((i) => i.command === '/usr/sbin/softwareupdate' && i.argv.includes('--stdinpass'))).toBe(true);
  expect(findSecrets(['Jdoe-Pass-4821'], w.mac.root, w.outputs)).toEqual([]);
});

describe('nextHeartbeatDue (simulated clock)', () => {
  test('every interval after the last, with a stable per-Mac offset under a tenth of the interval', () => {
    const now = new Date('2026-11-22T12:00:00Z');
    const a = nextHeartbeatDue({ lastCheckedAt: '2026-11-22T08:00:00Z', intervalHours: 4, jitterSeed: 'MAC-A', now });
    const b = nextHeartbeatDue({ lastCheckedAt: '2026-11-22T08:00:00Z', intervalHours: 4, jitterSeed: 'MAC-B', now });
    for (const d of [a, b]) {
      expect(d.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-11-22T12:00:00Z'));
      expect(d.getTime()).toBeLessThanOrEqual(Date.parse('2026-11-22T12:24:00Z'));
    }
    expect(a.getTime()).not.toBe(b.getTime());
    expect(nextHeartbeatDue({ lastCheckedAt: '2026-11-22T08:00:00Z', intervalHours: 4, jitterSeed: 'MAC-A', now })).toEqual(a);
    expect(nextHeartbeatDue({ lastCheckedAt: null, intervalHours: 4, jitterSeed: 'MAC-A', now }).getTime()).toBeLessThanOrEqual(now.getTime() + 24 * 60_000);
  });
});
