/**
 * Jamf Pro requests (issues 5 and 18), counted by the HTTPS Jamf Pro simulator's request log:
 * - a heartbeat (budget: 2 requests, a token and its invalidation; daily, so steady state costs
 *   at most 2 requests per Mac per day);
 * - a verified push with the rarely changing facts remembered (budget: 6 requests, plan polls
 *   aside), a push after they expired and the first push of a Mac (for reference), the plan
 *   polls (at least 30 s apart on the run's clock);
 * - how the wall time of a push grows with 50 ms of latency per request.
 */
import { credentialsCommand } from '../daemon/cli/commands/credentials';
import { settingsSchema } from '../daemon/config/schema';
import type { Output } from '../daemon/cli/output';
import { createJamfAgent } from '../daemon/jamf/jamfAgent';
import { MIN_POLL_MS } from '../daemon/workflow/verifyUpdate';
import { budgetLine } from './benchBudget';
import { openRunWorld, type RunWorld } from '../test/helpers/runWorld';

const LATENCY_MS = 50;
const DAY_MS = 24 * 3600_000;
/** Issue 18's budgets. */
export const HEARTBEAT_BUDGET = 2;
export const PUSH_BUDGET = 6;
const quiet: Output = { out: () => undefined, err: (t) => process.stderr.write(`${t}\n`) };
const POLL = /^GET \/api\/v1\/managed-software-updates\/plans\/[0-9A-F-]{36}$/i;

type World = RunWorld;
interface Counted { requests: string[]; polls: number[]; ms: number; status: number }

async function openWorld(latencyMs = 0): Promise<World> {
  // The test world: the simulator (11.30.0, plans feature on) and a fake Mac on 15.5 coupled to
  // it, with one clock (the simulator's) for superd's waits and its remembered facts alike.
  const world = await openRunWorld();
  await world.saveClient();
  if (latencyMs > 0) world.sim.control.injectFault({ kind: 'latency', ms: latencyMs, times: Infinity });
  return world;
}

async function counted(world: World, act: () => Promise<number>): Promise<Counted> {
  world.sim.control.clearRequests();
  const start = process.hrtime.bigint();
  const status = await act();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const all = world.sim.requests.map((r) => ({ key: `${r.method} ${r.path}`, at: r.at }));
  return { requests: all.filter((r) => !POLL.test(r.key)).map((r) => r.key), polls: all.filter((r) => POLL.test(r.key)).map((r) => r.at), ms, status };
}

function heartbeat(world: World): Promise<number> {
  const agent = createJamfAgent({ ca: world.sim.ca });
  return credentialsCommand(['heartbeat', '--json'], quiet, { dispatcher: agent, env: { SUPERD_ROOT: world.mac.root }, runCommand: world.runCommand, now: () => new Date(world.sim.clock.now()) }).finally(() => agent.close());
}

/** The Mac installed 15.6 and 15.7 is offered (build 24G222 as a Mac reported it in super issue #381). */
function nextRelease(world: World): void {
  world.mac.update({ macOS: { productVersion: '15.6', buildVersion: '24G84' }, availableUpdates: [{ label: 'macOS Sequoia 15.7-24G222', title: 'macOS Sequoia 15.7', version: '15.7', restart: true }] });
  world.sim.control.updateComputer(world.computer.id, { osVersion: '15.6', osBuild: '24G84' });
}

/** The first push of a Mac, then the next release `afterMs` later. */
async function twoPushes(afterMs: number, latencyMs = 0): Promise<{ first: Counted; second: Counted }> {
  const world = await openWorld(latencyMs);
  try {
    const first = await counted(world, async () => (await world.run()).status);
    nextRelease(world);
    world.sim.clock.advance(afterMs);
    const second = await counted(world, async () => (await world.run()).status);
    if (first.status !== 0 || second.status !== 0) throw new Error(`a push failed (exit ${first.status} / ${second.status})`);
    return { first, second };
  } finally {
    await world.close();
  }
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);
const list = (c: Counted) => `${c.requests.map((r) => r.replace(/^(\w+) \/api\/(v\d\/)?/, '$1 ')).join(', ')} + ${c.polls.length} polls`;

export async function benchPush(): Promise<string[]> {
  const hbWorld = await openWorld();
  let hb: Counted;
  try {
    hb = await counted(hbWorld, () => heartbeat(hbWorld));
  } finally {
    await hbWorld.close();
  }
  if (hb.status !== 0) throw new Error(`the heartbeat failed (exit ${hb.status})`);
  const warm = await twoPushes(DAY_MS);
  const expired = await twoPushes(8 * DAY_MS);
  const slow = await twoPushes(DAY_MS, LATENCY_MS);
  const pollGaps = [...gaps(warm.second.polls), ...gaps(warm.first.polls)];
  const minGap = pollGaps.length > 0 ? Math.min(...pollGaps) : Infinity;
  // Heartbeats a day at the default CredentialHeartbeatInterval; an update check that finds nothing sends no request.
  const hours = settingsSchema.CredentialHeartbeatInterval.default ?? 24;
  const perDay = Math.ceil(24 / hours) * hb.requests.length;
  const lines = [
    'Jamf Pro requests (issue 18 budget; counted by the Jamf Pro simulator, 11.30.0, plans API):',
    budgetLine('per heartbeat', hb.requests.length, HEARTBEAT_BUDGET, hb.requests.join(', '), ''),
    budgetLine('per Mac per day, no update', perDay, HEARTBEAT_BUDGET, `${Math.ceil(24 / hours)} heartbeat(s) a day (default CredentialHeartbeatInterval ${hours} h); an update check that finds nothing sends none`, ''),
    budgetLine('per verified push', warm.second.requests.length, PUSH_BUDGET, `facts remembered (next release 1 day later): ${list(warm.second)}`, ''),
    `  ${'plan polls, closest two'.padEnd(26)} ${`${Number.isFinite(minGap) ? Math.round(minGap / 1000) : '-'} s`.padStart(6)}  (budget ≥ ${MIN_POLL_MS / 1000} s)  ${minGap >= MIN_POLL_MS ? 'PASS' : 'OVER'}  back-off 30 s × 1.5 up to 120 s; a log line never polls`,
    `  push after 8 days           ${String(expired.second.requests.length).padStart(6)}  (within budget: the toggle expired (7 days) and is read again) ${list(expired.second)}`,
    `  first push of a Mac         ${String(warm.first.requests.length).padStart(6)}  (for reference: nothing remembered yet) ${list(warm.first)}`,
  ];
  const added = slow.second.ms - warm.second.ms;
  const sent = slow.second.requests.length + slow.second.polls.length;
  const expected = sent * LATENCY_MS;
  lines.push(
    `Wall time of a push (facts remembered): ${warm.second.ms.toFixed(0)} ms without latency, ${slow.second.ms.toFixed(0)} ms with ${LATENCY_MS} ms per request;`,
    `  latency added ${added.toFixed(0)} ms for ${sent} requests × ${LATENCY_MS} ms = ${expected} ms → ${(added / expected).toFixed(2)}× (target ≤ 1.2×: requests are sequential, nothing waits twice)`,
  );
  return lines;
}
