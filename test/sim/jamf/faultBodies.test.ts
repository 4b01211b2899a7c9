import { Agent, request } from 'undici';
import { faultBodies } from './faultBodies';
import { openTestSim, type TestSim } from './testSetup';

let t: TestSim;
let token: string;
beforeAll(async () => {
  t = await openTestSim();
  token = await t.client.clientToken(t.fx.superdClient.clientId, t.fx.superdClient.clientSecret);
});
afterAll(() => t.close());
afterEach(() => t.sim.control.clearFaults());

const AUTH = '/api/v1/auth';

test('htmlOk: 200 with an HTML page served as text/html', async () => {
  t.sim.control.injectFault(faultBodies.htmlOk({ method: 'GET', path: AUTH }));
  const r = await t.client.call('GET', AUTH, { token });
  expect(r.status).toBe(200);
  expect(String(r.headers['content-type'])).toMatch(/^text\/html/);
  expect(r.text).toMatch(/^<html>[\s\S]*<title>Status page<\/title>/);
});

test('wrongTypes and nullBody: 200 with that JSON', async () => {
  t.sim.control.injectFault(faultBodies.wrongTypes({ method: 'GET', path: AUTH }, { account: 'admin' }));
  t.sim.control.injectFault(faultBodies.nullBody({ method: 'GET', path: AUTH }));
  const a = await t.client.call('GET', AUTH, { token });
  expect([a.status, JSON.parse(a.text)]).toEqual([200, { account: 'admin' }]);
  const b = await t.client.call('GET', AUTH, { token });
  expect([b.status, b.text.trim(), String(b.headers['content-type'])]).toEqual([200, 'null', 'application/json']);
});

test('truncated: the real answer cut in half, so it does not parse', async () => {
  t.sim.control.injectFault(faultBodies.truncated({ method: 'GET', path: AUTH }));
  const r = await t.client.call('GET', AUTH, { token });
  expect(r.status).toBe(200);
  expect(() => JSON.parse(r.text) as unknown).toThrow();
});

test('hang: no answer at all until the client gives up; the next request is answered', async () => {
  t.sim.control.injectFault(faultBodies.hang({ method: 'GET', path: AUTH }));
  const gaveUp = new AbortController();
  const agent = new Agent({ connect: { ca: t.sim.ca } });
  const pending = request(`${t.sim.url}${AUTH}`, { dispatcher: agent, headers: { authorization: `Bearer ${token}` }, signal: gaveUp.signal });
  // The simulator has the request (logged, fault applied) but sends nothing back.
  await new Promise<void>((resolve) => { const poll = () => (t.sim.requests.some((q) => q.faults?.includes('hang')) ? resolve() : setImmediate(poll)); poll(); });
  gaveUp.abort();
  await expect(pending).rejects.toThrow();
  await agent.close();
  expect((await t.client.call('GET', AUTH, { token })).status).toBe(200);
});
