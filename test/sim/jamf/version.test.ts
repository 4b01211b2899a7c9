import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { startJamfSim } from './server';
import { SimClient } from './testClient';
import { openTestSim, type TestSim } from './testSetup';

let t: TestSim;
let token: string;
beforeAll(async () => {
  t = await openTestSim();
  token = await t.client.userToken(t.fx.admin.username, t.fx.admin.password);
});
afterAll(() => t.close());

test('GET /api/v1/jamf-pro-version: major.minor.patch-t<13 digits>; JSSCheckConnection: the same as text/plain without auth', async () => {
  const r = await t.client.call('GET', '/api/v1/jamf-pro-version', { token });
  const version = (r.json as { version: string }).version;
  expect(version).toMatch(/^11\.30\.0-t\d{13}$/);
  expect(Number(version.split('-t')[1])).toBeLessThan(Date.now());
  const check = await t.client.call('GET', '/JSSCheckConnection');
  expect([check.status, check.text]).toEqual([200, version]);
  expect(check.headers['content-type']).toMatch(/^text\/plain/);
  expect((await t.client.call('GET', '/api/v1/jamf-pro-version')).status).toBe(401);
});

test('health check and startup status need no token', async () => {
  expect((await t.client.call('GET', '/api/v1/health-check')).status).toBe(204);
  expect((await t.client.call('GET', '/api/startup-status')).json).toMatchObject({ stepCode: 'SERVER_INIT_COMPLETE', percentage: 100 });
});

test('a server upgrade mid-run changes the version and the endpoints', async () => {
  t.sim.control.setVersion('11.26.1');
  try {
    expect(((await t.client.call('GET', '/api/v1/jamf-pro-version', { token })).json as { version: string }).version).toMatch(/^11\.26\.1-t\d{13}$/);
    const v4 = await t.client.call('GET', '/api/v4/computers-inventory', { token });
    expect(v4.status).toBe(404);
    expect(v4.text).toContain('HTTP Status 404 – Not Found');
    expect((await t.client.call('GET', '/api/v3/computers-inventory', { token })).status).toBe(200);
  } finally {
    t.sim.control.setVersion('11.30.0');
  }
  expect((await t.client.call('GET', '/api/v4/computers-inventory', { token })).status).toBe(200);
  expect(() => t.sim.control.setVersion('eleven')).toThrow(/not a Jamf Pro version/);
});

test('unknown routes: 401 before a token is checked, then the container 404 (API) or the Restlet status page (Classic)', async () => {
  expect((await t.client.call('GET', '/api/v9/no-such-thing')).json).toEqual({ httpStatus: 401, errors: [] });
  const api = await t.client.call('GET', '/api/v9/no-such-thing', { token });
  expect([api.status, api.headers['content-type']]).toEqual([404, 'text/html;charset=utf-8']);
  const classic = await t.client.call('GET', '/JSSResource/nothing', { token });
  expect(classic.status).toBe(404);
  expect(classic.text).toContain('<title>Status page</title>');
  expect((await t.client.call('GET', '/JSSResource/nothing')).status).toBe(401);
  expect((await t.client.call('GET', '/favicon.ico')).status).toBe(404);
  const wrongMethod = await t.client.call('DELETE', '/api/v1/jamf-pro-version', { token });
  expect([wrongMethod.status, wrongMethod.headers.allow]).toEqual([405, 'GET']);
});

test('/uapi is an alias of /api', async () => {
  expect((await t.client.call('GET', '/uapi/v1/jamf-pro-version', { token })).status).toBe(200);
});

test('JSON is pretty-printed like Jackson (optionally with CRLF) and a sticky-session cookie is set', async () => {
  const r = await t.client.call('GET', '/api/v1/jamf-pro-version', { token });
  expect(r.text).toMatch(/^\{\n {2}"version" : "11\.30\.0-t\d{13}"\n\}$/);
  expect(String(r.headers['set-cookie'])).toMatch(/^APBALANCEID=/);
  t.sim.control.configure({ crlf: true });
  try {
    expect((await t.client.call('GET', '/api/v1/jamf-pro-version', { token })).text).toContain('{\r\n  "version" : ');
  } finally {
    t.sim.control.configure({ crlf: false });
  }
});

describe('TLS', () => {
  test('the server certificate is issued by the CA written to caFile, for 127.0.0.1 and localhost', () => {
    const ca = new X509Certificate(readFileSync(t.sim.caFile, 'utf8'));
    expect(readFileSync(t.sim.caFile, 'utf8')).toBe(t.sim.ca);
    expect(ca.ca).toBe(true);
    expect(t.sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  test('a client that does not trust the CA is refused; one that does gets through', async () => {
    await expect(request(`${t.sim.url}/JSSCheckConnection`)).rejects.toThrow();
    const localhost = new SimClient({ url: t.sim.url.replace('127.0.0.1', 'localhost'), ca: t.sim.ca });
    expect((await localhost.call('GET', '/JSSCheckConnection')).status).toBe(200);
    await localhost.close();
  });

  test('close() stops the server and removes the CA file', async () => {
    const sim = await startJamfSim();
    const file = sim.caFile;
    await sim.close();
    expect(() => readFileSync(file)).toThrow();
    await sim.close();
  });
});

describe('clock', () => {
  test('defaults to a frozen instant that only moves when told; a live source can be given', async () => {
    const now = t.sim.clock.now();
    await new Promise((r) => setTimeout(r, 5));
    expect(t.sim.clock.now()).toBe(now);
    t.sim.clock.advance(1500);
    expect(t.sim.clock.now()).toBe(now + 1500);
    t.sim.clock.set(now);
    expect(t.sim.clock.now()).toBe(now);
    expect(() => t.sim.clock.advance(-1)).toThrow(RangeError);
    let base = 1_000;
    const sim = await startJamfSim({ now: () => base });
    base = 2_000;
    sim.clock.advance(5);
    expect(sim.clock.now()).toBe(2_005);
    await sim.close();
  });
});
