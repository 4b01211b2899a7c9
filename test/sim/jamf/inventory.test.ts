import { openTestSim, type TestSim } from './testSetup';

let t: TestSim;
let token: string;
beforeAll(async () => {
  t = await openTestSim();
  t.sim.control.addComputer({ name: 'Zebra', serialNumber: 'SERIALZEBRA1', udid: '11111111-2222-3333-4444-555555555555', osVersion: '14.8.1', appleSilicon: false });
  t.sim.control.addComputer({ name: 'Alpha', serialNumber: 'SERIALALPHA1' });
  token = await t.client.userToken(t.fx.limited.username, t.fx.limited.password);
});
afterAll(() => t.close());

type Inventory = { totalCount: number; results: Record<string, unknown>[] };
const list = async (query: string, version = 3): Promise<Inventory> => {
  const r = await t.client.call('GET', `/api/v${version}/computers-inventory${query}`, { token });
  expect(r.status).toBe(200);
  return r.json as Inventory;
};
const f = (rsql: string): string => `filter=${encodeURIComponent(rsql)}`;

test('default: GENERAL only, other sections present as null, sorted by general.name', async () => {
  const r = await list('');
  expect(r.totalCount).toBe(3);
  expect(r.results.map((c) => (c.general as { name: string }).name)).toEqual(['Alpha', "Llama's MacBook Air", 'Zebra']);
  const first = r.results[0] as Record<string, unknown>;
  expect(first.hardware).toBeNull();
  expect(first.operatingSystem).toBeNull();
  expect(typeof first.id).toBe('string');
});

test('sections may repeat or be comma-separated; an unknown section → 400', async () => {
  const a = await list('?section=GENERAL&section=HARDWARE&section=OPERATING_SYSTEM');
  const b = await list('?section=GENERAL,HARDWARE,OPERATING_SYSTEM');
  expect(a).toEqual(b);
  const mac = a.results.find((c) => c.udid === t.fx.computer.udid) as { hardware: Record<string, unknown>; operatingSystem: Record<string, unknown> };
  expect(mac.hardware).toMatchObject({ serialNumber: 'C02ZC2QYLVDL', appleSilicon: true });
  expect(mac.operatingSystem).toMatchObject({ name: 'macOS', version: '15.6.1', build: '24G90' });
  const bad = await t.client.call('GET', '/api/v3/computers-inventory?section=NOPE', { token });
  expect(bad.status).toBe(400);
});

test.each([
  ['udid==', () => f(`udid=="${t.fx.computer.udid}"`), 1],
  ['udid is case-insensitive', () => f(`udid==${t.fx.computer.udid.toLowerCase()}`), 1],
  ['hardware.serialNumber==', () => f(`hardware.serialNumber=="C02ZC2QYLVDL"`), 1],
  ['id==', () => f(`id==${t.fx.computer.id}`), 1],
  ['general.managementId==', () => f(`general.managementId==${t.fx.computer.managementId}`), 1],
  ['and (;)', () => f(`hardware.serialNumber==SERIALZEBRA1;udid==11111111-2222-3333-4444-555555555555`), 1],
  ['and (keyword)', () => f(`hardware.serialNumber==SERIALZEBRA1 and id==${t.fx.computer.id}`), 0],
  ['or (,)', () => f(`hardware.serialNumber==SERIALZEBRA1,hardware.serialNumber==SERIALALPHA1`), 2],
  ['or (keyword) with parentheses', () => f(`(id==1 or id==3) and hardware.appleSilicon==true`), 2],
  ['=in= with | and ,', () => f(`hardware.serialNumber=in=(SERIALZEBRA1|SERIALALPHA1,C02ZC2QYLVDL)`), 3],
  ['!=', () => f(`general.name!="Zebra"`), 2],
  ['wildcard', () => f(`general.name==*Mac*`), 1],
  ['single quotes', () => f(`general.name=='Alpha'`), 1],
])('filter %s', async (_name, query, count) => {
  expect((await list(`?${query()}`)).totalCount).toBe(count);
});

test('a filter on a field the endpoint does not allow, or bad syntax → 400 INVALID_FIELD', async () => {
  for (const q of [f('secret==1'), f('udid=="unterminated'), f('udid')]) {
    const r = await t.client.call('GET', `/api/v3/computers-inventory?${q}`, { token });
    expect(r.status).toBe(400);
    expect((r.json as { errors: { code: string; field: string }[] }).errors[0]).toMatchObject({ code: 'INVALID_FIELD', field: 'filter' });
  }
});

test('paging: 0-based page, page-size, silently clamped at 2000, sort', async () => {
  const p0 = await list('?page=0&page-size=2');
  const p1 = await list('?page=1&page-size=2');
  expect([p0.totalCount, p0.results.length, p1.results.length]).toEqual([3, 2, 1]);
  const desc = await list('?sort=general.name:desc');
  expect((desc.results[0]?.general as { name: string }).name).toBe('Zebra');
  expect((await list('?page-size=5000')).results.length).toBe(3);
});

test('v4 reports lastContact and lastCheckIn; v1–v3 report lastContactTime and lastReportedIp', async () => {
  const v4 = (await list('', 4)).results[0]?.general as Record<string, unknown>;
  expect(v4).toHaveProperty('lastContact');
  expect(v4).toHaveProperty('lastCheckIn');
  expect(v4).not.toHaveProperty('lastContactTime');
  expect(v4).not.toHaveProperty('lastReportedIp');
  const v1 = (await list('', 1)).results[0] as Record<string, unknown>;
  expect(v1.general).toHaveProperty('lastContactTime');
  expect(v1).toHaveProperty('plugins', null);
  expect(v1).toHaveProperty('fonts', null);
});

test('detail: every section populated; 404 for an unknown id, 400 INVALID_ID for a non-numeric one', async () => {
  const r = await t.client.call('GET', `/api/v3/computers-inventory-detail/${t.fx.computer.id}`, { token });
  const detail = r.json as Record<string, unknown>;
  for (const s of ['general', 'hardware', 'operatingSystem', 'security', 'storage', 'diskEncryption', 'applications']) expect(detail[s]).not.toBeNull();
  expect((detail.security as { bootstrapTokenEscrowedStatus: string }).bootstrapTokenEscrowedStatus).toBe('ESCROWED');
  const missing = await t.client.call('GET', '/api/v3/computers-inventory-detail/999', { token });
  expect(missing.status).toBe(404);
  expect((missing.json as { errors: { code: string }[] }).errors[0]?.code).toBe('NOT_FOUND');
  const bad = await t.client.call('GET', '/api/v3/computers-inventory-detail/abc', { token });
  expect([bad.status, (bad.json as { errors: { code: string }[] }).errors[0]?.code]).toEqual([400, 'INVALID_ID']);
  const one = (await t.client.call('GET', `/api/v3/computers-inventory/${t.fx.computer.id}?section=SECURITY`, { token })).json as Record<string, unknown>;
  expect(one.general).toBeNull();
  expect(one.security).not.toBeNull();
});

test('inventory follows the computer: an OS update shows up', async () => {
  t.sim.control.updateComputer(t.fx.computer.id, { osVersion: '15.7.2', osBuild: '24G325' });
  const r = await list(`?section=OPERATING_SYSTEM&${f(`id==${t.fx.computer.id}`)}`);
  expect(r.results[0]?.operatingSystem).toMatchObject({ version: '15.7.2', build: '24G325' });
  t.sim.control.updateComputer(t.fx.computer.id, { osVersion: '15.6.1', osBuild: '24G90' });
});

describe('Classic /JSSResource/computers', () => {
  test('by UDID: XML by default', async () => {
    const r = await t.client.call('GET', `/JSSResource/computers/udid/${t.fx.computer.udid}`, { token });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/xml/);
    expect(r.text.startsWith(`<?xml version="1.0" encoding="UTF-8"?><computer><general><id>1</id><name>Llama's MacBook Air</name>`)).toBe(true);
    expect(r.text).toContain(`<udid>${t.fx.computer.udid}</udid>`);
    expect(r.text).toContain('<serial_number>C02ZC2QYLVDL</serial_number>');
    expect(r.text).toContain('<os_version>15.6.1</os_version>');
  });

  test('JSON with Accept: application/json; subset and serial number lookups', async () => {
    const r = await t.client.call('GET', `/JSSResource/computers/udid/${t.fx.computer.udid}/subset/General`, { token, accept: 'application/json' });
    const body = r.json as { computer: Record<string, { id: number; udid: string; supervised: boolean }> };
    expect(Object.keys(body.computer)).toEqual(['general']);
    expect(body.computer.general).toMatchObject({ id: 1, udid: t.fx.computer.udid, supervised: true });
    const bySerial = await t.client.call('GET', '/JSSResource/computers/serialnumber/C02ZC2QYLVDL/subset/General&Hardware', { token, accept: 'application/json' });
    expect(Object.keys((bySerial.json as { computer: object }).computer)).toEqual(['general', 'hardware']);
  });

  test('unknown UDID → 404 HTML status page', async () => {
    const r = await t.client.call('GET', '/JSSResource/computers/udid/00000000-0000-0000-0000-000000000000', { token });
    expect(r.status).toBe(404);
    expect(r.text).toContain('<p>The server has not found anything matching the request URI</p>');
  });
});
