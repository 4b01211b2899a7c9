import type { PlanEvent } from './plans';
import { openTestSim, type TestSim } from './testSetup';

const MSU = '/api/v1/managed-software-updates';
let t: TestSim;
let token: string;
beforeAll(async () => {
  t = await openTestSim();
  // These tests move the clock by hours; a long-lived client keeps one token valid throughout.
  const c = t.sim.control.addClient({ displayName: 'long-lived', roles: [t.fx.superdRole.id], accessTokenLifetimeSeconds: 30 * 86_400 });
  token = await t.client.clientToken(c.clientId, c.clientSecret);
});
afterAll(() => t.close());

const planBody = (deviceId: number | string, config: Record<string, unknown>) => ({ devices: [{ deviceId: String(deviceId), objectType: 'COMPUTER' }], config });
async function createPlan(deviceId: number, config: Record<string, unknown>): Promise<string> {
  const r = await t.client.call('POST', `${MSU}/plans`, { token, json: planBody(deviceId, config) });
  expect(r.status).toBe(201);
  return (r.json as { plans: { planId: string }[] }).plans[0]?.planId ?? '';
}
async function planState(id: string): Promise<{ state: string; errorReasons: string[] }> {
  const r = await t.client.call('GET', `${MSU}/plans/${id}`, { token });
  return (r.json as { status: { state: string; errorReasons: string[] } }).status;
}

describe('feature toggle', () => {
  test('GET shows the toggle and its read-only capability flags', async () => {
    const r = await t.client.call('GET', `${MSU}/plans/feature-toggle`, { token });
    expect(r.json).toEqual({ toggle: true, forceInstallLocalDateEnabled: true, customVersionEnabled: false, dssEnabled: true, recipeEnabled: false });
  });

  test('PUT is asynchronous: accepted at once, applied when the purge job completes; status shows the job', async () => {
    const computer = t.sim.control.addComputer();
    await createPlan(computer.id, { updateAction: 'DOWNLOAD_ONLY', versionType: 'LATEST_ANY' });
    const put = await t.client.call('PUT', `${MSU}/plans/feature-toggle`, { token, json: { toggle: false } });
    expect([put.status, (put.json as { toggle: boolean }).toggle]).toEqual([200, false]);
    expect(((await t.client.call('GET', `${MSU}/plans/feature-toggle`, { token })).json as { toggle: boolean }).toggle).toBe(true);
    const running = (await t.client.call('GET', `${MSU}/plans/feature-toggle/status`, { token })).json as { toggleOff: { state: string; exitState: string } };
    expect(running.toggleOff).toMatchObject({ state: 'RUNNING', exitState: 'EXECUTING' });
    const again = await t.client.call('PUT', `${MSU}/plans/feature-toggle`, { token, json: { toggle: true } });
    expect(again.status).toBe(400);
    t.sim.clock.advance(t.sim.control.settings().toggleJobMs);
    expect(((await t.client.call('GET', `${MSU}/plans/feature-toggle`, { token })).json as { toggle: boolean }).toggle).toBe(false);
    const done = (await t.client.call('GET', `${MSU}/plans/feature-toggle/status`, { token })).json as { toggleOff: Record<string, unknown>; toggleOn: Record<string, unknown> };
    expect(done.toggleOff).toMatchObject({ state: 'NOT_RUNNING', exitState: 'COMPLETED', percentComplete: 100, elapsedTime: 20 });
    expect(done.toggleOn).toMatchObject({ state: 'NEVER_RAN', exitState: 'UNKNOWN', startTime: null });
    expect((await t.client.call('GET', `${MSU}/plans`, { token })).json).toEqual({ totalCount: 0, results: [] });
  });

  test('while the toggle is off, plan creation is refused (switchable) and abandon stops a running job', async () => {
    const r = await t.client.call('POST', `${MSU}/plans`, { token, json: planBody(t.fx.computer.id, { updateAction: 'DOWNLOAD_ONLY', versionType: 'LATEST_ANY' }) });
    expect(r.status).toBe(400);
    await t.client.call('PUT', `${MSU}/plans/feature-toggle`, { token, json: { toggle: true } });
    expect((await t.client.call('POST', `${MSU}/plans/feature-toggle/abandon`, { token })).status).toBe(204);
    t.sim.clock.advance(60_000);
    expect(((await t.client.call('GET', `${MSU}/plans/feature-toggle`, { token })).json as { toggle: boolean }).toggle).toBe(false);
    const s = (await t.client.call('GET', `${MSU}/plans/feature-toggle/status`, { token })).json as { toggleOn: { exitState: string } };
    expect(s.toggleOn.exitState).toBe('STOPPED');
    t.sim.control.setFeatureToggle(true);
  });
});

test('available updates (new and legacy shapes)', async () => {
  t.sim.control.setAvailableUpdates({ macOS: ['15.7.2', '15.7.1', '14.8.2'] });
  expect((await t.client.call('GET', `${MSU}/available-updates`, { token })).json).toEqual({ availableUpdates: { macOS: ['15.7.2', '15.7.1', '14.8.2'], iOS: ['26.1', '18.7.2'] } });
  expect((await t.client.call('GET', '/api/v1/macos-managed-software-updates/available-updates', { token })).json).toEqual({ availableUpdates: ['15.7.2', '15.7.1', '14.8.2'] });
  t.sim.control.setAvailableUpdates({ macOS: ['26.1', '26.0.1', '15.7.2', '14.8.2'] });
});

describe('POST /plans validation (400 ApiError, every violation listed)', () => {
  const cases: [string, unknown, string[]][] = [
    ['no body fields', {}, ['devices', 'config']],
    ['empty devices', { devices: [], config: { updateAction: 'DOWNLOAD_ONLY', versionType: 'LATEST_ANY' } }, ['devices']],
    ['duplicate devices', { devices: [{ deviceId: '1', objectType: 'COMPUTER' }, { deviceId: '1', objectType: 'COMPUTER' }], config: { updateAction: 'DOWNLOAD_ONLY', versionType: 'LATEST_ANY' } }, ['devices']],
    ['bad objectType and blank id', { devices: [{ deviceId: '', objectType: 'LAPTOP' }], config: { updateAction: 'DOWNLOAD_ONLY', versionType: 'LATEST_ANY' } }, ['devices[0].deviceId', 'devices[0].objectType']],
    ['bad enums', planBody(1, { updateAction: 'INSTALL_NOW', versionType: 'NEWEST' }), ['config.updateAction', 'config.versionType']],
    ['deferral without maxDeferrals', planBody(1, { updateAction: 'DOWNLOAD_INSTALL_ALLOW_DEFERRAL', versionType: 'LATEST_MINOR' }), ['config.maxDeferrals']],
    ['negative maxDeferrals', planBody(1, { updateAction: 'DOWNLOAD_INSTALL_ALLOW_DEFERRAL', versionType: 'LATEST_MINOR', maxDeferrals: -1 }), ['config.maxDeferrals']],
    ['specific version missing', planBody(1, { updateAction: 'DOWNLOAD_INSTALL', versionType: 'SPECIFIC_VERSION' }), ['config.specificVersion']],
    ['bad local date-time', planBody(1, { updateAction: 'DOWNLOAD_INSTALL_SCHEDULE', versionType: 'LATEST_ANY', forceInstallLocalDateTime: '2025-03-01 18:00' }), ['config.forceInstallLocalDateTime']],
    ['unknown device', planBody(999, { updateAction: 'DOWNLOAD_ONLY', versionType: 'LATEST_ANY' }), ['devices.deviceId']],
  ];
  test.each(cases)('%s', async (_name, body, fields) => {
    const r = await t.client.call('POST', `${MSU}/plans`, { token, json: body });
    expect(r.status).toBe(400);
    const json = r.json as { httpStatus: number; errors: { code: string; field: string; description: string }[] };
    expect(json.httpStatus).toBe(400);
    expect(json.errors.map((e) => e.field).sort()).toEqual([...fields].sort());
    for (const e of json.errors) expect(e.code).toBe('INVALID_FIELD');
  });

  test('an invalid enum names the possible values', async () => {
    const r = await t.client.call('POST', `${MSU}/plans`, { token, json: planBody(1, { updateAction: 'NOPE', versionType: 'LATEST_ANY' }) });
    expect((r.json as { errors: { description: string }[] }).errors[0]?.description).toContain('possible values can be [ DOWNLOAD_ONLY, DOWNLOAD_INSTALL,');
  });

  test('a body that is not JSON → 400', async () => {
    expect((await t.client.call('POST', `${MSU}/plans`, { token, body: '{not json', headers: { 'content-type': 'application/json' } })).status).toBe(400);
  });
});

describe('plan progress', () => {
  test('MDM plan: 201 shape, then the MDM state sequence as the clock advances; completion updates inventory', async () => {
    const mac = t.sim.control.addComputer({ osVersion: '15.6.1' });
    const events: PlanEvent[] = [];
    const listener = (e: PlanEvent): void => void events.push(e);
    t.sim.events.on('plan', listener);
    const r = await t.client.call('POST', `${MSU}/plans`, { token, json: planBody(mac.id, { updateAction: 'DOWNLOAD_INSTALL_RESTART', versionType: 'SPECIFIC_VERSION', specificVersion: '15.7.2' }) });
    const plan = (r.json as { plans: { planId: string; href: string; device: Record<string, string> }[] }).plans[0];
    expect(plan?.planId).toMatch(/^[0-9A-F-]{36}$/);
    expect(plan?.href).toBe(`/v1/managed-software-updates/plans/${plan?.planId}`);
    expect(plan?.device).toEqual({ deviceId: String(mac.id), objectType: 'COMPUTER', href: `/v1/computers-inventory/${mac.id}` });
    const id = plan?.planId ?? '';
    const seen = [(await planState(id)).state];
    for (let i = 0; i < 80 && seen[seen.length - 1] !== 'PlanCompleted'; i++) {
      t.sim.clock.advance(10_000);
      const s = (await planState(id)).state;
      if (s !== seen[seen.length - 1]) seen.push(s);
    }
    expect(seen).toEqual([
      'Init', 'PendingPlanValidation', 'AcceptingPlan', 'ProcessingPlanType', 'ProcessingPlanTypeMdm', 'StartingPlan', 'SchedulingScanForOSUpdates',
      'WaitingForScheduledOSUpdateScanToComplete', 'CollectingAvailableOSUpdates', 'SchedulingOSUpdate', 'CollectingOSUpdateStatus', 'VerifyingInstallation', 'PlanCompleted',
    ]);
    t.sim.events.off('plan', listener);
    expect(events.map((e) => e.state)).toEqual(seen);
    expect(events[0]).toMatchObject({ planId: id, deviceId: String(mac.id), managementId: mac.managementId, udid: mac.udid, updateAction: 'DOWNLOAD_INSTALL_RESTART', specificVersion: '15.7.2' });
    expect(t.sim.control.computer(mac.id).osVersion).toBe('15.7.2');
  });

  test('DDM plan waits in DDMPlanScheduled until its forceInstallLocalDateTime', async () => {
    const mac = t.sim.control.addComputer({ osVersion: '15.6.1' });
    const when = new Date(t.sim.clock.now() + 3_600_000).toISOString().slice(0, 19);
    const id = await createPlan(mac.id, { updateAction: 'DOWNLOAD_INSTALL_SCHEDULE', versionType: 'LATEST_MINOR', forceInstallLocalDateTime: when });
    t.sim.clock.advance(60_000);
    expect((await planState(id)).state).toBe('DDMPlanScheduled');
    t.sim.clock.advance(3_600_000);
    const s = (await planState(id)).state;
    expect(['WaitingToStartDDMUpdate', 'CollectingDDMStatus', 'VerifyingInstallation', 'PlanCompleted']).toContain(s);
    const decl = (await t.client.call('GET', `${MSU}/plans/${id}/declarations`, { token })).json as { declarations: { type: string; payloadJson: string }[] };
    const enforcement = decl.declarations.find((d) => d.type === 'com.apple.configuration.softwareupdate.enforcement.specific');
    expect(JSON.parse(enforcement?.payloadJson ?? '{}')).toEqual({ TargetOSVersion: '15.7.2', TargetLocalDateTime: when });
    const ev = (await t.client.call('GET', `${MSU}/plans/${id}/events`, { token })).json as { events: string };
    expect(ev.events.split('\n')[0]).toContain('"state":"Init"');
  });

  test.each([
    ['not supervised', { supervised: false }, 'NOT_SUPERVISED'],
    ['no bootstrap token escrowed', { bootstrapTokenEscrowed: false }, 'APPLE_SILICON_NO_ESCROW_KEY'],
    ['already up to date', { osVersion: '26.1' }, 'NO_UPDATES_AVAILABLE'],
  ])('a device that cannot take the update: %s → RejectingPlan → PlanFailed', async (_n, patch, reason) => {
    const mac = t.sim.control.addComputer(patch);
    const id = await createPlan(mac.id, { updateAction: 'DOWNLOAD_INSTALL', versionType: 'LATEST_ANY' });
    t.sim.clock.advance(30_000);
    expect(await planState(id)).toEqual({ state: 'PlanFailed', errorReasons: [reason] });
    expect(t.sim.control.plan(id).history.map((h) => h.state)).toEqual(['Init', 'PendingPlanValidation', 'RejectingPlan', 'PlanFailed']);
  });

  test('a second plan for a device with one in progress fails with EXISTING_PLAN_FOR_DEVICE_IN_PROGRESS; an unavailable version with SPECIFIC_VERSION_UNAVAILABLE', async () => {
    const mac = t.sim.control.addComputer();
    await createPlan(mac.id, { updateAction: 'DOWNLOAD_ONLY', versionType: 'LATEST_ANY' });
    const dup = await createPlan(mac.id, { updateAction: 'DOWNLOAD_ONLY', versionType: 'LATEST_ANY' });
    t.sim.clock.advance(30_000);
    expect((await planState(dup)).errorReasons).toEqual(['EXISTING_PLAN_FOR_DEVICE_IN_PROGRESS']);
    const other = t.sim.control.addComputer();
    const bad = await createPlan(other.id, { updateAction: 'DOWNLOAD_INSTALL', versionType: 'SPECIFIC_VERSION', specificVersion: '15.9' });
    t.sim.clock.advance(30_000);
    expect((await planState(bad)).errorReasons).toEqual(['SPECIFIC_VERSION_UNAVAILABLE']);
  });

  test('control drives plans without the clock, and injects failures', async () => {
    t.sim.control.configure({ autoAdvancePlans: false });
    try {
      const mac = t.sim.control.addComputer();
      const id = await createPlan(mac.id, { updateAction: 'DOWNLOAD_INSTALL_RESTART', versionType: 'LATEST_MINOR' });
      t.sim.clock.advance(3_600_000);
      expect((await planState(id)).state).toBe('Init');
      t.sim.control.advancePlan(id);
      expect((await planState(id)).state).toBe('PendingPlanValidation');
      t.sim.control.advancePlan(id, 'CollectingAvailableOSUpdates');
      expect((await planState(id)).state).toBe('CollectingAvailableOSUpdates');
      t.sim.control.failPlan(id, ['MDM_EXCEPTION']);
      expect(await planState(id)).toEqual({ state: 'PlanFailed', errorReasons: ['MDM_EXCEPTION'] });

      t.sim.control.failNextPlans({ errorReasons: ['NO_DISK_SPACE'], atState: 'CollectingOSUpdateStatus' });
      const mac2 = t.sim.control.addComputer();
      const id2 = await createPlan(mac2.id, { updateAction: 'DOWNLOAD_INSTALL_RESTART', versionType: 'LATEST_MINOR' });
      t.sim.control.advancePlan(id2, 'CollectingOSUpdateStatus');
      t.sim.control.advancePlan(id2);
      expect(await planState(id2)).toEqual({ state: 'PlanFailed', errorReasons: ['NO_DISK_SPACE'] });
      const mac3 = t.sim.control.addComputer();
      const id3 = await createPlan(mac3.id, { updateAction: 'DOWNLOAD_ONLY', versionType: 'LATEST_MINOR' });
      t.sim.control.completePlan(id3);
      expect((await planState(id3)).state).toBe('PlanCompleted');
      expect(t.sim.control.computer(mac3.id).osVersion).toBe(mac3.osVersion);
    } finally {
      t.sim.control.configure({ autoAdvancePlans: true });
    }
  });

  test('GET /plans pages and filters; unknown plan → 404', async () => {
    const mac = t.sim.control.addComputer();
    const id = await createPlan(mac.id, { updateAction: 'DOWNLOAD_ONLY', versionType: 'LATEST_ANY' });
    const filter = encodeURIComponent(`device.deviceId==${mac.id};device.objectType==COMPUTER`);
    const r = (await t.client.call('GET', `${MSU}/plans?filter=${filter}`, { token })).json as { totalCount: number; results: { planUuid: string }[] };
    expect(r.totalCount).toBe(1);
    expect(r.results[0]?.planUuid).toBe(id);
    const page = (await t.client.call('GET', `${MSU}/plans?page=0&page-size=2`, { token })).json as { totalCount: number; results: unknown[] };
    expect(page.results).toHaveLength(2);
    expect(page.totalCount).toBeGreaterThan(2);
    const byState = (await t.client.call('GET', `${MSU}/plans?filter=${encodeURIComponent('state==PlanFailed')}`, { token })).json as { results: { status: { state: string } }[] };
    expect(byState.results.every((p) => p.status.state === 'PlanFailed')).toBe(true);
    const missing = await t.client.call('GET', `${MSU}/plans/6E47EF55-5318-494F-A09E-70F613E0AFD1`, { token });
    expect(missing.status).toBe(404);
    expect((missing.json as { errors: { code: string }[] }).errors[0]?.code).toBe('NOT_FOUND');
  });
});

describe('legacy send-updates and blank pushes', () => {
  test('send-updates: 200 with processManagerUuids and per-device errors; event emitted', async () => {
    const seen: unknown[] = [];
    t.sim.events.once('sendUpdates', (e) => seen.push(e));
    const r = await t.client.call('POST', '/api/v1/macos-managed-software-updates/send-updates', {
      token,
      json: { deviceIds: [String(t.fx.computer.id), '999'], version: '15.7.2', skipVersionVerification: true, updateAction: 'DOWNLOAD_AND_INSTALL', forceRestart: true },
    });
    expect(r.status).toBe(200);
    const body = r.json as { processManagerUuids: string[]; errors: { id: string }[] };
    expect(body.processManagerUuids).toHaveLength(1);
    expect(body.errors.map((e) => e.id)).toEqual(['999']);
    expect(seen[0]).toMatchObject({ deviceIds: [String(t.fx.computer.id)], version: '15.7.2', forceRestart: true, updateAction: 'DOWNLOAD_AND_INSTALL' });
  });

  test('v2 blank push: unknown management ids come back in errorUuids; event lists the pushed ones', async () => {
    const seen: { managementIds: string[] }[] = [];
    t.sim.events.once('blankPush', (e: { managementIds: string[] }) => seen.push(e));
    const r = await t.client.call('POST', '/api/v2/mdm/blank-push', { token, json: { clientManagementIds: [t.fx.computer.managementId, 'unknown-id'] } });
    expect(r.json).toEqual({ errorUuids: ['unknown-id'] });
    expect(seen[0]?.managementIds).toEqual([t.fx.computer.managementId]);
  });

  test('Classic BlankPush: 201 XML before 11.28, unknown route (404) from 11.28', async () => {
    const admin = await t.client.userToken(t.fx.admin.username, t.fx.admin.password);
    const path = `/JSSResource/computercommands/command/BlankPush/id/${t.fx.computer.id}`;
    expect((await t.client.call('POST', path, { token: admin })).status).toBe(404);
    t.sim.control.setVersion('11.27.1');
    try {
      const r = await t.client.call('POST', path, { token: admin });
      expect(r.status).toBe(201);
      expect(r.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><computer_command><command><name>BlankPush<\/name><command_uuid>[0-9a-f-]{36}<\/command_uuid><computer_id>1<\/computer_id><\/command><\/computer_command>$/);
      expect((await t.client.call('POST', '/JSSResource/computercommands/command/BlankPush/id/999', { token: admin })).status).toBe(400);
    } finally {
      t.sim.control.setVersion('11.30.0');
    }
  });
});
