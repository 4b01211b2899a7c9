/**
 * Issue 16's acceptance: one row per Jamf Pro fault, each driving the real commands (`superd run`
 * and `superd credentials heartbeat`) against the HTTPS simulator and the fake Mac, asserting the
 * exit status, the status fields and whether the credential is paused: paused means the next
 * run and heartbeat send nothing with it; not paused means they use it again. The verdicts come
 * from daemon/jamf/refusal.ts (docs/decisions.md, "Refused means refused").
 */
import { Agent, type Dispatcher } from 'undici';
import { credentialsCommand } from '../../daemon/cli/commands/credentials';
import { statusJson } from '../../daemon/cli/commands/status';
import { createJamfAgent } from '../../daemon/jamf/jamfAgent';
import { captureOutput } from '../helpers/captureOutput';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';
import { findSecrets } from '../helpers/secretScan';
import { faultBodies, type FaultSpec } from '../sim/jamf';

const TOKEN = '/api/oauth/token';
const PLANS = '/api/v1/managed-software-updates/plans';
/**
 * "Another call": the plans feature toggle, which every run on a plans server reads. Neither a
 * run nor a heartbeat calls GET /api/v1/auth any more (issue 18's budget: a heartbeat is a token
 * and its invalidation), so the heartbeat is untouched by these rows.
 */
const OTHER = `${PLANS}/feature-toggle`;
const INVENTORY = '/api/v*/computers-inventory';

type Connection = 'sim' | 'untrusted-ca' | 'wrong-host-name' | { shortTimeoutOn: string };

interface Row {
  readonly name: string;
  readonly faults: (w: RunWorld) => FaultSpec[];
  readonly connection?: Connection;
  readonly run: { readonly exit: number; readonly paused: boolean; readonly lastError: RegExp | null; readonly nextAttemptAtLeastMs?: number };
  readonly heartbeat: { readonly status: string; readonly exit: number; readonly paused: boolean };
}

const always = { times: Infinity };
const FAILING = /unreachable or failing|Cannot reach Jamf Pro/;

const ROWS: readonly Row[] = [
  {
    name: '401 on the token request',
    faults: () => [{ method: 'POST', path: TOKEN, kind: 'status', status: 401, body: { error: 'invalid_client' } }],
    run: { exit: 77, paused: true, lastError: /rejected/ },
    heartbeat: { status: 'Failed', exit: 77, paused: true },
  },
  {
    name: '400 invalid_client on the OAuth token request',
    faults: () => [{ method: 'POST', path: TOKEN, kind: 'status', status: 400, body: { error: 'invalid_client', error_description: 'OAuth 2.0 Parameter: client_secret' } }],
    run: { exit: 77, paused: true, lastError: /rejected/ },
    heartbeat: { status: 'Failed', exit: 77, paused: true },
  },
  {
    name: '400 invalid_request on the token request (not about the credential)',
    faults: () => [{ method: 'POST', path: TOKEN, kind: 'status', status: 400, body: { error: 'invalid_request' } }],
    run: { exit: 75, paused: false, lastError: FAILING },
    heartbeat: { status: 'UnableToConnect', exit: 75, paused: false },
  },
  {
    name: '401 once on another call (a new token, then it works)',
    faults: () => [{ method: 'GET', path: OTHER, kind: 'status', status: 401 }],
    run: { exit: 0, paused: false, lastError: null },
    heartbeat: { status: 'Success', exit: 0, paused: false },
  },
  {
    name: '401 repeated on another call, with fresh tokens',
    faults: () => [{ method: 'GET', path: OTHER, kind: 'status', status: 401, ...always }],
    run: { exit: 75, paused: false, lastError: /refused a token it had just issued/ },
    heartbeat: { status: 'Success', exit: 0, paused: false },
  },
  {
    name: '403 on the inventory lookup',
    faults: () => [{ method: 'GET', path: INVENTORY, kind: 'status', status: 403, body: { httpStatus: 403, errors: [{ code: 'INVALID_PRIVILEGE', description: 'Forbidden', id: '0', field: null }] }, ...always }],
    run: { exit: 77, paused: false, lastError: /Read Computers/ },
    heartbeat: { status: 'Success', exit: 0, paused: false },
  },
  {
    name: '403 on GET the feature toggle',
    faults: () => [{ method: 'GET', path: OTHER, kind: 'status', status: 403, ...always }],
    run: { exit: 77, paused: false, lastError: /Read Managed Software Updates/ },
    heartbeat: { status: 'Success', exit: 0, paused: false },
  },
  {
    name: '404 on every inventory version',
    faults: () => [{ method: 'GET', path: INVENTORY, kind: 'status', status: 404, ...always }],
    run: { exit: 75, paused: false, lastError: /404/ },
    heartbeat: { status: 'Success', exit: 0, paused: false },
  },
  {
    name: '409 on POST /plans',
    faults: () => [{ method: 'POST', path: PLANS, kind: 'status', status: 409, ...always }],
    run: { exit: 75, paused: false, lastError: /409/ },
    heartbeat: { status: 'Success', exit: 0, paused: false },
  },
  {
    name: '429 with Retry-After once on POST /plans (repeated in the run)',
    faults: () => [{ method: 'POST', path: PLANS, kind: 'rateLimit', retryAfterSeconds: 3 }],
    run: { exit: 0, paused: false, lastError: null },
    heartbeat: { status: 'Success', exit: 0, paused: false },
  },
  {
    name: '429 with Retry-After on every POST /plans',
    faults: () => [{ method: 'POST', path: PLANS, kind: 'rateLimit', retryAfterSeconds: 3, ...always }],
    run: { exit: 75, paused: false, lastError: /429.*retry after 3 s/, nextAttemptAtLeastMs: 3_000 },
    heartbeat: { status: 'Success', exit: 0, paused: false },
  },
  ...[500, 502, 503].map((status): Row => ({
    name: `${status} on GET the feature toggle`,
    faults: () => [{ method: 'GET', path: OTHER, kind: 'status', status, ...always }],
    run: { exit: 75, paused: false, lastError: new RegExp(`unreachable or failing: it answered ${status}`) },
    heartbeat: { status: 'Success', exit: 0, paused: false },
  })),
  {
    // Two hours: longer than the whole jitter window of the default error timer (60 minutes).
    name: '503 with Retry-After on the token request',
    faults: () => [{ method: 'POST', path: TOKEN, kind: 'status', status: 503, headers: { 'Retry-After': '7200' }, ...always }],
    run: { exit: 75, paused: false, lastError: /503.*retry after 7200 s/, nextAttemptAtLeastMs: 7_200_000 },
    heartbeat: { status: 'UnableToConnect', exit: 75, paused: false },
  },
  {
    name: 'HTML page with 200 from the token request',
    faults: () => [faultBodies.htmlOk({ method: 'POST', path: TOKEN, ...always })],
    run: { exit: 75, paused: false, lastError: /unreachable or failing.*HTML page/ },
    heartbeat: { status: 'UnableToConnect', exit: 75, paused: false },
  },
  {
    name: 'HTML page with 200 from GET the feature toggle',
    faults: () => [faultBodies.htmlOk({ method: 'GET', path: OTHER, ...always })],
    run: { exit: 75, paused: false, lastError: /unreachable or failing.*HTML page/ },
    heartbeat: { status: 'Success', exit: 0, paused: false },
  },
  {
    name: 'truncated JSON from the token request',
    faults: () => [faultBodies.truncated({ method: 'POST', path: TOKEN, ...always })],
    run: { exit: 75, paused: false, lastError: FAILING },
    heartbeat: { status: 'UnableToConnect', exit: 75, paused: false },
  },
  {
    name: 'truncated JSON from GET the feature toggle',
    faults: () => [faultBodies.truncated({ method: 'GET', path: OTHER, ...always })],
    run: { exit: 75, paused: false, lastError: /does not parse/ },
    heartbeat: { status: 'Success', exit: 0, paused: false },
  },
  {
    name: 'wrong types from the token request',
    faults: () => [faultBodies.wrongTypes({ method: 'POST', path: TOKEN, ...always }, { access_token: 12345, token_type: 'Bearer', expires_in: '599' })],
    run: { exit: 75, paused: false, lastError: /access_token/ },
    heartbeat: { status: 'UnableToConnect', exit: 75, paused: false },
  },
  {
    name: 'wrong types from GET the feature toggle',
    faults: () => [faultBodies.wrongTypes({ method: 'GET', path: OTHER, ...always }, { toggle: 'yes', forceInstallLocalDateEnabled: true })],
    run: { exit: 75, paused: false, lastError: /toggle/ },
    heartbeat: { status: 'Success', exit: 0, paused: false },
  },
  {
    name: 'wrong types in the inventory page',
    faults: (w) => [faultBodies.wrongTypes({ method: 'GET', path: INVENTORY, ...always }, { totalCount: 1, results: [{ id: { value: w.computer.id }, udid: w.computer.udid }] })],
    run: { exit: 75, paused: false, lastError: /no id/ },
    heartbeat: { status: 'Success', exit: 0, paused: false },
  },
  {
    name: 'null body from GET the feature toggle',
    faults: () => [faultBodies.nullBody({ method: 'GET', path: OTHER, ...always })],
    run: { exit: 75, paused: false, lastError: /feature-toggle with plans feature toggle: expected a JSON object, got null/ },
    heartbeat: { status: 'Success', exit: 0, paused: false },
  },
  {
    name: 'connection reset on GET the feature toggle',
    faults: () => [{ method: 'GET', path: OTHER, kind: 'reset', ...always }],
    run: { exit: 75, paused: false, lastError: /Cannot reach Jamf Pro/ },
    heartbeat: { status: 'Success', exit: 0, paused: false },
  },
  {
    name: 'connection reset on the token request',
    faults: () => [{ method: 'POST', path: TOKEN, kind: 'reset', ...always }],
    run: { exit: 75, paused: false, lastError: /Cannot reach Jamf Pro/ },
    heartbeat: { status: 'UnableToConnect', exit: 75, paused: false },
  },
  {
    name: 'timeout: GET the feature toggle never answers',
    faults: () => [faultBodies.hang({ method: 'GET', path: OTHER, ...always })],
    connection: { shortTimeoutOn: OTHER },
    run: { exit: 75, paused: false, lastError: /did not answer in time/ },
    heartbeat: { status: 'Success', exit: 0, paused: false },
  },
  {
    name: 'TLS: the certificate is not trusted',
    faults: () => [],
    connection: 'untrusted-ca',
    run: { exit: 75, paused: false, lastError: /TLS certificate/ },
    heartbeat: { status: 'UnableToConnect', exit: 75, paused: false },
  },
  {
    name: 'TLS: the certificate does not name the host',
    faults: () => [],
    connection: 'wrong-host-name',
    run: { exit: 75, paused: false, lastError: /does not name this host/ },
    heartbeat: { status: 'UnableToConnect', exit: 75, paused: false },
  },
];

let w: RunWorld | undefined;
const outputs: string[] = [];
const opened: Dispatcher[] = [];

afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
  if (!w) return;
  // Every row handles the API client's secret and tokens: none may leak into a file, argv or output.
  const secrets = [w.fx.superdClient.clientSecret];
  expect(findSecrets(secrets, w.mac.root, [...outputs.splice(0), ...w.outputs, JSON.stringify(statusJson(await w.status()))])).toEqual([]);
  for (const i of w.mac.invocations()) for (const s of secrets) expect(i.argv.join(' ')).not.toContain(s);
  await w.close();
  w = undefined;
});

/** What sits between superd and the simulator for a row (the dispatcher superd is given). */
function dispatcherFor(connection: Connection | undefined, world: () => RunWorld): ((agent: Dispatcher) => Dispatcher) | undefined {
  if (connection === undefined || connection === 'sim') return undefined;
  if (connection === 'untrusted-ca') {
    // The simulator's CA is not trusted: Node's own verification fails as it does for a server
    // whose certificate an organisation's CA issued that the Mac does not trust.
    const agent = createJamfAgent();
    opened.push(agent);
    return () => agent;
  }
  if (connection === 'wrong-host-name') {
    // The CA is trusted, but the name checked is not one the certificate holds (127.0.0.1,
    // localhost): what a wrong server URL or a TLS-inspecting proxy produces.
    const agent = new Agent({ connect: { ca: world().sim.ca, servername: 'jamf.example.com' } });
    opened.push(agent);
    return () => agent;
  }
  // Only the hanging call gets a short wait for headers, so no other request depends on the
  // machine's speed; the hanging one is never answered, so its timeout always fires.
  const path = connection.shortTimeoutOn;
  return (agent) => agent.compose((dispatch) => (opts, handler) => dispatch(
    (opts.path ?? '').split('?')[0] === path ? { ...opts, headersTimeout: 300, bodyTimeout: 300 } : opts, handler,
  ));
}

async function heartbeat(world: RunWorld, dispatcher: Dispatcher): Promise<{ status: number; json: Record<string, unknown> }> {
  const output = captureOutput();
  const status = await credentialsCommand(['heartbeat', '--json'], output, {
    dispatcher,
    now: () => new Date(world.sim.clock.now()),
    env: { SUPERD_ROOT: world.mac.root },
    runCommand: world.runCommand,
  });
  outputs.push(output.stdout(), output.stderr());
  return { status, json: JSON.parse(output.stdout()) as Record<string, unknown> };
}

const tokenRequests = (world: RunWorld) => world.requests('POST').filter((r) => r.path === TOKEN).length;

describe('superd run', () => {
  test.each(ROWS.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    // Until the faults are cleared, superd talks through the row's connection; then to the simulator.
    let healthy = false;
    let faulty: ((agent: Dispatcher) => Dispatcher) | undefined;
    w = await openRunWorld({
      dispatcher: (agent) => {
        if (healthy) return agent;
        faulty ??= dispatcherFor(row.connection, () => w!);
        return faulty ? faulty(agent) : agent;
      },
    });
    await w.saveClient();
    for (const f of row.faults(w)) w.sim.control.injectFault(f);

    const r = await w.run();
    expect(r.status).toBe(row.run.exit);
    const status = await w.status();
    if (row.run.lastError === null) expect(status.lastError).toBeNull();
    else expect(status.lastError?.message).toMatch(row.run.lastError);
    // A server fault is retried later (a next attempt is scheduled); a refusal waits for an admin.
    if (row.run.exit === 75) expect(status.nextAttempt).not.toBeNull();
    // A refusal is not retried on a timer: it waits for an administrator.
    if (row.run.exit === 77) expect(status.nextAttempt).toBeNull();
    // A run that refuses the credential records it like a failed heartbeat.
    if (row.run.paused) expect(status.heartbeat?.status).toBe('Failed');
    else expect(status.heartbeat?.status ?? null).not.toBe('Failed');
    // Jamf Pro's Retry-After is a floor under the next attempt.
    if (row.run.nextAttemptAtLeastMs !== undefined) expect(Date.parse(status.nextAttempt!) - w.sim.clock.now()).toBeGreaterThanOrEqual(row.run.nextAttemptAtLeastMs);
    expect(status.heartbeatPausedFor !== null).toBe(row.run.paused);

    // The next run, with Jamf Pro healthy again: a paused credential is not sent at all.
    w.sim.control.clearFaults();
    w.sim.control.clearRequests();
    healthy = true;
    const next = await w.run();
    if (row.run.paused) {
      expect(next.status).toBe(77);
      expect(tokenRequests(w)).toBe(0);
    } else {
      expect(next.status).not.toBe(77);
      expect(tokenRequests(w)).toBeGreaterThan(0);
    }
  });
});

describe('superd credentials heartbeat', () => {
  test.each(ROWS.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    w = await openRunWorld();
    await w.saveClient();
    const make = dispatcherFor(row.connection, () => w!);
    const base = createJamfAgent({ ca: w.sim.ca });
    opened.push(base);
    const dispatcher = make ? make(base) : base;
    for (const f of row.faults(w)) w.sim.control.injectFault(f);

    const r = await heartbeat(w, dispatcher);
    expect(r).toMatchObject({ status: row.heartbeat.exit, json: { status: row.heartbeat.status } });
    expect(((await w.status()).heartbeatPausedFor !== null)).toBe(row.heartbeat.paused);

    w.sim.control.clearFaults();
    w.sim.control.clearRequests();
    const next = await heartbeat(w, base);
    if (row.heartbeat.paused) {
      expect(next.json).toMatchObject({ skipped: 'paused-after-failure' });
      expect(w.sim.requests).toHaveLength(0);
    } else {
      expect(next).toMatchObject({ status: 0, json: { status: 'Success' } });
    }
  });
});
