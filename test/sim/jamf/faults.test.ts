import { openTestSim, type TestSim } from './testSetup';

let t: TestSim;
let token: string;
beforeAll(async () => {
  t = await openTestSim();
  const long = t.sim.control.addClient({ displayName: 'faults', roles: ['superd'], accessTokenLifetimeSeconds: 86_400 });
  token = await t.client.clientToken(long.clientId, long.clientSecret);
});
afterAll(() => t.close());
afterEach(() => t.sim.control.clearFaults());

const VERSION = '/api/v1/jamf-pro-version';

test('a status fault applies to the next N matching requests, then the route answers normally', async () => {
  const h = t.sim.control.injectFault({ method: 'GET', path: VERSION, kind: 'status', status: 503, times: 2 });
  const a = await t.client.call('GET', VERSION, { token });
  expect([a.status, a.json]).toEqual([503, { httpStatus: 503, errors: [] }]);
  expect(h.remaining()).toBe(1);
  expect((await t.client.call('GET', '/api/v1/auth', { token })).status).toBe(200);
  expect((await t.client.call('GET', VERSION, { token })).status).toBe(503);
  expect((await t.client.call('GET', VERSION, { token })).status).toBe(200);
  expect(h.remaining()).toBe(0);
});

test('on the Classic API an injected status is an HTML status page; a custom body can be given', async () => {
  t.sim.control.injectFault({ path: '/JSSResource/*', kind: 'status', status: 500 });
  const r = await t.client.call('GET', `/JSSResource/computers/id/${t.fx.computer.id}`, { token });
  expect(r.status).toBe(500);
  expect(r.text).toContain('The server encountered an unexpected condition which prevented it from fulfilling the request');
  t.sim.control.injectFault({ path: /^\/api\/v1\/auth$/, kind: 'status', status: 502, body: '<html>Bad Gateway</html>' });
  const g = await t.client.call('GET', '/api/v1/auth', { token });
  expect([g.status, g.text]).toEqual([502, '<html>Bad Gateway</html>']);
});

test('429 with an integer Retry-After and an ApiError body', async () => {
  t.sim.control.injectFault({ method: 'POST', path: '/api/v1/managed-software-updates/plans', kind: 'rateLimit', retryAfterSeconds: 7 });
  const r = await t.client.call('POST', '/api/v1/managed-software-updates/plans', { token, json: {} });
  expect(r.status).toBe(429);
  expect(r.headers['retry-after']).toBe('7');
  expect(r.json).toEqual({ httpStatus: 429, errors: [] });
  t.sim.control.injectFault({ kind: 'rateLimit', retryAfterSeconds: null });
  const bare = await t.client.call('GET', VERSION, { token });
  expect(bare.status).toBe(429);
  expect(bare.headers['retry-after']).toBeUndefined();
});

test('latency delays the answer (a few ms of real time)', async () => {
  t.sim.control.injectFault({ path: VERSION, kind: 'latency', ms: 40 });
  const started = Date.now();
  expect((await t.client.call('GET', VERSION, { token })).status).toBe(200);
  expect(Date.now() - started).toBeGreaterThanOrEqual(35);
});

test('connection reset: the client sees ECONNRESET, the next request is served', async () => {
  t.sim.control.injectFault({ method: 'GET', path: VERSION, kind: 'reset' });
  await expect(t.client.call('GET', VERSION, { token })).rejects.toThrow(/ECONNRESET|other side closed/);
  const TOKEN = '/api/v1/auth/token';
  t.sim.control.injectFault({ method: 'POST', path: TOKEN, kind: 'reset' });
  await expect(t.client.call('POST', TOKEN, { basic: t.fx.admin })).rejects.toThrow();
  expect((await t.client.call('POST', TOKEN, { basic: t.fx.admin })).status).toBe(200);
  expect(t.sim.requests.filter((r) => r.path === TOKEN).at(-2)).toMatchObject({ status: 0, faults: ['reset'] });
});

test('malformed body: the real answer, truncated', async () => {
  t.sim.control.injectFault({ path: VERSION, kind: 'malformed' });
  const r = await t.client.call('GET', VERSION, { token });
  expect(r.status).toBe(200);
  expect(r.json).toBeUndefined();
  expect(() => JSON.parse(r.text) as unknown).toThrow();
  expect(r.text.startsWith('{')).toBe(true);
});

test('token expiry mid-run: every live token is expired before the matching request', async () => {
  const user = await t.client.userToken(t.fx.admin.username, t.fx.admin.password);
  t.sim.control.injectFault({ path: '/api/v3/computers-inventory', kind: 'expireTokens' });
  const r = await t.client.call('GET', '/api/v3/computers-inventory', { token: user });
  expect(r.status).toBe(401);
  expect((r.json as { errors: { code: string }[] }).errors[0]?.code).toBe('INVALID_TOKEN');
  expect((await t.client.call('GET', VERSION, { token })).status).toBe(401);
  const fresh = await t.client.userToken(t.fx.admin.username, t.fx.admin.password);
  expect((await t.client.call('GET', '/api/v3/computers-inventory', { token: fresh })).status).toBe(200);
  const long = t.sim.control.addClient({ displayName: 'faults 2', roles: ['superd'], accessTokenLifetimeSeconds: 86_400 });
  token = await t.client.clientToken(long.clientId, long.clientSecret);
});

test('a server error in a handler becomes a 500 ApiError, and the server keeps serving', async () => {
  const errors: unknown[] = [];
  t.sim.events.on('simError', (e) => errors.push(e));
  const original = t.sim.control.computer(t.fx.computer.id);
  t.sim.control.updateComputer(t.fx.computer.id, { lastContact: Number.NaN });
  const r = await t.client.call('GET', '/api/v3/computers-inventory', { token });
  expect([r.status, r.json]).toEqual([500, { httpStatus: 500, errors: [] }]);
  expect(errors).toHaveLength(1);
  t.sim.control.updateComputer(t.fx.computer.id, { lastContact: original.reportDate });
  expect((await t.client.call('GET', '/api/v3/computers-inventory', { token })).status).toBe(200);
});

describe('request log', () => {
  test('records method, path, query, status, auth kind and principal', async () => {
    t.sim.control.clearRequests();
    await t.client.call('GET', '/api/v3/computers-inventory?section=GENERAL&section=HARDWARE&page-size=5', { token });
    expect(t.sim.requests).toHaveLength(1);
    expect(t.sim.requests[0]).toMatchObject({
      method: 'GET',
      path: '/api/v3/computers-inventory',
      query: { section: ['GENERAL', 'HARDWARE'], 'page-size': '5' },
      status: 200,
      auth: 'bearer',
      at: t.sim.clock.now(),
    });
  });

  test('never stores a password, client secret or token', async () => {
    t.sim.control.clearRequests();
    const pw = t.fx.admin.password;
    const userToken = await t.client.userToken(t.fx.admin.username, pw);
    const { clientId, clientSecret } = t.fx.superdClient;
    const oauth = await t.client.call('POST', '/api/v1/oauth/token', { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } });
    const accessToken = (oauth.json as { access_token: string }).access_token;
    const a = t.sim.control.addAccount({ username: 'log-probe', password: 'Initial-passw0rd' });
    await t.client.call('PUT', `/JSSResource/accounts/userid/${a.id}`, { token: userToken, xml: '<account><name>log-probe</name><password>Xml-Secret-42</password></account>' });
    await t.client.call('PUT', `/api/v1/accounts/${a.id}`, { token: userToken, json: { realname: 'Probe', plainPassword: 'Json-Secret-42' } });
    await t.client.call('POST', '/api/v1/auth/keep-alive', { token: userToken });
    await t.client.call('POST', '/api/oauth/token', { body: `client_id=${clientId}&client_secret=${clientSecret}&grant_type=client_credentials` });
    await t.client.call('POST', `/api/oauth/token?client_secret=${clientSecret}&password=${pw}`);
    const logged = JSON.stringify(t.sim.requests);
    for (const secret of [pw, clientSecret, userToken, accessToken, 'Xml-Secret-42', 'Json-Secret-42', 'Initial-passw0rd']) expect(logged).not.toContain(secret);
    const oauthEntry = t.sim.requests.find((r) => r.path === '/api/v1/oauth/token');
    expect(oauthEntry).toMatchObject({ principal: clientId, auth: 'none', body: { grant_type: 'client_credentials', client_id: clientId, client_secret: '[REDACTED]' } });
    const xmlEntry = t.sim.requests.find((r) => r.path === `/JSSResource/accounts/userid/${a.id}`);
    expect(xmlEntry?.body).toBe('<account><name>log-probe</name><password>[REDACTED]</password></account>');
    const jsonEntry = t.sim.requests.find((r) => r.path === `/api/v1/accounts/${a.id}`);
    expect(jsonEntry?.body).toEqual({ realname: 'Probe', plainPassword: '[REDACTED]' });
    expect(t.sim.requests.find((r) => r.path === '/api/v1/auth/token')).toMatchObject({ auth: 'basic', principal: t.fx.admin.username });
  });
});
