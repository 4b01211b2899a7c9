/**
 * Jamf Pro cost of one successful push (issue 5): requests by endpoint beside the minimum the
 * plans workflow needs, and how the wall time grows with 50 ms of latency per request.
 */
import { KeychainSecretStore, SUPERD_KEYCHAIN } from '../daemon/auth/keychainSecretStore';
import type { Output } from '../daemon/cli/output';
import { createRunCommand } from '../daemon/host/runCommand';
import { openPushWorld } from './pushWorld';

const LATENCY_MS = 50;
const quiet: Output = { out: () => undefined, err: (t) => process.stderr.write(`${t}\n`) };

/** The fewest calls one plans push can make; plan polls depend on how long Jamf Pro takes. */
const MINIMUM: Record<string, number> = {
  'POST /api/oauth/token': 1,
  'GET /api/v1/jamf-pro-version': 1,
  'GET /api/v1/auth': 1,
  'GET /api/v4/computers-inventory': 1,
  'GET /api/v1/managed-software-updates/plans/feature-toggle': 1,
  'GET /api/v1/managed-software-updates/plans': 1,
  'POST /api/v1/managed-software-updates/plans': 1,
  'POST /api/v2/mdm/blank-push': 1,
  'GET /api/v1/managed-software-updates/plans/{id}': 1,
  'POST /api/v1/auth/invalidate-token': 1,
};

async function onePush(latencyMs: number): Promise<{ ms: number; byEndpoint: Map<string, number>; requests: number; status: number }> {
  const world = await openPushWorld();
  try {
    const store = new KeychainSecretStore({ run: createRunCommand(world.mac.root), ...SUPERD_KEYCHAIN });
    await store.set('jamf_client', world.fx.superdClient.clientId);
    await store.set('jamf_secret', world.fx.superdClient.clientSecret);
    if (latencyMs > 0) world.sim.control.injectFault({ kind: 'latency', ms: latencyMs, times: Infinity });
    world.sim.control.clearRequests();
    const start = process.hrtime.bigint();
    const status = await world.run([], quiet);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const byEndpoint = new Map<string, number>();
    for (const r of world.sim.requests) {
      const key = `${r.method} ${r.path.replace(/\/plans\/[0-9A-F-]{36}$/i, '/plans/{id}')}`;
      byEndpoint.set(key, (byEndpoint.get(key) ?? 0) + 1);
    }
    return { ms, byEndpoint, requests: world.sim.requests.length, status };
  } finally {
    await world.close();
  }
}

export async function benchPush(): Promise<string[]> {
  const base = await onePush(0);
  const slow = await onePush(LATENCY_MS);
  if (base.status !== 0 || slow.status !== 0) throw new Error(`the push failed (exit ${base.status} / ${slow.status})`);
  const lines = ['One successful push (plans API, Jamf Pro 11.30.0), Jamf Pro requests by endpoint:'];
  let extra = 0;
  for (const [endpoint, count] of [...base.byEndpoint].sort()) {
    const min = MINIMUM[endpoint] ?? 0;
    const polls = endpoint.endsWith('/plans/{id}');
    if (!polls) extra += Math.max(0, count - min);
    lines.push(`  ${endpoint.padEnd(62)} ${String(count).padStart(3)}  (minimum ${min}${polls ? '; polls follow the plan with back-off 10 s → 60 s' : ''})`);
  }
  lines.push(`  total ${base.requests}; beyond the minimum (plan polls aside): ${extra}`);
  const added = slow.ms - base.ms;
  const expected = slow.requests * LATENCY_MS;
  lines.push(
    `Wall time of one push: ${base.ms.toFixed(0)} ms without latency, ${slow.ms.toFixed(0)} ms with ${LATENCY_MS} ms per request;`,
    `  latency added ${added.toFixed(0)} ms for ${slow.requests} requests × ${LATENCY_MS} ms = ${expected} ms → ${(added / expected).toFixed(2)}× (target ≤ 1.2×: requests are sequential, nothing waits twice)`,
  );
  return lines;
}
