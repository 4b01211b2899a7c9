import {
  InternalError, JamfAuthError, JamfEndpointUnavailableError, JamfHttpError, JamfPrivilegeError, JamfResponseError, JamfUnreachableError,
} from '../../daemon/errors';
import { createPlan } from '../../daemon/jamf/softwareUpdatePlans';
import { exitStatusFor } from '../../daemon/exitStatus';
import { JamfClient } from '../../daemon/jamf';
import { resolveRequestUrl } from '../../daemon/jamf/transport';
import {
  accountCredential, apiError, BASE_URL, CLIENT_ID, CLIENT_SECRET, harness, JSON_HEADERS, TOKEN_1, TOKEN_2, wire,
  type Harness,
} from './helpers';

const PLANS = '/api/v1/managed-software-updates/plans';
const PLAN_BODY = { devices: [{ deviceId: '12', objectType: 'COMPUTER' }], config: { updateAction: 'DOWNLOAD_ONLY', versionType: 'LATEST_MINOR' } };
const CREATED = { plans: [{ device: { deviceId: '12', objectType: 'COMPUTER' }, planId: '6E47EF55-5318-494F-A09E-70F613E0AFD1' }] };
const AUTH = { account: { id: '1', username: 'svc-superd', privilegesBySite: {} }, authenticationType: 'CLIENT_CREDENTIALS' };

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.finish();
});

function connectionError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('ordinary calls', () => {
  test('getVersion and whoAmI send the bearer token, accept JSON, and report each exchange to onRequest', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/jamf-pro-version', method: 'GET', headers: { authorization: `Bearer ${TOKEN_1}`, accept: 'application/json' } })
      .reply(200, { version: '11.30.0-t1782920582649' }, JSON_HEADERS);
    h.jamf.intercept({ path: '/api/v1/auth', method: 'GET' }).reply(200, AUTH, JSON_HEADERS);
    const client = h.client();
    await expect(client.getVersion()).resolves.toBe('11.30.0-t1782920582649');
    expect(client.serverVersion).toBe('11.30.0-t1782920582649');
    await expect(client.whoAmI()).resolves.toEqual(AUTH);
    expect(wire(h.events)).toEqual(['POST api/oauth/token 200', 'GET api/v1/jamf-pro-version 200', 'GET api/v1/auth 200']);
    for (const e of h.events) {
      expect(Object.keys(e).sort()).toEqual(['attempt', 'durationMs', 'method', 'path', 'status']);
      expect(e.durationMs).toBeGreaterThanOrEqual(0);
    }
  });

  test('query arrays repeat the key; JSON bodies are sent as JSON; 204 resolves to undefined; XML is returned as text', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/api/v3/computers-inventory?section=GENERAL&section=HARDWARE&filter=udid%3D%3D%22ABC%22', method: 'GET' })
      .reply(200, { totalCount: 0, results: [] }, JSON_HEADERS);
    h.jamf.intercept({ path: '/api/v2/mdm/blank-push', method: 'POST', body: JSON.stringify({ clientManagementIds: ['m-1'] }), headers: { 'content-type': 'application/json' } })
      .reply(200, { errorUuids: [] }, JSON_HEADERS);
    h.jamf.intercept({ path: '/api/v1/auth/keep-alive-not-really', method: 'DELETE' }).reply(204, '');
    h.jamf.intercept({ path: '/JSSResource/accounts/userid/2', method: 'PUT', headers: { accept: 'application/xml', 'content-type': 'application/xml' } })
      .reply(201, '<account><id>2</id></account>', { headers: { 'content-type': 'text/xml' } });
    const client = h.client();
    await expect(client.request('GET', 'api/v3/computers-inventory', { query: { section: ['GENERAL', 'HARDWARE'], filter: 'udid=="ABC"', page: undefined } }))
      .resolves.toEqual({ totalCount: 0, results: [] });
    await expect(client.request('POST', '/api/v2/mdm/blank-push', { json: { clientManagementIds: ['m-1'] } })).resolves.toEqual({ errorUuids: [] });
    await expect(client.request('DELETE', 'api/v1/auth/keep-alive-not-really')).resolves.toBeUndefined();
    await expect(client.request('PUT', 'JSSResource/accounts/userid/2', {
      accept: 'application/xml', headers: { 'content-type': 'application/xml' }, body: '<account><password>x</password></account>',
    })).resolves.toBe('<account><id>2</id></account>');
    // The query never reaches the hook.
    expect(h.events[1]?.path).toBe('api/v3/computers-inventory');
  });

  test.each([
    ['an absolute URL', 'https://evil.example.net/api/v1/auth'],
    ['an upper-case scheme', 'HTTPS://evil.example.net/api'],
    ['a path that climbs out', 'api/../../other'],
  ])('a path that would leave the server (%s) is refused before any token is sent', async (_name, path) => {
    h.interceptClientToken(TOKEN_1);
    const client = h.client();
    await expect(client.request('GET', path)).rejects.toBeInstanceOf(InternalError);
    expect(wire(h.events)).toEqual(['POST api/oauth/token 200']);
  });

  test('a protocol-relative path stays on the server', () => {
    expect(resolveRequestUrl(BASE_URL, '//evil.example.net/api').href).toBe('https://jamf.example.com/evil.example.net/api');
    expect(resolveRequestUrl('https://jss.corp.example:8443/jamf/', '/api/v1/auth').href).toBe('https://jss.corp.example:8443/jamf/api/v1/auth');
  });

  test('a throwing onRequest hook cannot turn a created plan into a failure (which a caller might repeat)', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: PLANS, method: 'POST' }).reply(201, CREATED, JSON_HEADERS);
    const client = h.client({ onRequest: () => { throw new Error('logger broke'); } });
    await expect(client.request('POST', PLANS, { json: PLAN_BODY })).resolves.toEqual(CREATED);
  });

  test('the balancer cookie from Jamf Cloud is sent back on later calls (sticky session)', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: PLANS, method: 'POST' })
      .reply(201, CREATED, { headers: { ...JSON_HEADERS.headers, 'set-cookie': ['APBALANCEID=aws.usw2-node-7; path=/; Secure', 'other=x'] } });
    h.jamf.intercept({ path: `${PLANS}/6E47EF55-5318-494F-A09E-70F613E0AFD1`, method: 'GET', headers: { cookie: 'APBALANCEID=aws.usw2-node-7' } })
      .reply(200, { planUuid: '6E47EF55-5318-494F-A09E-70F613E0AFD1' }, JSON_HEADERS);
    const client = h.client();
    await client.request('POST', PLANS, { json: PLAN_BODY });
    await client.request('GET', `${PLANS}/6E47EF55-5318-494F-A09E-70F613E0AFD1`);
  });
});

describe('401: re-authenticate once and repeat', () => {
  test.each(['GET', 'POST'])('%s: token rejected mid-run → one new token, the call is repeated and succeeds', async (method) => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: PLANS, method, headers: { authorization: `Bearer ${TOKEN_1}` } })
      .reply(401, apiError(401, [{ code: 'INVALID_TOKEN', description: 'Unauthorized' }]), JSON_HEADERS);
    h.interceptClientToken(TOKEN_2);
    h.jamf.intercept({ path: PLANS, method, headers: { authorization: `Bearer ${TOKEN_2}` } }).reply(200, CREATED, JSON_HEADERS);
    const client = h.client();
    await expect(client.request(method, PLANS, method === 'POST' ? { json: PLAN_BODY } : {})).resolves.toEqual(CREATED);
    expect(wire(h.events)).toEqual([
      'POST api/oauth/token 200', `${method} api/v1/managed-software-updates/plans 401`,
      'POST api/oauth/token 200', `${method} api/v1/managed-software-updates/plans 200`,
    ]);
    expect(h.sleeps).toEqual([]);
  });

  test('two calls rejected with the same token share one re-authentication', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/auth', method: 'GET', headers: { authorization: `Bearer ${TOKEN_1}` } }).reply(401, apiError(401, []), JSON_HEADERS).times(2);
    h.interceptClientToken(TOKEN_2);
    h.jamf.intercept({ path: '/api/v1/auth', method: 'GET', headers: { authorization: `Bearer ${TOKEN_2}` } }).reply(200, AUTH, JSON_HEADERS).times(2);
    const client = h.client();
    await Promise.all([client.whoAmI(), client.whoAmI()]);
    expect(h.events.filter((e) => e.path === 'api/oauth/token')).toHaveLength(2);
  });

  test('account: a rejected token is replaced by a new login, not kept alive', async () => {
    h.interceptAccountToken(TOKEN_1, new Date(h.clock.now + 1_800_000).toISOString());
    h.jamf.intercept({ path: '/api/v1/auth', method: 'GET' }).reply(401, apiError(401, []), JSON_HEADERS);
    h.interceptAccountToken(TOKEN_2, new Date(h.clock.now + 1_800_000).toISOString());
    h.jamf.intercept({ path: '/api/v1/auth', method: 'GET', headers: { authorization: `Bearer ${TOKEN_2}` } }).reply(200, AUTH, JSON_HEADERS);
    await h.client({ credential: accountCredential }).whoAmI();
    expect(wire(h.events)).toEqual(['POST api/v1/auth/token 200', 'GET api/v1/auth 401', 'POST api/v1/auth/token 200', 'GET api/v1/auth 200']);
  });

  test('a second 401 with a fresh token is a server fault (exit 75), not a refused credential; no third attempt', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/auth', method: 'GET' }).reply(401, apiError(401, []), JSON_HEADERS).times(2);
    h.interceptClientToken(TOKEN_2);
    const error = await h.failure(() => h.client().whoAmI());
    expect(error).toBeInstanceOf(JamfHttpError);
    expect(error).not.toBeInstanceOf(JamfAuthError);
    expect(exitStatusFor(error)).toBe(75);
    expect(error.message).toMatch(/unreachable or failing.*401 Unauthorized to GET api\/v1\/auth.*refused a token it had just issued to API client .*not a refused credential/);
    expect(wire(h.events)).toEqual(['POST api/oauth/token 200', 'GET api/v1/auth 401', 'POST api/oauth/token 200', 'GET api/v1/auth 401']);
  });

  test('Classic API 401 after re-authentication: a server fault whose message names the privileges (Classic answers 401 for a missing privilege)', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/JSSResource/accounts/userid/2', method: 'PUT' })
      .reply(401, '<html><body><p>Unauthorized</p><p>The request requires user authentication</p></body></html>', { headers: { 'content-type': 'text/html' } }).times(2);
    h.interceptClientToken(TOKEN_2);
    const error = await h.failure(() => h.client().request('PUT', 'JSSResource/accounts/userid/2', { body: '<account/>' }));
    expect(error).toBeInstanceOf(JamfHttpError);
    expect(exitStatusFor(error)).toBe(75);
    expect(error.message).toContain('Unauthorized: The request requires user authentication');
    expect(error.message).toContain('this call needs: Update Accounts');
  });
});

describe('Retry-After and retries', () => {
  test('429 on GET with Retry-After: waits the given seconds (injected sleep), then succeeds', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: PLANS, method: 'GET' }).reply(429, apiError(429, [{ code: 'TOO_MANY_REQUESTS', description: 'slow down' }]), { headers: { 'retry-after': '7' } });
    h.jamf.intercept({ path: PLANS, method: 'GET' }).reply(200, { totalCount: 0, results: [] }, JSON_HEADERS);
    await expect(h.client().request('GET', PLANS)).resolves.toEqual({ totalCount: 0, results: [] });
    expect(h.sleeps).toEqual([7500]);
    expect(h.events.map((e) => e.attempt)).toEqual([1, 1, 2]);
  });

  test('503 on GET without Retry-After: exponential back-off with full jitter, at most 3 retries, then JamfHttpError (exit 75)', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/auth', method: 'GET' }).reply(503, 'Service Unavailable').times(4);
    const error = await h.failure(() => h.client().whoAmI());
    expect(error).toBeInstanceOf(JamfHttpError);
    expect(exitStatusFor(error)).toBe(75);
    expect(h.sleeps).toEqual([500, 1000, 2000]);
    expect(h.events.filter((e) => e.path === 'api/v1/auth')).toHaveLength(4);
    expect(error.message).toBe('Jamf Pro is unreachable or failing: it answered 503 Service Unavailable to GET api/v1/auth: Service Unavailable. superd tries again later; the credential stays in use.');
  });

  test('Retry-After longer than the cap: no wait, no retry; the error carries retryAfterSeconds for the scheduler', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/auth', method: 'GET' }).reply(503, '', { headers: { 'retry-after': '3600' } });
    const error = await h.failure(() => h.client().whoAmI());
    expect((error as JamfHttpError).retryAfterSeconds).toBe(3600);
    expect(error.message).toMatch(/retry after 3600 s/);
    expect(h.sleeps).toEqual([]);
  });

  test('429 on POST is retried: the server refused it before doing anything', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: PLANS, method: 'POST' }).reply(429, apiError(429, []), { headers: { 'retry-after': '2', ...JSON_HEADERS.headers } });
    h.jamf.intercept({ path: PLANS, method: 'POST' }).reply(201, CREATED, JSON_HEADERS);
    await expect(h.client().request('POST', PLANS, { json: PLAN_BODY })).resolves.toEqual(CREATED);
    expect(h.sleeps).toEqual([2500]);
    expect(wire(h.events).slice(1)).toEqual([`POST ${PLANS.slice(1)} 429`, `POST ${PLANS.slice(1)} 201`]);
  });

  test.each([500, 502, 503, 504])('%i on POST is not retried: exactly one request', async (status) => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: PLANS, method: 'POST' }).reply(status, apiError(status, []), { headers: { 'retry-after': '1', ...JSON_HEADERS.headers } });
    const error = await h.failure(() => h.client().request('POST', PLANS, { json: PLAN_BODY }));
    expect(error).toBeInstanceOf(JamfHttpError);
    expect((error as JamfHttpError).statusCode).toBe(status);
    expect(h.events.filter((e) => e.method === 'POST' && e.path.endsWith('/plans'))).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  test('500 on GET is a server fault: retried like 503 (reference §8.1, retry idempotent calls on 5xx)', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/auth', method: 'GET' }).reply(500, apiError(500, []), JSON_HEADERS).times(4);
    const error = await h.failure(() => h.client().whoAmI());
    expect(exitStatusFor(error)).toBe(75);
    expect(h.sleeps).toEqual([500, 1000, 2000]);
  });

  test('connection reset: GET is retried, POST is not', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/auth', method: 'GET' }).replyWithError(connectionError('ECONNRESET', 'read ECONNRESET'));
    h.jamf.intercept({ path: '/api/v1/auth', method: 'GET' }).reply(200, AUTH, JSON_HEADERS);
    h.jamf.intercept({ path: PLANS, method: 'POST' }).replyWithError(connectionError('ECONNRESET', 'read ECONNRESET'));
    const client = h.client();
    await expect(client.whoAmI()).resolves.toEqual(AUTH);
    const error = await h.failure(() => client.request('POST', PLANS, { json: PLAN_BODY }));
    expect(error).toBeInstanceOf(JamfUnreachableError);
    expect(wire(h.events).slice(1)).toEqual(['GET api/v1/auth ECONNRESET', 'GET api/v1/auth 200', `POST ${PLANS.slice(1)} ECONNRESET`]);
    expect(h.sleeps).toEqual([500]);
  });
});

describe('a 2xx of the wrong shape is a server fault (refusal.ts), never success and never a crash', () => {
  test('HTML page with 200 on GET: repeated with back-off, then JamfResponseError (exit 75) that does not echo the page', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/auth', method: 'GET' }).reply(200, `<html><body><p>Maintenance</p><p>${TOKEN_1}</p></body></html>`, { headers: { 'content-type': 'text/html' } }).times(4);
    const error = await h.failure(() => h.client().whoAmI());
    expect(error).toBeInstanceOf(JamfResponseError);
    expect(exitStatusFor(error)).toBe(75);
    expect(error.message).toMatch(/unreachable or failing: it answered 200 to GET api\/v1\/auth with an HTML page/);
    expect(h.sleeps).toEqual([500, 1000, 2000]);
  });

  test('null from GET api/v1/auth is refused, not a skipped privilege check', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/auth', method: 'GET' }).reply(200, 'null', JSON_HEADERS).times(4);
    const error = await h.failure(() => h.client().whoAmI());
    expect(error).toBeInstanceOf(JamfResponseError);
    expect(error.message).toMatch(/expected a JSON object, got null/);
  });

  test('truncated JSON once on GET, then the real answer: the repeat succeeds', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/jamf-pro-version', method: 'GET' }).reply(200, '{\r\n  "version" : "11.3', JSON_HEADERS);
    h.jamf.intercept({ path: '/api/v1/jamf-pro-version', method: 'GET' }).reply(200, { version: '11.30.0-t1782920582649' }, JSON_HEADERS);
    await expect(h.client().getVersion()).resolves.toBe('11.30.0-t1782920582649');
    expect(h.sleeps).toEqual([500]);
  });

  test('wrong types on a POST are not repeated (the plan may exist)', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: PLANS, method: 'POST' }).reply(201, { plans: [{ planId: 42 }] }, JSON_HEADERS);
    const error = await h.failure(() => createPlan(h.client(), PLAN_BODY as never));
    expect(error).toBeInstanceOf(JamfResponseError);
    expect(error.message).toMatch(/planId is not a string/);
    expect(h.events.filter((e) => e.method === 'POST' && e.path.endsWith('/plans'))).toHaveLength(1);
  });
});

describe('typed errors that say what to fix', () => {
  test.each([
    ['privileges from the table (INVALID_PRIVILEGE says only "Forbidden")', 'POST', PLANS, apiError(403, [{ code: 'INVALID_PRIVILEGE', description: 'Forbidden' }]),
      ['Create Managed Software Updates', 'Read Computers', 'Read Mobile Devices', 'Send Computer Remote Command to Download and Install OS X Update', 'Send Mobile Device Remote Command to Download and Install iOS Update'],
      /lacks a privilege this call needs\. It needs all of: Create Managed Software Updates, .*API roles and clients/],
    ['blank push needs View MDM command information', 'POST', '/api/v2/mdm/blank-push', apiError(403, [{ code: 'INVALID_PRIVILEGE', description: 'Forbidden' }]),
      ['View MDM command information in Jamf Pro API'], /View MDM command information in Jamf Pro API/],
    ['privilege named by the server in the body wins', 'GET', '/api/v3/computers-inventory-detail/12', apiError(403, [{ code: 'INVALID_PRIVILEGE', description: 'Missing privilege: Read Computers' }]),
      ['Read Computers'], /lacks the privilege\(s\) Read Computers\./],
    ['unknown endpoint: says Jamf did not name it', 'GET', '/api/v1/buildings', apiError(403, [{ code: 'INVALID_PRIVILEGE', description: 'Forbidden' }]),
      [], /did not say which.*\/api\/doc/],
  ])('403: %s → JamfPrivilegeError (exit 77)', async (_name, method, path, body, privileges, message) => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path, method }).reply(403, body, JSON_HEADERS);
    const error = await h.failure(() => h.client().request(method, path, method === 'POST' ? { json: {} } : {}));
    expect(error).toBeInstanceOf(JamfPrivilegeError);
    expect(error).toBeInstanceOf(JamfHttpError);
    expect((error as JamfPrivilegeError).privileges).toEqual(privileges);
    expect((error as JamfPrivilegeError).statusCode).toBe(403);
    expect(exitStatusFor(error)).toBe(77);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`API client ${CLIENT_ID}`);
    expect(h.sleeps).toEqual([]);
  });

  test("403 for an account points at the account's privileges", async () => {
    h.interceptAccountToken(TOKEN_1, new Date(h.clock.now + 1_800_000).toISOString());
    h.jamf.intercept({ path: '/api/v1/managed-software-updates/plans/feature-toggle', method: 'GET' }).reply(403, apiError(403, []), JSON_HEADERS);
    const error = await h.failure(() => h.client({ credential: accountCredential }).request('GET', 'api/v1/managed-software-updates/plans/feature-toggle'));
    expect(error.message).toMatch(/Jamf Pro account "svc-superd" lacks .* Read Managed Software Updates\. Add them to this account's privileges/);
  });

  test('404 on an endpoint the server version lacks → JamfEndpointUnavailableError (exit 78) naming both versions', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/api/v4/computers-inventory-detail/12', method: 'GET' }).reply(404, apiError(404, [{ code: 'NOT_FOUND', description: 'Not Found' }]), JSON_HEADERS);
    h.jamf.intercept({ path: '/api/v1/jamf-pro-version', method: 'GET' }).reply(200, { version: '11.26.1-t1760000000000' }, JSON_HEADERS);
    const error = await h.failure(() => h.client().request('GET', 'api/v4/computers-inventory-detail/12'));
    expect(error).toBeInstanceOf(JamfEndpointUnavailableError);
    expect(exitStatusFor(error)).toBe(78);
    expect(error.message).toBe('Jamf Pro 11.26.1-t1760000000000 does not offer GET api/v4/computers-inventory-detail/12: this endpoint needs Jamf Pro 11.30.0 or later.');
    expect((error as JamfEndpointUnavailableError).requirement).toEqual({ since: '11.30.0' });
  });

  test('404 on the same endpoint of a server that has it → plain JamfHttpError (the object is not there)', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/api/v4/computers-inventory-detail/99', method: 'GET' })
      .reply(404, apiError(404, [{ code: 'NOT_FOUND', description: 'Specified computer object does not exist' }]), JSON_HEADERS);
    h.jamf.intercept({ path: '/api/v1/jamf-pro-version', method: 'GET' }).reply(200, { version: '11.30.1-t1784555528405' }, JSON_HEADERS);
    const error = await h.failure(() => h.client().request('GET', 'api/v4/computers-inventory-detail/99'));
    expect(error.constructor).toBe(JamfHttpError);
    expect(error.message).toBe('Jamf Pro answered 404 Not Found to GET api/v4/computers-inventory-detail/99: NOT_FOUND Specified computer object does not exist');
  });

  test('Classic BlankPush on 11.28+ → says it was removed', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/jamf-pro-version', method: 'GET' }).reply(200, { version: '11.28.0-t1' }, JSON_HEADERS);
    h.jamf.intercept({ path: '/JSSResource/computercommands/command/BlankPush/id/12', method: 'POST' }).reply(404, '<html><p>Not Found</p></html>');
    const client = h.client();
    await client.getVersion();
    const error = await h.failure(() => client.request('POST', 'JSSResource/computercommands/command/BlankPush/id/12'));
    expect(error).toBeInstanceOf(JamfEndpointUnavailableError);
    expect(error.message).toMatch(/was removed in Jamf Pro 11\.28\.0/);
  });

  test('400 with an ApiError: the causes are summarised', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: PLANS, method: 'POST' }).reply(400, apiError(400, [
      { code: 'INVALID_FIELD', description: 'possible values can be [ DOWNLOAD_ONLY, DOWNLOAD_INSTALL ]', field: 'config.updateAction' },
      { code: 'INVALID_FIELD', description: 'must not be empty', field: 'devices' },
    ]), JSON_HEADERS);
    const error = await h.failure(() => h.client().request('POST', PLANS, { json: PLAN_BODY }));
    expect(error.message).toBe(
      'Jamf Pro answered 400 Bad Request to POST api/v1/managed-software-updates/plans: ' +
      'INVALID_FIELD config.updateAction possible values can be [ DOWNLOAD_ONLY, DOWNLOAD_INSTALL ]; INVALID_FIELD devices must not be empty',
    );
  });

  test('an error body that echoes a secret is masked', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/api-integrations/1/client-credentials', method: 'POST' })
      .reply(409, apiError(409, [{ code: 'CONFLICT', description: `secret ${CLIENT_SECRET} and token ${TOKEN_1}` }]), JSON_HEADERS);
    const error = await h.failure(() => h.client().request('POST', 'api/v1/api-integrations/1/client-credentials'));
    expect(error.message).toContain('[REDACTED]');
    expect(error.message).toBe(
      'Jamf Pro answered 409 Conflict to POST api/v1/api-integrations/1/client-credentials: CONFLICT secret [REDACTED] and token [REDACTED]',
    );
  });

  test.each([
    ['ECONNREFUSED', 'connect ECONNREFUSED 192.0.2.10:443', /Cannot reach Jamf Pro at jamf\.example\.com: the connection was refused/],
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND jamf.example.com', /jamf\.example\.com: the host name does not resolve \(DNS\)/],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', /untrusted CA.*--use-system-ca/],
    ['UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error', /did not answer in time/],
  ])('unreachable (%s) → JamfUnreachableError (exit 75) naming host and cause', async (code, message, expected) => {
    h.jamf.intercept({ path: '/api/oauth/token', method: 'POST' }).replyWithError(connectionError(code, message));
    const error = await h.failure(() => h.client().getVersion());
    expect(error).toBeInstanceOf(JamfUnreachableError);
    expect(exitStatusFor(error)).toBe(75);
    expect(error.message).toMatch(expected);
    expect(error.message).toContain('(POST api/oauth/token)');
    expect((error as Error & { cause?: unknown }).cause).toBeInstanceOf(Error);
  });

  test('every call has a timeout: a server that never answers → JamfUnreachableError after the GET was retried', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/auth', method: 'GET' }).reply(200, AUTH, JSON_HEADERS).delay(2_000).times(4);
    const error = await h.failure(() => h.client({ timeoutMs: 50 }).whoAmI());
    expect(error).toBeInstanceOf(JamfUnreachableError);
    expect(exitStatusFor(error)).toBe(75);
    expect(error.message).toMatch(/no answer within 0\.05 s \(GET api\/v1\/auth\)/);
    expect(wire(h.events).slice(1)).toEqual(Array(4).fill('GET api/v1/auth timeout'));
    expect(h.sleeps).toEqual([500, 1000, 2000]);
  });

  test('a POST that got no answer in time is not repeated (the plan may exist)', async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: PLANS, method: 'POST' }).reply(201, CREATED, JSON_HEADERS).delay(2_000);
    const error = await h.failure(() => h.client({ timeoutMs: 50 }).request('POST', PLANS, { json: PLAN_BODY }));
    expect(error).toBeInstanceOf(JamfUnreachableError);
    expect(wire(h.events).slice(1)).toEqual([`POST ${PLANS.slice(1)} timeout`]);
  });

  test("the caller's AbortSignal cancels the call with the signal's reason, not a Jamf error", async () => {
    h.interceptClientToken(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/auth', method: 'GET' }).reply(200, AUTH, JSON_HEADERS).delay(2_000);
    const controller = new AbortController();
    const reason = new Error('state exited');
    const pending = h.client().request('GET', 'api/v1/auth', { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
    await expect(h.client().whoAmI(AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});

test('constructor validates its options and names the fix', () => {
  const dispatcher = h.agent;
  expect(() => new JamfClient({ baseUrl: 'http://jamf.example.com', credential: accountCredential, dispatcher })).toThrow(/only talks to Jamf Pro over https/);
  expect(() => new JamfClient({ baseUrl: BASE_URL, credential: accountCredential, dispatcher, timeoutMs: 0 })).toThrow(/positive number/);
  expect(new JamfClient({ baseUrl: 'https://jamf.example.com:8443', credential: accountCredential, dispatcher }).baseUrl).toBe('https://jamf.example.com:8443/');
});

test('no secret, password or token appears in any error message or hook event', async () => {
  // A run that sees tokens issued, rejected, refreshed and every failure kind; finish() then
  // checks the hook events and all recorded errors against the real secret strings.
  h.interceptAccountToken(TOKEN_1, new Date(h.clock.now + 1_800_000).toISOString());
  h.jamf.intercept({ path: '/api/v1/auth', method: 'GET' }).reply(401, apiError(401, []), JSON_HEADERS).times(2);
  h.interceptAccountToken(TOKEN_2, new Date(h.clock.now + 1_800_000).toISOString());
  h.jamf.intercept({ path: PLANS, method: 'POST' }).reply(403, apiError(403, [{ code: 'INVALID_PRIVILEGE', description: 'Forbidden' }]), JSON_HEADERS);
  h.jamf.intercept({ path: PLANS, method: 'GET' }).reply(500, `{"debug":"Authorization: Bearer ${TOKEN_2}"}`, JSON_HEADERS).times(4);
  h.jamf.intercept({ path: '/api/v1/jamf-pro-version', method: 'GET' }).replyWithError(connectionError('ECONNRESET')).times(4);
  const client = h.client({ credential: accountCredential });
  await h.failure(() => client.whoAmI());
  await h.failure(() => client.request('POST', PLANS, { json: PLAN_BODY }));
  await h.failure(() => client.request('GET', PLANS));
  await h.failure(() => client.getVersion());
  expect(h.errors.map((e) => (e as Error).name)).toEqual(['JamfHttpError', 'JamfPrivilegeError', 'JamfHttpError', 'JamfUnreachableError']);
  expect(h.events.length).toBeGreaterThan(8);
});
