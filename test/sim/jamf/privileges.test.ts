import { openTestSim, type TestSim } from './testSetup';

/**
 * Every privileged route, table-driven from the simulator's own route list
 * (whose privileges the OpenAPI test compares with x-required-privileges):
 * a caller missing any one required privilege is refused, a caller holding
 * them all is not.
 */
const versions = ['11.30.0', '11.26.1'] as const;

function samplePath(t: TestSim, path: string): string {
  const c = t.fx.computer;
  return path
    .replace('/udid/{key}', `/udid/${c.udid}`)
    .replace('/serialnumber/{key}', `/serialnumber/${c.serialNumber}`)
    .replace('/id/{key}', `/id/${c.id}`)
    .replace('{subset}', 'General')
    .replace('{ids}', String(c.id))
    .replace('{name}', t.fx.limited.username)
    .replace('{id}', '1');
}

describe.each(versions)('Jamf Pro %s', (version) => {
  let t: TestSim;
  beforeAll(async () => {
    t = await openTestSim({ version });
  });
  afterAll(() => t.close());

  async function tokenWith(privileges: readonly string[]): Promise<string> {
    const role = t.sim.control.addRole(`role ${Math.random()}`, [...privileges]);
    const c = t.sim.control.addClient({ displayName: 'privilege probe', roles: [role.id] });
    return t.client.clientToken(c.clientId, c.clientSecret);
  }

  test('each privileged route refuses a caller missing any one of its privileges, and admits one holding all', async () => {
    const routes = t.sim.control.routes().filter((r) => r.privileges.length > 0);
    expect(routes.length).toBeGreaterThan(25);
    const problems: string[] = [];
    for (const r of routes) {
      const path = samplePath(t, r.path);
      const classic = r.path.startsWith('/JSSResource/');
      const body = r.method === 'GET' ? {} : classic ? { xml: '<account/>' } : { json: {} };
      for (const missing of r.privileges) {
        const token = await tokenWith(r.privileges.filter((p) => p !== missing));
        const res = await t.client.call(r.method, path, { token, ...body });
        const ok = classic
          ? res.status === 401 && res.text.includes('The request requires user authentication')
          : res.status === 403 && JSON.stringify(res.json) === JSON.stringify({ httpStatus: 403, errors: [{ code: 'INVALID_PRIVILEGE', description: 'Forbidden', id: '0', field: null }] });
        if (!ok) problems.push(`${r.method} ${r.path} without "${missing}": ${res.status} ${res.text.slice(0, 80)}`);
      }
      const full = await t.client.call(r.method, path, { token: await tokenWith(r.privileges), ...body });
      if (full.status === 401 || full.status === 403) problems.push(`${r.method} ${r.path} with all privileges: ${full.status}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('privileges of user accounts', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await openTestSim();
  });
  afterAll(() => t.close());

  test('a CUSTOM account holds only its privileges; an AUDITOR reads but cannot write; an ADMINISTRATOR does all', async () => {
    const limited = await t.client.userToken(t.fx.limited.username, t.fx.limited.password);
    expect((await t.client.call('GET', '/api/v3/computers-inventory', { token: limited })).status).toBe(200);
    expect((await t.client.call('GET', '/api/v1/accounts', { token: limited })).status).toBe(403);
    expect((await t.client.call('GET', '/JSSResource/accounts', { token: limited })).status).toBe(401);
    t.sim.control.addAccount({ username: 'auditor', password: 'Audit-passw0rd', privilegeLevel: 'AUDITOR' });
    const auditor = await t.client.userToken('auditor', 'Audit-passw0rd');
    expect((await t.client.call('GET', '/api/v1/accounts', { token: auditor })).status).toBe(200);
    expect((await t.client.call('PUT', '/api/v1/accounts/1', { token: auditor, json: {} })).status).toBe(403);
    const admin = await t.client.userToken(t.fx.admin.username, t.fx.admin.password);
    expect((await t.client.call('PUT', `/api/v1/accounts/${t.fx.limited.id}`, { token: admin, json: { realname: 'Help Desk 2' } })).status).toBe(200);
  });

  test('the Classic privilege failure can be switched to the documented 403', async () => {
    t.sim.control.configure({ classicPrivilegeFailureStatus: 403 });
    try {
      const limited = await t.client.userToken(t.fx.limited.username, t.fx.limited.password);
      const r = await t.client.call('GET', '/JSSResource/accounts', { token: limited });
      expect(r.status).toBe(403);
      expect(r.text).toContain('<p style="font-size: 1.2em;font-weight: bold;margin: 1em 0px;">Forbidden</p>');
    } finally {
      t.sim.control.configure({ classicPrivilegeFailureStatus: 401 });
    }
  });
});
