/**
 * The request budget of issue 18: steady state costs at most 2 requests per Mac per day, and
 * that is the daily heartbeat — a token and its invalidation, nothing else. Counted by the
 * HTTPS Jamf Pro simulator (test/sim/jamf/requestLog.ts records every request it answers).
 */
import { credentialsCommand } from '../../daemon/cli/commands/credentials';
import { createJamfAgent } from '../../daemon/jamf/jamfAgent';
import { captureOutput } from '../helpers/captureOutput';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';
import { findSecrets } from '../helpers/secretScan';

let w: RunWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function heartbeat(world: RunWorld): Promise<{ status: number; json: Record<string, unknown>; out: string }> {
  const output = captureOutput();
  const agent = createJamfAgent({ ca: world.sim.ca });
  try {
    const status = await credentialsCommand(['heartbeat', '--json'], output, {
      dispatcher: agent,
      now: () => new Date(world.sim.clock.now()),
      env: { SUPERD_ROOT: world.mac.root },
      runCommand: world.runCommand,
      stdin: undefined,
    });
    return { status, json: JSON.parse(output.stdout()) as Record<string, unknown>, out: output.stdout() + output.stderr() };
  } finally {
    await agent.close();
  }
}

const sent = (world: RunWorld) => world.sim.requests.map((r) => `${r.method} ${r.path}`);

test('an API client: exactly a token and its invalidation', async () => {
  w = await openRunWorld();
  await w.saveClient();
  w.sim.control.clearRequests();
  const r = await heartbeat(w);
  expect(r).toMatchObject({ status: 0, json: { status: 'Success' } });
  expect(sent(w)).toEqual(['POST /api/oauth/token', 'POST /api/v1/auth/invalidate-token']);
  // The token sent to be invalidated is the one just issued: the simulator refuses it afterwards.
  expect(w.sim.requests[1]!.status).toBe(204);
  expect(findSecrets([w.fx.superdClient.clientSecret], w.mac.root, [r.out])).toEqual([]);
});

test('a Jamf Pro account: exactly a token and its invalidation', async () => {
  w = await openRunWorld();
  await w.store.set('jamf_account', w.fx.rotator.username);
  await w.store.set('jamf_password', w.fx.rotator.password);
  w.sim.control.clearRequests();
  const r = await heartbeat(w);
  expect(r).toMatchObject({ status: 0, json: { status: 'Success' } });
  expect(sent(w)).toEqual(['POST /api/v1/auth/token', 'POST /api/v1/auth/invalidate-token']);
  expect(findSecrets([w.fx.rotator.password], w.mac.root, [r.out])).toEqual([]);
});

test('a rejected credential: the one token request, no invalidation (no token was issued)', async () => {
  w = await openRunWorld();
  await w.saveClient();
  w.sim.control.rotateClientSecret(w.fx.superdClient.clientId);
  w.sim.control.clearRequests();
  expect(await heartbeat(w)).toMatchObject({ status: 77, json: { status: 'Failed' } });
  expect(sent(w)).toEqual(['POST /api/oauth/token']);
});
