/**
 * The Jamf Pro calls of fleet rotation against the simulator (daemon/credentials/fleetPolicy.ts,
 * test/sim/jamf/fleetPolicies.ts): a policy's scripts read and written back with a secret that
 * needs XML escaping, the log flush that makes a policy due again, the privileges each needs,
 * EA values from inventory, and the parser of the EA's value. The Classic paths are checked
 * against Jamf's swagger when the shared reference is present.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { flushPolicyLogs, parseClientReport, parsePolicyScripts, policyScriptsXml, readFleetValues, readPolicyScripts, writePolicyScripts } from '../../daemon/credentials/fleetPolicy';
import { JamfAuthError, JamfHttpError, JamfResponseError } from '../../daemon/errors';
import { createJamfAgent } from '../../daemon/jamf/jamfAgent';
import { JamfClient } from '../../daemon/jamf/jamfClient';
import { describeWithShared, sharedDir } from '../helpers/sharedReference';
import { closeFleet, FLEET_PRIVILEGES, openFleet } from '../sim/jamf/fleetPolicies';
import { P } from '../sim/jamf/privileges';
import { openTestSim, type TestSim } from '../sim/jamf/testSetup';

let t: TestSim;
let agent: ReturnType<typeof createJamfAgent>;
const clients: JamfClient[] = [];

beforeEach(async () => {
  t = await openTestSim({ version: '11.30.0' });
  agent = createJamfAgent({ ca: t.sim.ca });
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  await agent.close();
  closeFleet(t.sim);
  await t.close();
});

function clientWith(privileges: string[]): JamfClient {
  const role = t.sim.control.addRole(`role ${clients.length}`, privileges);
  const creds = t.sim.control.addClient({ displayName: `client ${clients.length}`, roles: [role.id] });
  const c = new JamfClient({ baseUrl: t.sim.url, credential: { kind: 'client', clientId: creds.clientId, clientSecret: creds.clientSecret }, dispatcher: agent, now: () => t.sim.clock.now() });
  clients.push(c);
  return c;
}

const ALL = [P.readComputers, FLEET_PRIVILEGES.readPolicies, FLEET_PRIVILEGES.updatePolicies, FLEET_PRIVILEGES.flushPolicyLogs];

test('a policy\'s scripts are read, one is given a secret that needs escaping, and all are written back as they were', async () => {
  const fleet = openFleet(t.sim);
  const policy = fleet.addPolicy({ name: 'two scripts', scripts: [{ id: 3, name: 'first.sh', parameters: { 4: 'keep me', 7: 'a & b' } }, { id: 9, name: 'superd-receive-client-secret.sh' }] });
  const client = clientWith(ALL);
  const scripts = await readPolicyScripts(client, String(policy.id));
  expect(scripts.map((s) => [s.id, s.name, s.parameters[4], s.parameters[7]])).toEqual([['3', 'first.sh', 'keep me', 'a & b'], ['9', 'superd-receive-client-secret.sh', '', '']]);
  const secret = `x<y>&"z'${'k'.repeat(20)}`;
  await writePolicyScripts(client, String(policy.id), scripts.map((s, i) => (i === 1 ? { ...s, parameters: { ...s.parameters, 4: 'secondary', 5: 'client-b', 6: secret } } : s)));
  expect(fleet.policy(policy.id).scripts.map((s) => s.parameters)).toEqual([
    { 4: 'keep me', 5: '', 6: '', 7: 'a & b', 8: '', 9: '', 10: '', 11: '' },
    { 4: 'secondary', 5: 'client-b', 6: secret, 7: '', 8: '', 9: '', 10: '', 11: '' },
  ]);
  // Read back through the API: the same values.
  expect((await readPolicyScripts(client, String(policy.id)))[1]!.parameters[6]).toBe(secret);
});

test('the XML written names every script and escapes every parameter; a document that is not a policy is refused', () => {
  const xml = policyScriptsXml([{ id: '5', name: 'n', priority: 'After', parameters: { 4: '<&>' } }]);
  expect(xml).toContain('<scripts><size>1</size><script><id>5</id><priority>After</priority><parameter4>&lt;&amp;&gt;</parameter4>');
  expect(parsePolicyScripts(`<policy>${xml.replace(/^.*?<policy>/, '')}`, 'p')[0]!.parameters[4]).toBe('<&>');
  expect(() => parsePolicyScripts('<html>Status page</html>', 'p')).toThrow(JamfResponseError);
  expect(() => parsePolicyScripts('<policy><general/></policy>', 'p')).toThrow(/no <scripts>/);
  expect(() => parsePolicyScripts('<policy><scripts><script><name>x</name></script></scripts></policy>', 'p')).toThrow(/numeric <id>/);
});

test('flushing the policy\'s logs makes a "once per computer" policy due again on every computer', async () => {
  const fleet = openFleet(t.sim);
  const policy = fleet.addPolicy({ name: 'p', scripts: [{ id: 1, name: 's' }] });
  const computer = t.fx.computer.id;
  expect(fleet.due(computer).map((p) => p.id)).toEqual([policy.id]);
  fleet.recordRun(policy.id, computer);
  expect(fleet.due(computer)).toEqual([]);
  await flushPolicyLogs(clientWith(ALL), String(policy.id));
  expect(fleet.due(computer).map((p) => p.id)).toEqual([policy.id]);
  expect(t.sim.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `/JSSResource/logflush/policies/id/${policy.id}/interval/Zero+Days`, status: 200 });
});

test('each call needs its privilege: without "Flush Policy Logs" the flush is refused and the logs stay', async () => {
  const fleet = openFleet(t.sim);
  const policy = fleet.addPolicy({ name: 'p', scripts: [{ id: 1, name: 's' }] });
  fleet.recordRun(policy.id, t.fx.computer.id);
  const client = clientWith([FLEET_PRIVILEGES.readPolicies, FLEET_PRIVILEGES.updatePolicies]);
  // The Classic API answers a missing privilege with 401 (reference §0.4). A 401 after a fresh
  // token is never taken as a refused credential (daemon/jamf/refusal.ts): it fails, naming the
  // privilege the call needs, and pauses nothing.
  const error = await flushPolicyLogs(client, String(policy.id)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(JamfHttpError);
  expect(error).not.toBeInstanceOf(JamfAuthError);
  expect((error as Error).message).toMatch(/401.*Classic API also answers 401 when a privilege is missing/s);
  expect(fleet.due(t.fx.computer.id)).toEqual([]);
});

test('EA values come from the inventory EXTENSION_ATTRIBUTES section; a computer without one is unreported', async () => {
  const fleet = openFleet(t.sim);
  const other = t.sim.control.addComputer({ name: 'Mac 2' });
  fleet.setEaValue(t.fx.computer.id, 'superd jamf client', 'client abc OK');
  fleet.setEaValue(other.id, 'something else', 'x');
  const macs = await readFleetValues(clientWith(ALL), 'superd jamf client', t.sim.control.version());
  expect(macs).toEqual([
    { computerId: String(t.fx.computer.id), name: t.fx.computer.name, value: 'client abc OK' },
    { computerId: String(other.id), name: 'Mac 2', value: null },
  ]);
  expect(t.sim.requests.filter((r) => r.path.includes('computers-inventory')).map((r) => r.path)).toEqual(['/api/v4/computers-inventory']);
});

test('the EA value parser', () => {
  expect(parseClientReport('client 6cab-01 OK')).toEqual({ clientId: '6cab-01', ok: true });
  expect(parseClientReport('client 6cab-01 Failed')).toEqual({ clientId: '6cab-01', ok: false });
  expect(parseClientReport('none')).toBeNull();
  expect(parseClientReport(null)).toBeNull();
  expect(parseClientReport('client OK')).toBeNull();
});

describeWithShared('the Classic paths superd calls are in Jamf\'s swagger', () => {
  test('GET/PUT /policies/id/{id} and DELETE /logflush/{log}/id/{id}/interval/{interval}', () => {
    const yaml = readFileSync(path.join(sharedDir, 'reference/jamf-openapi/classic-api-11.30.0.yaml'), 'utf8');
    const block = (p: string) => yaml.slice(yaml.indexOf(`'${p}':`), yaml.indexOf('\n  \'', yaml.indexOf(`'${p}':`) + 1));
    expect(block('/policies/id/{id}')).toMatch(/\n {4}get:/);
    expect(block('/policies/id/{id}')).toMatch(/\n {4}put:/);
    expect(block('/logflush/{log}/id/{id}/interval/{interval}')).toMatch(/\n {4}delete:/);
  });
});
