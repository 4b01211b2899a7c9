import { openTestSim, type TestSim } from './testSetup';

let t: TestSim;
beforeAll(async () => {
  t = await openTestSim({ lockoutThreshold: 3 });
});
afterAll(() => t.close());

const decode = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
const header = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('POST /api/v1/auth/token', () => {
  test('Basic credentials give a JWT-shaped user token and an ISO expiry with milliseconds', async () => {
    const r = await t.client.call('POST', '/api/v1/auth/token', { basic: t.fx.admin });
    expect(r.status).toBe(200);
    const body = r.json as { token: string; expires: string };
    expect(Object.keys(body).sort()).toEqual(['expires', 'token']);
    expect(body.expires).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(body.expires)).toBe(t.sim.clock.now() + 1200 * 1000);
    expect(header(body.token)).toEqual({ alg: 'HS512' });
    const claims = decode(body.token);
    expect(claims).toMatchObject({ 'authentication-type': 'JSS', 'subject-type': 'JSS_USER_ID', sub: String(t.fx.admin.id) });
    expect(claims.exp).toBe(Math.floor(Date.parse(body.expires) / 1000));
    // Jamf pretty-prints its JSON (Jackson): clients must parse, not match text.
    expect(r.text).toContain('"token" : "');
  });

  test.each([
    ['wrong password', () => ({ username: t.fx.limited.username, password: 'nope' })],
    ['unknown user', () => ({ username: 'nobody', password: 'x' })],
    ['disabled account', () => t.fx.disabled],
    ['SSO-only account', () => t.fx.sso],
  ])('%s → 401 {"httpStatus":401,"errors":[]}', async (_name, creds) => {
    const r = await t.client.call('POST', '/api/v1/auth/token', { basic: creds() });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ httpStatus: 401, errors: [] });
  });

  test('no credentials → 401', async () => {
    const r = await t.client.call('POST', '/api/v1/auth/token');
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ httpStatus: 401, errors: [] });
  });

  test('a forced password change → 401 USER_EXPIRED_PASSWORD', async () => {
    const a = t.sim.control.addAccount({ username: 'must-change', password: 'Old-passw0rd', changePasswordOnNextLogin: true });
    const r = await t.client.call('POST', '/api/v1/auth/token', { basic: { username: a.username, password: 'Old-passw0rd' } });
    expect(r.status).toBe(401);
    expect((r.json as { errors: { code: string }[] }).errors[0]?.code).toBe('USER_EXPIRED_PASSWORD');
  });

  test('failed logins lock the account; the right password is refused until the password is reset', async () => {
    const a = t.sim.control.addAccount({ username: 'lockme', password: 'Right-passw0rd' });
    for (let i = 0; i < 3; i++) {
      expect((await t.client.call('POST', '/api/v1/auth/token', { basic: { username: 'lockme', password: `wrong${i}` } })).status).toBe(401);
    }
    expect(t.sim.control.account('lockme').failedLoginAttempts).toBe(3);
    const locked = await t.client.call('POST', '/api/v1/auth/token', { basic: { username: 'lockme', password: 'Right-passw0rd' } });
    expect(locked.status).toBe(401);
    t.sim.control.setAccountPassword(a.id, 'New-passw0rd-1');
    const after = await t.client.call('POST', '/api/v1/auth/token', { basic: { username: 'lockme', password: 'New-passw0rd-1' } });
    expect(after.status).toBe(200);
    expect(t.sim.control.account('lockme').failedLoginAttempts).toBe(0);
  });

  test('a locked account shows as Disabled (as in Jamf Pro) until an admin sets it back to Enabled', async () => {
    const a = t.sim.control.addAccount({ username: 'lock-status', password: 'Right-passw0rd' });
    const admin = await t.client.userToken(t.fx.admin.username, t.fx.admin.password);
    const listed = async (): Promise<Record<string, unknown>> => {
      const r = await t.client.call('GET', `/api/v1/accounts?filter=${encodeURIComponent('username=="lock-status"')}`, { token: admin });
      return (r.json as { results: Array<Record<string, unknown>> }).results[0]!;
    };
    expect(await listed()).toMatchObject({ accountStatus: 'Enabled', failedLoginAttempts: 0 });
    for (let i = 0; i < 3; i++) await t.client.call('POST', '/api/v1/auth/token', { basic: { username: 'lock-status', password: 'wrong' } });
    expect(await listed()).toMatchObject({ accountStatus: 'Disabled', failedLoginAttempts: 3 });
    const unlock = await t.client.call('PUT', `/api/v1/accounts/${a.id}`, { token: admin, json: { accountStatus: 'Enabled' } });
    expect(unlock.status).toBe(200);
    expect(await listed()).toMatchObject({ accountStatus: 'Enabled', failedLoginAttempts: 0 });
    expect((await t.client.call('POST', '/api/v1/auth/token', { basic: { username: 'lock-status', password: 'Right-passw0rd' } })).status).toBe(200);
  });

  test('an account an admin disabled stays Disabled with no failed logins; it is refused even with the right password', async () => {
    t.sim.control.addAccount({ username: 'off-by-admin', password: 'Right-passw0rd', accountStatus: 'Disabled' });
    expect((await t.client.call('POST', '/api/v1/auth/token', { basic: { username: 'off-by-admin', password: 'Right-passw0rd' } })).status).toBe(401);
    expect(t.sim.control.account('off-by-admin')).toMatchObject({ accountStatus: 'Disabled', failedLoginAttempts: 0, lockedOut: false });
  });

  test('a successful login resets the failure count', async () => {
    t.sim.control.addAccount({ username: 'reset-count', password: 'Passw0rd!' });
    await t.client.call('POST', '/api/v1/auth/token', { basic: { username: 'reset-count', password: 'bad' } });
    expect(t.sim.control.account('reset-count').failedLoginAttempts).toBe(1);
    await t.client.userToken('reset-count', 'Passw0rd!');
    expect(t.sim.control.account('reset-count').failedLoginAttempts).toBe(0);
  });
});

describe('client credentials', () => {
  test.each(['/api/oauth/token', '/api/v1/oauth/token'])('%s issues an HS256 token whose expires_in reflects the client lifetime', async (path) => {
    const { clientId, clientSecret } = t.fx.superdClient;
    const r = await t.client.call('POST', path, { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } });
    expect(r.status).toBe(200);
    const body = r.json as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(body).toMatchObject({ token_type: 'Bearer', scope: `api-role:${t.fx.superdRole.id}`, expires_in: 599 });
    const token = body.access_token as string;
    expect(header(token)).toEqual({ alg: 'HS256' });
    const claims = decode(token);
    expect(claims).toMatchObject({ sub: clientId, aud: clientId, 'subject-type': 'REGISTERED_CLIENT_ID', 'authentication-type': 'CLIENT_CREDENTIALS', scope: [`api-role:${t.fx.superdRole.id}`] });
    expect((claims.exp as number) - (claims.iat as number)).toBe(600);
    expect(r.headers['cache-control']).toBe('no-store');
  });

  test.each([
    ['unknown client', () => ({ grant_type: 'client_credentials', client_id: '00000000-0000-0000-0000-000000000000', client_secret: 'x' })],
    ['wrong secret', () => ({ grant_type: 'client_credentials', client_id: t.fx.superdClient.clientId, client_secret: 'wrong' })],
    ['disabled client', () => ({ grant_type: 'client_credentials', client_id: t.fx.disabledClient.clientId, client_secret: t.fx.disabledClient.clientSecret })],
    ['missing client_id', () => ({ grant_type: 'client_credentials' })],
  ])('%s → 401 invalid_client', async (_n, form) => {
    const r = await t.client.call('POST', '/api/oauth/token', { form: form() });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ error: 'invalid_client' });
  });

  test('invalid_client status can be switched to the 400 the OpenAPI document lists', async () => {
    t.sim.control.configure({ oauthInvalidClientStatus: 400 });
    try {
      const r = await t.client.call('POST', '/api/v1/oauth/token', { form: { grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' } });
      expect(r.status).toBe(400);
      expect(r.json).toEqual({ error: 'invalid_client' });
    } finally {
      t.sim.control.configure({ oauthInvalidClientStatus: 401 });
    }
  });

  test('missing grant_type → 400 invalid_request in RFC 6749 §5.2 form', async () => {
    const { clientId, clientSecret } = t.fx.superdClient;
    const r = await t.client.call('POST', '/api/oauth/token', { form: { client_id: clientId, client_secret: clientSecret } });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: 'invalid_request', error_description: 'OAuth 2.0 Parameter: grant_type', error_uri: 'https://datatracker.ietf.org/doc/html/rfc6749#section-5.2' });
  });

  test('another grant type → 400 unsupported_grant_type; a scope outside the client → 400 invalid_scope', async () => {
    const { clientId, clientSecret } = t.fx.superdClient;
    const g = await t.client.call('POST', '/api/oauth/token', { form: { grant_type: 'password', client_id: clientId, client_secret: clientSecret } });
    expect([g.status, (g.json as { error: string }).error]).toEqual([400, 'unsupported_grant_type']);
    const s = await t.client.call('POST', '/api/oauth/token', { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'api-role:999' } });
    expect([s.status, (s.json as { error: string }).error]).toEqual([400, 'invalid_scope']);
  });

  test('a scope subset limits the token to those roles', async () => {
    const extra = t.sim.control.addRole('accounts reader', ['Read Accounts']);
    const both = t.sim.control.addClient({ displayName: 'two roles', roles: [t.fx.superdRole.id, extra.id] });
    const r = await t.client.call('POST', '/api/oauth/token', {
      form: { grant_type: 'client_credentials', client_id: both.clientId, client_secret: both.clientSecret, scope: `api-role:${extra.id}` },
    });
    expect((r.json as { scope: string }).scope).toBe(`api-role:${extra.id}`);
    const token = (r.json as { access_token: string }).access_token;
    expect((await t.client.call('GET', '/api/v1/accounts', { token })).status).toBe(200);
    expect((await t.client.call('GET', '/api/v3/computers-inventory', { token })).status).toBe(403);
  });

  test('a rotated secret stops working at once; tokens already issued keep working until they expire', async () => {
    const c = t.sim.control.addClient({ displayName: 'rotating', roles: [t.fx.superdRole.id] });
    const before = await t.client.clientToken(c.clientId, c.clientSecret);
    const rotated = t.sim.control.rotateClientSecret(c.id);
    const old = await t.client.call('POST', '/api/oauth/token', { form: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret } });
    expect(old.status).toBe(401);
    await t.client.clientToken(rotated.clientId, rotated.clientSecret);
    expect((await t.client.call('GET', '/api/v1/auth', { token: before })).status).toBe(200);
    t.sim.control.setClientEnabled(c.id, false);
    expect((await t.client.call('GET', '/api/v1/auth', { token: before })).status).toBe(200);
  });
});

describe('token lifecycle', () => {
  test('an expired token → 401 INVALID_TOKEN; an unknown one → 401 with no causes', async () => {
    const token = await t.client.userToken(t.fx.admin.username, t.fx.admin.password);
    t.sim.clock.advance(1200 * 1000);
    const r = await t.client.call('GET', '/api/v1/auth', { token });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ httpStatus: 401, errors: [{ code: 'INVALID_TOKEN', description: 'Unauthorized', id: '0', field: null }] });
    const bogus = await t.client.call('GET', '/api/v1/auth', { token: 'eyJhbGciOiJIUzUxMiJ9.e30.AAAA' });
    expect(bogus.json).toEqual({ httpStatus: 401, errors: [] });
    const none = await t.client.call('GET', '/api/v1/auth');
    expect([none.status, none.json]).toEqual([401, { httpStatus: 401, errors: [] }]);
  });

  test('keep-alive replaces a user token: new expiry, old token invalid', async () => {
    const token = await t.client.userToken(t.fx.admin.username, t.fx.admin.password);
    t.sim.clock.advance(600 * 1000);
    const r = await t.client.call('POST', '/api/v1/auth/keep-alive', { token });
    expect(r.status).toBe(200);
    const next = r.json as { token: string; expires: string };
    expect(Date.parse(next.expires)).toBe(t.sim.clock.now() + 1200 * 1000);
    expect((await t.client.call('GET', '/api/v1/auth', { token })).json).toEqual({ httpStatus: 401, errors: [] });
    expect((await t.client.call('GET', '/api/v1/auth', { token: next.token })).status).toBe(200);
  });

  test('keep-alive is refused for client-credentials tokens (they are re-requested instead)', async () => {
    const token = await t.client.clientToken(t.fx.superdClient.clientId, t.fx.superdClient.clientSecret);
    const r = await t.client.call('POST', '/api/v1/auth/keep-alive', { token });
    expect(r.status).toBe(401);
    expect((await t.client.call('GET', '/api/v1/auth', { token })).status).toBe(200);
  });

  test('invalidate-token → 204, then the token gets 401 with no causes, and invalidating again → 401', async () => {
    const token = await t.client.userToken(t.fx.admin.username, t.fx.admin.password);
    const r = await t.client.call('POST', '/api/v1/auth/invalidate-token', { token });
    expect([r.status, r.text]).toEqual([204, '']);
    expect((await t.client.call('GET', '/api/v3/computers-inventory', { token })).json).toEqual({ httpStatus: 401, errors: [] });
    expect((await t.client.call('POST', '/api/v1/auth/invalidate-token', { token })).status).toBe(401);
  });

  test('control.expireAllTokens expires every live token mid-run', async () => {
    const user = await t.client.userToken(t.fx.admin.username, t.fx.admin.password);
    const client = await t.client.clientToken(t.fx.superdClient.clientId, t.fx.superdClient.clientSecret);
    expect(t.sim.control.expireAllTokens()).toBeGreaterThanOrEqual(2);
    for (const token of [user, client]) {
      const r = await t.client.call('GET', '/api/v1/jamf-pro-version', { token });
      expect((r.json as { errors: { code: string }[] }).errors[0]?.code).toBe('INVALID_TOKEN');
    }
  });
});

describe('GET /api/v1/auth', () => {
  test('user token: account, privileges by site, JSS authentication', async () => {
    const token = await t.client.userToken(t.fx.limited.username, t.fx.limited.password);
    const r = await t.client.call('GET', '/api/v1/auth', { token });
    expect(r.json).toMatchObject({
      account: { id: String(t.fx.limited.id), username: 'helpdesk', privilegeSet: 'CUSTOM', accessLevel: 'FullAccess', privilegesBySite: { '-1': ['Read Computers'] } },
      accountGroups: [],
      sites: [],
      authenticationType: 'JSS',
    });
  });

  test('client token: CLIENT_CREDENTIALS with the role privileges', async () => {
    const token = await t.client.clientToken(t.fx.superdClient.clientId, t.fx.superdClient.clientSecret);
    const r = await t.client.call('GET', '/api/v1/auth', { token });
    const body = r.json as { authenticationType: string; account: { privilegesBySite: Record<string, string[]> } };
    expect(body.authenticationType).toBe('CLIENT_CREDENTIALS');
    expect(body.account.privilegesBySite['-1']).toContain('Create Managed Software Updates');
  });

  test('editing a role changes what live tokens may do', async () => {
    const role = t.sim.control.addRole('editable', ['Read Computers']);
    const c = t.sim.control.addClient({ displayName: 'editable client', roles: [role.id] });
    const token = await t.client.clientToken(c.clientId, c.clientSecret);
    expect((await t.client.call('GET', '/api/v1/accounts', { token })).status).toBe(403);
    t.sim.control.setRolePrivileges(role.id, ['Read Computers', 'Read Accounts']);
    expect((await t.client.call('GET', '/api/v1/accounts', { token })).status).toBe(200);
  });
});

describe('Classic API authentication', () => {
  test('Basic auth on the Classic API → 401 HTML status page (Basic was turned off in 11.5)', async () => {
    const r = await t.client.call('GET', '/JSSResource/accounts', { basic: t.fx.admin });
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.text).toContain('<title>Status page</title>');
    expect(r.text).toContain('<p>The request requires user authentication</p>');
  });

  test('the legacy switch re-enables Classic Basic auth', async () => {
    t.sim.control.configure({ classicBasicAuth: true });
    try {
      expect((await t.client.call('GET', '/JSSResource/accounts', { basic: t.fx.admin })).status).toBe(200);
      expect((await t.client.call('GET', '/JSSResource/accounts', { basic: { username: t.fx.admin.username, password: 'bad' } })).status).toBe(401);
    } finally {
      t.sim.control.configure({ classicBasicAuth: false });
    }
  });

  test('Basic auth is refused on Jamf Pro API endpoints other than /v1/auth/token', async () => {
    const r = await t.client.call('GET', '/api/v1/jamf-pro-version', { basic: t.fx.admin });
    expect([r.status, r.json]).toEqual([401, { httpStatus: 401, errors: [] }]);
  });
});
