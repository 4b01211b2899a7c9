import { openTestSim, type TestSim } from './testSetup';

let t: TestSim;
let token: string;
beforeAll(async () => {
  t = await openTestSim();
  token = await t.client.userToken(t.fx.rotator.username, t.fx.rotator.password);
});
afterAll(() => t.close());

const tokenStatus = async (username: string, password: string): Promise<number> =>
  (await t.client.call('POST', '/api/v1/auth/token', { basic: { username, password } })).status;

describe('Classic accounts', () => {
  test('GET /accounts lists users (XML and JSON)', async () => {
    const xml = await t.client.call('GET', '/JSSResource/accounts', { token });
    expect(xml.text).toContain('<accounts><users><user><id>1</id><name>jamf-admin</name></user>');
    expect(xml.text).toContain('</users><groups/></accounts>');
    const json = (await t.client.call('GET', '/JSSResource/accounts', { token, accept: 'application/json' })).json as { accounts: { users: { id: number; name: string }[] } };
    expect(json.accounts.users[0]).toEqual({ id: 1, name: 'jamf-admin' });
  });

  test('GET by username and by id: the account document, never a password', async () => {
    const r = await t.client.call('GET', `/JSSResource/accounts/username/${t.fx.rotator.username}`, { token });
    expect(r.status).toBe(200);
    expect(r.text).toContain(`<account><id>${t.fx.rotator.id}</id><name>superd-rotator</name><directory_user>false</directory_user>`);
    expect(r.text).toContain('<privilege_set>Custom</privilege_set>');
    expect(r.text).toContain('<jss_actions><privilege>Send Computer Remote Command to Download and Install OS X Update</privilege>');
    expect(r.text).not.toContain(t.fx.rotator.password);
    expect(r.text).not.toMatch(/password>/i);
    const byId = (await t.client.call('GET', `/JSSResource/accounts/userid/${t.fx.ldap.id}`, { token, accept: 'application/json' })).json as { account: Record<string, unknown> };
    expect(byId.account).toMatchObject({ id: t.fx.ldap.id, name: 'ldap-admin', directory_user: true, ldap_server: { id: 1 } });
    expect((await t.client.call('GET', '/JSSResource/accounts/username/nobody', { token })).status).toBe(404);
  });

  test('PUT <account><password> changes the password at once: 201 <account><id>', async () => {
    const a = t.sim.control.addAccount({ username: 'svc-daemon', password: 'Old-passw0rd!' });
    t.sim.clock.advance(60_000);
    const r = await t.client.call('PUT', `/JSSResource/accounts/userid/${a.id}`, { token, xml: '<account><password>N3w-P@ssw0rd &amp; more</password></account>' });
    expect(r.status).toBe(201);
    expect(r.text).toBe(`<?xml version="1.0" encoding="UTF-8"?><account><id>${a.id}</id></account>`);
    expect(await tokenStatus('svc-daemon', 'Old-passw0rd!')).toBe(401);
    expect(await tokenStatus('svc-daemon', 'N3w-P@ssw0rd & more')).toBe(200);
    expect(t.sim.control.account(a.id).lastPasswordChange).toBe(t.sim.clock.now());
    const byName = await t.client.call('PUT', '/JSSResource/accounts/username/svc-daemon', { token, xml: '<?xml version="1.0" encoding="UTF-8"?><account><password>Third-passw0rd</password></account>' });
    expect(byName.status).toBe(201);
    expect(await tokenStatus('svc-daemon', 'Third-passw0rd')).toBe(200);
  });

  test('a password change unlocks a locked account; the token switch invalidates its tokens', async () => {
    const a = t.sim.control.addAccount({ username: 'locked-svc', password: 'Right-passw0rd' });
    const before = await t.client.userToken('locked-svc', 'Right-passw0rd');
    for (let i = 0; i < 5; i++) await tokenStatus('locked-svc', 'wrong');
    expect(await tokenStatus('locked-svc', 'Right-passw0rd')).toBe(401);
    t.sim.control.configure({ invalidateTokensOnPasswordChange: true });
    try {
      await t.client.call('PUT', `/JSSResource/accounts/userid/${a.id}`, { token, xml: '<account><password>Fresh-passw0rd</password></account>' });
      expect(await tokenStatus('locked-svc', 'Fresh-passw0rd')).toBe(200);
      expect((await t.client.call('GET', '/api/v1/auth', { token: before })).status).toBe(401);
    } finally {
      t.sim.control.configure({ invalidateTokensOnPasswordChange: false });
    }
  });

  test('directory accounts are refused (409), malformed XML → 400, unknown account → 404, policy violations → 409', async () => {
    const ldap = await t.client.call('PUT', `/JSSResource/accounts/userid/${t.fx.ldap.id}`, { token, xml: '<account><password>x-Passw0rd</password></account>' });
    expect(ldap.status).toBe(409);
    expect(ldap.text).toContain('<p>Error: ');
    expect(await tokenStatus(t.fx.ldap.username, t.fx.ldap.password)).toBe(200);
    const sso = await t.client.call('PUT', `/JSSResource/accounts/userid/${t.fx.sso.id}`, { token, xml: '<account><password>x-Passw0rd</password></account>' });
    expect(sso.status).toBe(409);
    for (const xml of ['<account><password>x</account>', '<user><password>x</password></user>', 'password=x']) {
      expect((await t.client.call('PUT', `/JSSResource/accounts/userid/${t.fx.limited.id}`, { token, xml })).status).toBe(400);
    }
    expect((await t.client.call('PUT', '/JSSResource/accounts/userid/999', { token, xml: '<account><password>x</password></account>' })).status).toBe(404);
    t.sim.control.configure({ passwordMinLength: 12 });
    try {
      const short = await t.client.call('PUT', `/JSSResource/accounts/userid/${t.fx.limited.id}`, { token, xml: '<account><password>short</password></account>' });
      expect(short.status).toBe(409);
    } finally {
      t.sim.control.configure({ passwordMinLength: 1 });
    }
  });
});

describe('Jamf Pro API accounts', () => {
  test('GET /v1/accounts with an RSQL filter; GET by id; no plainPassword in responses', async () => {
    const r = await t.client.call('GET', `/api/v1/accounts?filter=${encodeURIComponent('username=="superd-rotator"')}`, { token });
    const body = r.json as { totalCount: number; results: Record<string, unknown>[] };
    expect(body.totalCount).toBe(1);
    expect(body.results[0]).toMatchObject({ id: String(t.fx.rotator.id), username: 'superd-rotator', accountStatus: 'Enabled', accountType: 'DEFAULT', ldapServerId: -1, privilegeLevel: 'CUSTOM' });
    expect(r.text).not.toContain('plainPassword');
    const ldap = (await t.client.call('GET', `/api/v1/accounts/${t.fx.ldap.id}`, { token })).json as Record<string, unknown>;
    expect(ldap).toMatchObject({ ldapServerId: 1, distinguishedName: 'CN=ldap-admin,OU=Users,DC=example,DC=com' });
    const sso = (await t.client.call('GET', `/api/v1/accounts/${t.fx.sso.id}`, { token })).json as Record<string, unknown>;
    expect(sso.accountType).toBe('FEDERATED');
    expect((await t.client.call('GET', '/api/v1/accounts/999', { token })).status).toBe(404);
  });

  test('PUT /v1/accounts/{id} with plainPassword rotates the password (11.27+)', async () => {
    const a = t.sim.control.addAccount({ username: 'pro-rotated', password: 'Before-passw0rd' });
    const r = await t.client.call('PUT', `/api/v1/accounts/${a.id}`, { token, json: { plainPassword: 'After-passw0rd' } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: String(a.id), username: 'pro-rotated', failedLoginAttempts: 0 });
    expect(r.text).not.toContain('After-passw0rd');
    expect(await tokenStatus('pro-rotated', 'After-passw0rd')).toBe(200);
    const ldap = await t.client.call('PUT', `/api/v1/accounts/${t.fx.ldap.id}`, { token, json: { plainPassword: 'After-passw0rd' } });
    expect(ldap.status).toBe(400);
    expect((ldap.json as { errors: { field: string }[] }).errors[0]?.field).toBe('plainPassword');
    const bad = await t.client.call('PUT', `/api/v1/accounts/${a.id}`, { token, json: { accountStatus: 'Paused' } });
    expect(bad.status).toBe(400);
  });

  test('before 11.27 the PUT does not exist: 405 from the servlet, GET still works', async () => {
    t.sim.control.setVersion('11.26.1');
    try {
      const r = await t.client.call('PUT', `/api/v1/accounts/${t.fx.limited.id}`, { token, json: { plainPassword: 'x' } });
      expect(r.status).toBe(405);
      expect(r.headers.allow).toBe('GET');
      expect((await t.client.call('GET', `/api/v1/accounts/${t.fx.limited.id}`, { token })).status).toBe(200);
    } finally {
      t.sim.control.setVersion('11.30.0');
    }
  });
});

describe('API integrations and roles', () => {
  test('GET list and by id: integer ids, role display names as scopes', async () => {
    const list = (await t.client.call('GET', '/api/v1/api-integrations', { token })).json as { totalCount: number; results: Record<string, unknown>[] };
    expect(list.results[0]).toEqual({
      id: t.fx.superdClient.id,
      authorizationScopes: ['superd'],
      displayName: 'superd',
      enabled: true,
      accessTokenLifetimeSeconds: 600,
      appType: 'CLIENT_CREDENTIALS',
      clientId: t.fx.superdClient.clientId,
    });
    const one = (await t.client.call('GET', `/api/v1/api-integrations/${t.fx.disabledClient.id}`, { token })).json as { enabled: boolean };
    expect(one.enabled).toBe(false);
    const filtered = (await t.client.call('GET', `/api/v1/api-integrations?filter=${encodeURIComponent('displayName=="*retired*"')}`, { token })).json as { totalCount: number };
    expect(filtered.totalCount).toBe(1);
    expect((await t.client.call('GET', '/api/v1/api-integrations/999', { token })).status).toBe(404);
  });

  test('POST client-credentials rotates: the new secret works, the old one no longer does', async () => {
    const c = t.sim.control.addClient({ displayName: 'to rotate', roles: ['superd'] });
    const r = await t.client.call('POST', `/api/v1/api-integrations/${c.id}/client-credentials`, { token });
    expect(r.status).toBe(200);
    const fresh = r.json as { clientId: string; clientSecret: string };
    expect(Object.keys(fresh).sort()).toEqual(['clientId', 'clientSecret']);
    expect(fresh.clientId).toBe(c.clientId);
    expect(fresh.clientSecret).not.toBe(c.clientSecret);
    await expect(t.client.clientToken(c.clientId, c.clientSecret)).rejects.toThrow(/401/);
    await expect(t.client.clientToken(fresh.clientId, fresh.clientSecret)).resolves.toMatch(/^ey/);
    expect((await t.client.call('POST', '/api/v1/api-integrations/999/client-credentials', { token })).status).toBe(404);
  });

  test('API roles and the privilege catalogue', async () => {
    const roles = (await t.client.call('GET', '/api/v1/api-roles', { token })).json as { results: { id: string; displayName: string; privileges: string[] }[] };
    expect(roles.results[0]).toMatchObject({ id: String(t.fx.superdRole.id), displayName: 'superd' });
    expect(roles.results[0]?.privileges).toContain('View MDM command information in Jamf Pro API');
    const cat = (await t.client.call('GET', '/api/v1/api-role-privileges', { token })).json as { privileges: string[] };
    expect(cat.privileges).toEqual([...cat.privileges].sort((a, b) => a.localeCompare(b)));
    expect(cat.privileges).toContain('Send Computer Remote Command to Download and Install OS X Update');
    const search = (await t.client.call('GET', '/api/v1/api-role-privileges/search?name=managed%20software&limit=2', { token })).json as { privileges: string[] };
    expect(search.privileges).toHaveLength(2);
  });
});
