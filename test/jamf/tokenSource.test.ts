import { JamfAuthError, JamfEndpointUnavailableError, JamfHttpError, JamfResponseError } from '../../daemon/errors';
import { exitStatusFor } from '../../daemon/exitStatus';
import {
  accountCredential, apiError, CLIENT_ID, CLIENT_SECRET, harness, JSON_HEADERS, PASSWORD, T0, TOKEN_1, TOKEN_2, TOKEN_3, USERNAME, wire,
  type Harness,
} from './helpers';

const VERSION = { version: '11.30.0-t1782920582649' };
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.finish();
});

function expectVersionWith(token: string, times = 1) {
  h.jamf.intercept({ path: '/api/v1/jamf-pro-version', method: 'GET', headers: { authorization: `Bearer ${token}` } })
    .reply(200, VERSION, JSON_HEADERS).times(times);
}

describe('getting a token', () => {
  test('API client: form-encoded client_id, client_secret, grant_type=client_credentials to api/oauth/token', async () => {
    h.interceptClientToken(TOKEN_1);
    expectVersionWith(TOKEN_1);
    const client = h.client();
    await expect(client.getVersion()).resolves.toBe(VERSION.version);
    const [call] = h.agent.getCallHistory()?.filterCalls({ path: '/api/oauth/token' }) ?? [];
    expect(call?.headers).toMatchObject({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(Object.fromEntries(new URLSearchParams(call?.body ?? ''))).toEqual({
      client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: 'client_credentials',
    });
    expect(client.tokenExpiresAt).toBe(T0 + 599_000);
  });

  test('account: HTTP Basic to api/v1/auth/token, expiry from `expires`', async () => {
    h.interceptAccountToken(TOKEN_1, iso(T0 + 30 * MIN));
    expectVersionWith(TOKEN_1);
    const client = h.client({ credential: accountCredential });
    await client.getVersion();
    const [call] = h.agent.getCallHistory()?.filterCalls({ path: '/api/v1/auth/token' }) ?? [];
    expect(call?.headers).toMatchObject({ authorization: `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}` });
    expect(client.tokenExpiresAt).toBe(T0 + 30 * MIN);
  });

  test("account: expiry is measured on the server's clock when it sends Date (a Mac two hours fast still keeps its token)", async () => {
    const serverNow = T0 - 2 * 60 * MIN;
    h.jamf.intercept({ path: '/api/v1/auth/token', method: 'POST' })
      .reply(200, { token: TOKEN_1, expires: iso(serverNow + 30 * MIN) }, { headers: { ...JSON_HEADERS.headers, date: new Date(serverNow).toUTCString() } });
    expectVersionWith(TOKEN_1, 2);
    const client = h.client({ credential: accountCredential });
    await client.getVersion();
    expect(client.tokenExpiresAt).toBe(T0 + 30 * MIN);
    h.clock.now += 10 * MIN;
    await client.getVersion();
    expect(wire(h.events)).toEqual(['POST api/v1/auth/token 200', 'GET api/v1/jamf-pro-version 200', 'GET api/v1/jamf-pro-version 200']);
  });

  test('concurrent calls share one token request', async () => {
    h.interceptClientToken(TOKEN_1);
    expectVersionWith(TOKEN_1, 3);
    const client = h.client();
    await Promise.all([client.getVersion(), client.getVersion(), client.getVersion()]);
    expect(h.events.filter((e) => e.path === 'api/oauth/token')).toHaveLength(1);
  });
});

describe('renewing before expiry (injected clock)', () => {
  test('API client: a new token once inside the refresh margin; none before', async () => {
    h.interceptClientToken(TOKEN_1, 600);
    expectVersionWith(TOKEN_1, 2);
    h.interceptClientToken(TOKEN_2, 600);
    expectVersionWith(TOKEN_2);
    const client = h.client();
    await client.getVersion();
    h.clock.now = T0 + 539_000; // 61 s left: outside the 60 s margin
    await client.getVersion();
    h.clock.now = T0 + 541_000; // 59 s left: renew first
    await client.getVersion();
    expect(wire(h.events)).toEqual([
      'POST api/oauth/token 200', 'GET api/v1/jamf-pro-version 200',
      'GET api/v1/jamf-pro-version 200',
      'POST api/oauth/token 200', 'GET api/v1/jamf-pro-version 200',
    ]);
    expect(client.tokenExpiresAt).toBe(T0 + 541_000 + 600_000);
  });

  test('account: keep-alive with the old token, then the new token is used', async () => {
    h.interceptAccountToken(TOKEN_1, iso(T0 + 30 * MIN));
    expectVersionWith(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/auth/keep-alive', method: 'POST', headers: { authorization: `Bearer ${TOKEN_1}` } })
      .reply(200, { token: TOKEN_2, expires: iso(T0 + 59 * MIN + 30 * MIN) }, JSON_HEADERS);
    expectVersionWith(TOKEN_2);
    const client = h.client({ credential: accountCredential });
    await client.getVersion();
    h.clock.now = T0 + 29.5 * MIN;
    await client.getVersion();
    expect(wire(h.events)).toEqual([
      'POST api/v1/auth/token 200', 'GET api/v1/jamf-pro-version 200',
      'POST api/v1/auth/keep-alive 200', 'GET api/v1/jamf-pro-version 200',
    ]);
  });

  test('account: keep-alive refused (401) → a new login', async () => {
    h.interceptAccountToken(TOKEN_1, iso(T0 + 30 * MIN));
    expectVersionWith(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/auth/keep-alive', method: 'POST' }).reply(401, apiError(401, []), JSON_HEADERS);
    h.interceptAccountToken(TOKEN_2, iso(T0 + 60 * MIN));
    expectVersionWith(TOKEN_2);
    const client = h.client({ credential: accountCredential });
    await client.getVersion();
    h.clock.now = T0 + 29.5 * MIN;
    await client.getVersion();
    expect(wire(h.events).slice(2)).toEqual(['POST api/v1/auth/keep-alive 401', 'POST api/v1/auth/token 200', 'GET api/v1/jamf-pro-version 200']);
  });

  test('account: an already expired token is not kept alive; a new login instead', async () => {
    h.interceptAccountToken(TOKEN_1, iso(T0 + 30 * MIN));
    expectVersionWith(TOKEN_1);
    h.interceptAccountToken(TOKEN_2, iso(T0 + 90 * MIN));
    expectVersionWith(TOKEN_2);
    const client = h.client({ credential: accountCredential });
    await client.getVersion();
    h.clock.now = T0 + 31 * MIN;
    await client.getVersion();
    expect(wire(h.events).slice(2)).toEqual(['POST api/v1/auth/token 200', 'GET api/v1/jamf-pro-version 200']);
  });

  test('a proactive renewal that fails for a passing reason keeps the still-valid token; the next call renews', async () => {
    h.interceptClientToken(TOKEN_1, 600);
    expectVersionWith(TOKEN_1, 2);
    h.jamf.intercept({ path: '/api/oauth/token', method: 'POST' }).reply(503, apiError(503, []), JSON_HEADERS);
    h.interceptClientToken(TOKEN_2, 600);
    expectVersionWith(TOKEN_2);
    const client = h.client();
    await client.getVersion();
    h.clock.now = T0 + 550_000;
    await client.getVersion();
    await client.getVersion();
    expect(wire(h.events)).toEqual([
      'POST api/oauth/token 200', 'GET api/v1/jamf-pro-version 200',
      'POST api/oauth/token 503', 'GET api/v1/jamf-pro-version 200',
      'POST api/oauth/token 200', 'GET api/v1/jamf-pro-version 200',
    ]);
  });

  test('a renewal rejected because the credential was revoked is not hidden', async () => {
    h.interceptAccountToken(TOKEN_1, iso(T0 + 30 * MIN));
    expectVersionWith(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/auth/keep-alive', method: 'POST' }).reply(401, apiError(401, []), JSON_HEADERS);
    h.jamf.intercept({ path: '/api/v1/auth/token', method: 'POST' }).reply(401, apiError(401, []), JSON_HEADERS);
    const client = h.client({ credential: accountCredential });
    await client.getVersion();
    h.clock.now = T0 + 29.5 * MIN;
    expect(await h.failure(() => client.getVersion())).toBeInstanceOf(JamfAuthError);
  });

  test('a short-lived token is renewed at half its life, not immediately', async () => {
    h.interceptClientToken(TOKEN_1, 60);
    expectVersionWith(TOKEN_1, 2);
    h.interceptClientToken(TOKEN_2, 60);
    expectVersionWith(TOKEN_2);
    const client = h.client();
    await client.getVersion();
    h.clock.now = T0 + 29_000;
    await client.getVersion();
    h.clock.now = T0 + 31_000;
    await client.getVersion();
    expect(h.events.filter((e) => e.path === 'api/oauth/token')).toHaveLength(2);
  });
});

describe('token request failures', () => {
  test.each([
    ['401 invalid_client', 401, { error: 'invalid_client' }],
    ['400 invalid_client (the status the spec documents)', 400, { error: 'invalid_client', error_description: 'OAuth 2.0 Parameter: client_secret' }],
  ])('API client %s → JamfAuthError (exit 77), one request', async (_name, status, body) => {
    h.jamf.intercept({ path: '/api/oauth/token', method: 'POST' }).reply(status, body, JSON_HEADERS);
    const error = await h.failure(() => h.client().getVersion());
    expect(error).toBeInstanceOf(JamfAuthError);
    expect(error.message).toContain(`API client ${CLIENT_ID}`);
    expect(error.message).toMatch(/check the client ID and secret, and that the API client is enabled/);
    expect(h.events).toHaveLength(1);
  });

  test('API client: 200 without access_token → a server fault (exit 75, never a pause) that says to check the client is enabled', async () => {
    h.jamf.intercept({ path: '/api/oauth/token', method: 'POST' }).reply(200, { access_token: '' }, JSON_HEADERS);
    const error = await h.failure(() => h.client().getVersion());
    expect(error).toBeInstanceOf(JamfResponseError);
    expect(exitStatusFor(error)).toBe(75);
    expect(error.message).toMatch(/API client enabled/);
  });

  test('API client: no token endpoint (server older than 10.49) → JamfEndpointUnavailableError', async () => {
    h.jamf.intercept({ path: '/api/oauth/token', method: 'POST' }).reply(404, 'Not Found');
    const error = await h.failure(() => h.client().getVersion());
    expect(error).toBeInstanceOf(JamfEndpointUnavailableError);
    expect(error.message).toMatch(/10\.49\.0 or later/);
  });

  test('account: wrong password → JamfAuthError, never retried (lockout)', async () => {
    h.jamf.intercept({ path: '/api/v1/auth/token', method: 'POST' }).reply(401, apiError(401, []), JSON_HEADERS);
    const error = await h.failure(() => h.client({ credential: accountCredential }).getVersion());
    expect(error).toBeInstanceOf(JamfAuthError);
    expect(error.message).toMatch(/rejected the user name or password of Jamf Pro account "svc-superd".*lock/);
    expect(wire(h.events)).toEqual(['POST api/v1/auth/token 401']);
  });

  test('account: expired password → says to change it', async () => {
    h.jamf.intercept({ path: '/api/v1/auth/token', method: 'POST' })
      .reply(401, apiError(401, [{ code: 'USER_EXPIRED_PASSWORD', description: 'Password expired' }]), JSON_HEADERS);
    const error = await h.failure(() => h.client({ credential: accountCredential }).getVersion());
    expect(error).toBeInstanceOf(JamfAuthError);
    expect(error.message).toMatch(/password of Jamf Pro account "svc-superd" has expired/);
  });

  test('token endpoint 503 → JamfHttpError (temporary), not a credential error', async () => {
    h.jamf.intercept({ path: '/api/oauth/token', method: 'POST' }).reply(503, apiError(503, []), JSON_HEADERS);
    const error = await h.failure(() => h.client().getVersion());
    expect(error).toBeInstanceOf(JamfHttpError);
    expect((error as JamfHttpError).code).toBe('SUPERD_ERR_JAMF_HTTP');
    expect((error as JamfHttpError).statusCode).toBe(503);
  });
});

describe('close() invalidates the token', () => {
  test.each([
    ['204 → invalidated', 204, 'invalidated'],
    ['401 → already invalid', 401, 'already-invalid'],
  ])('%s', async (_name, status, outcome) => {
    h.interceptClientToken(TOKEN_1);
    expectVersionWith(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/auth/invalidate-token', method: 'POST', headers: { authorization: `Bearer ${TOKEN_1}` } }).reply(status, '');
    const client = h.client();
    await client.getVersion();
    await expect(client.close()).resolves.toBe(outcome);
    expect(client.tokenExpiresAt).toBeUndefined();
    await expect(client.getVersion()).rejects.toThrow(/used after close/);
    expect(wire(h.events).at(-1)).toBe(`POST api/v1/auth/invalidate-token ${status}`);
  });

  test('nothing to invalidate: no token held, or the token already expired', async () => {
    await expect(h.client().close()).resolves.toBe('none');
    h.interceptClientToken(TOKEN_3, 600);
    expectVersionWith(TOKEN_3);
    const client = h.client();
    await client.getVersion();
    h.clock.now = T0 + 601_000;
    await expect(client.close()).resolves.toBe('expired');
    expect(wire(h.events)).toEqual(['POST api/oauth/token 200', 'GET api/v1/jamf-pro-version 200']);
  });

  test('the server failing to invalidate → typed error; the token is forgotten anyway', async () => {
    h.interceptClientToken(TOKEN_1);
    expectVersionWith(TOKEN_1);
    h.jamf.intercept({ path: '/api/v1/auth/invalidate-token', method: 'POST' }).reply(500, apiError(500, []), JSON_HEADERS);
    const client = h.client();
    await client.getVersion();
    const error = await h.failure(() => client.close());
    expect(error).toBeInstanceOf(JamfHttpError);
    expect(client.tokenExpiresAt).toBeUndefined();
  });
});

test('every issued token is handed to onSecret (for the log redactor)', async () => {
  h.interceptClientToken(TOKEN_1, 600);
  expectVersionWith(TOKEN_1);
  h.interceptClientToken(TOKEN_2, 600);
  expectVersionWith(TOKEN_2);
  const secrets: string[] = [];
  const client = h.client({ onSecret: (s) => secrets.push(s) });
  await client.getVersion();
  h.clock.now = T0 + 590_000;
  await client.getVersion();
  expect(secrets).toEqual([TOKEN_1, TOKEN_2]);
});
