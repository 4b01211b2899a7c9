/**
 * Issue 5's acceptance, each case a whole `superd run` against the Jamf Pro simulator and the
 * fake Mac: exit status, status plist, and the requests Jamf Pro saw.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expectBodiesConform } from '../helpers/oasBodies';
import { SUPERD_PRIVILEGES } from '../sim/jamf/privileges';
import { findSecrets } from '../helpers/secretScan';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';
import { statusJson } from '../../daemon/cli/commands/status';
import { updateStatus } from '../../daemon/status/statusFile';

let w: RunWorld;
afterEach(async () => {
  // Whatever the case, every body superd sent conforms to Jamf's schema for its route.
  expectBodiesConform(w, false);
  await w.close();
});

const PLANS = '/api/v1/managed-software-updates/plans';
const posts = (world: RunWorld) => world.requests('POST', PLANS).filter((r) => r.path === PLANS);

async function finish(world: RunWorld, secretsToo: string[] = []) {
  const json = statusJson(await world.status());
  expect(findSecrets([world.fx.superdClient.clientSecret, ...secretsToo], world.mac.root, [...world.outputs, JSON.stringify(json)])).toEqual([]);
  return json;
}

describe('workflows', () => {
  test('plans path (Jamf Pro 11.30, macOS 15, DDM off for this computer): one MDM plan for the exact version, then a blank push by management id', async () => {
    w = await openRunWorld();
    await w.saveClient();
    expect((await w.run()).status).toBe(0);
    expect(posts(w)).toHaveLength(1);
    // No deadline configured: macOS's own "later" (test/workflow/adminIntent.test.ts has the other intents).
    expect(posts(w)[0]!.body).toEqual({ devices: [{ deviceId: String(w.computer.id), objectType: 'COMPUTER' }], config: { updateAction: 'DOWNLOAD_INSTALL_ALLOW_DEFERRAL', versionType: 'SPECIFIC_VERSION', specificVersion: '15.6', maxDeferrals: 3 } });
    expect(w.requests('POST', '/api/v2/mdm/blank-push')[0]!.body).toEqual({ clientManagementIds: [w.computer.managementId] });
    expectBodiesConform(w);
    expect(await finish(w)).toMatchObject({ state: 'waiting-restart', lastError: null, nextAttempt: null });
  });

  test('legacy path: the toggle is off, so send-updates is used and the Mac log confirms it (install-now; before a deadline it only downloads)', async () => {
    w = await openRunWorld({ toggle: false });
    await w.saveClient();
    const r = await w.run(['run', '--workflow-install-now']);
    expect(r.status).toBe(0);
    expect(posts(w)).toHaveLength(0);
    expect(w.requests('POST', '/api/v1/macos-managed-software-updates/send-updates')[0]!.body).toMatchObject({ deviceIds: [String(w.computer.id)], version: '15.6', updateAction: 'DOWNLOAD_AND_INSTALL', forceRestart: true });
    expect(r.stdout).toMatch(/restart is pending/);
    expectBodiesConform(w);
  });

  test('DDM path (macOS 26): auto picks a DOWNLOAD_INSTALL_SCHEDULE plan with forceInstallLocalDateTime', async () => {
    w = await openRunWorld({ ddm: true, mac: { macOS: { productVersion: '26.0', buildVersion: '25A354' }, availableUpdates: [{ label: 'macOS Tahoe 26.1-25B78', title: 'macOS Tahoe 26.1', version: '26.1', restart: true }] } });
    w.sim.control.updateComputer(w.computer.id, { osVersion: '26.0', osBuild: '25A354' });
    await w.saveClient();
    expect((await w.run()).status).toBe(0);
    expect(posts(w)[0]!.body).toMatchObject({ config: { updateAction: 'DOWNLOAD_INSTALL_SCHEDULE', versionType: 'SPECIFIC_VERSION', specificVersion: '26.1', forceInstallLocalDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/) } });
    expectBodiesConform(w);
  });

  test('DDM path (macOS 15, Jamf Pro has DDM on for this computer): auto prefers a DDM plan and says why in the log', async () => {
    w = await openRunWorld({ ddm: true });
    await w.saveClient();
    expect((await w.run()).status).toBe(0);
    expect(posts(w)).toHaveLength(1);
    expect(posts(w)[0]!.body).toMatchObject({ config: { updateAction: 'DOWNLOAD_INSTALL_SCHEDULE', versionType: 'SPECIFIC_VERSION', specificVersion: '15.6', forceInstallLocalDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/) } });
    // The declaration reaches the Mac at its next check-in, which the blank push asks for.
    expect(w.requests('POST', '/api/v2/mdm/blank-push')[0]!.body).toEqual({ clientManagementIds: [w.computer.managementId] });
    expectBodiesConform(w);
    const json = await finish(w);
    expect(json).toMatchObject({ state: 'scheduled', updateAction: 'DOWNLOAD_INSTALL_SCHEDULE', lastError: null });
    expect(readFileSync(path.join(w.mac.root, 'Library/Management/superd/logs/superd.log'), 'utf8')).toMatch(/update path: ddm \(Jamf Pro serves DDM plans and has declarative device management on for this computer\)/);
  });
});

describe('computer identity', () => {
  test('from the profile ($JSSID resolved by Jamf Pro): no lookup', async () => {
    w = await openRunWorld();
    await w.mac.update({ managedPreferences: { 'com.github.superd': { AuthJamfComputerID: String(w.computer.id) } } } as never);
    await w.saveClient();
    expect((await w.run()).status).toBe(0);
    expect(w.requests('GET').filter((r) => /computers-inventory$/.test(r.path))).toHaveLength(0);
    expect(w.requests('GET').some((r) => r.path.endsWith(`/computers-inventory/${w.computer.id}`))).toBe(true);
  });

  test('by hardware UUID lookup, never jamf recon, then the saved id is reused', async () => {
    w = await openRunWorld();
    await w.saveClient();
    expect((await w.run()).status).toBe(0);
    const lookups = w.requests('GET').filter((r) => /\/api\/v4\/computers-inventory$/.test(r.path));
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.query.filter).toBe(`udid=="${w.computer.udid}"`);
    expect(w.mac.invocations().some((i) => i.command.endsWith('/jamf') && i.argv.includes('recon'))).toBe(false);
    expect((await w.status()).computerId).toBe(String(w.computer.id));
    w.sim.control.clearRequests();
    w.mac.update({ availableUpdates: [{ label: 'macOS Sequoia 15.7-24H10', title: 'macOS Sequoia 15.7', version: '15.7', restart: true }] } as never);
    expect((await w.run()).status).toBe(0);
    expect(w.requests('GET').filter((r) => /computers-inventory$/.test(r.path))).toHaveLength(0);
  });

  test('a server whose newest inventory endpoint answers 404: the lookup falls back to the previous version', async () => {
    w = await openRunWorld();
    await w.saveClient();
    w.sim.control.injectFault({ method: 'GET', path: '/api/v4/computers-inventory', kind: 'status', status: 404, body: { httpStatus: 404, errors: [] }, times: Infinity });
    expect((await w.run()).status).toBe(0);
    expect(w.requests('GET').filter((r) => /computers-inventory$/.test(r.path)).map((r) => `${r.path} ${r.status}`)).toEqual(['/api/v4/computers-inventory 404', '/api/v3/computers-inventory 200']);
    expect((await w.status()).computerId).toBe(String(w.computer.id));
  });

  test('a stale saved id (another Mac) is replaced by the lookup', async () => {
    w = await openRunWorld();
    const other = w.sim.control.addComputer({ name: 'Other Mac', serialNumber: 'OTHER0000001' });
    await w.saveClient();
    await updateStatus(w.mac.root, { computerId: String(other.id) });
    expect((await w.run()).status).toBe(0);
    expect((await w.status()).computerId).toBe(String(w.computer.id));
    expect(posts(w)[0]!.body).toMatchObject({ devices: [{ deviceId: String(w.computer.id) }] });
  });

  test('an unresolved literal $JSSID in the profile: a warning that says how to fix it, then the lookup (docs/decisions.md)', async () => {
    w = await openRunWorld();
    await w.mac.update({ managedPreferences: { 'com.github.superd': { AuthJamfComputerID: '$JSSID' } } } as never);
    await w.saveClient();
    const r = await w.run();
    expect(r.stderr).toMatch(/AuthJamfComputerID.*unresolved Jamf Pro variable \$JSSID.*Deploy it as a Jamf Pro configuration profile/s);
    expect(r.status).toBe(0);
    expect((await w.status()).computerId).toBe(String(w.computer.id));
  });
});

test('AuthJamfCustomURL is the server actually used (jss_url points elsewhere)', async () => {
  w = await openRunWorld({ mac: { jssUrl: 'https://jss-unused.invalid:8443/' } });
  await w.saveClient();
  const r = await w.run(['run', `--auth-jamf-custom-url=${w.sim.url}`]);
  expect(r.status).toBe(0);
  expect(posts(w)).toHaveLength(1);
});

describe('bootstrap token', () => {
  test.each([
    ['missing', { supported: true, escrowed: false }, 'bootstrap-missing'],
    ['not validated (EACSPreflight fails on 13.3+)', { supported: true, escrowed: true, valid: false }, 'bootstrap-invalid'],
  ])('%s: no plan, exit 75, the reason and the next attempt in status', async (_n, bootstrap, code) => {
    w = await openRunWorld({ mac: { bootstrap } as never });
    await w.saveClient();
    const r = await w.run();
    expect(r.status).toBe(75);
    expect(posts(w)).toHaveLength(0);
    const json = await finish(w);
    expect(json).toMatchObject({ state: 'deferred', lastError: { code } });
    // DeferralTimerError defaults to DeferralTimerDefault (60 minutes), counted from the failure.
    const wait = Date.parse(json.nextAttempt as string) - w.sim.clock.now();
    expect(wait).toBeGreaterThan(59 * 60_000);
    expect(wait).toBeLessThanOrEqual(60 * 60_000);
  });
});

describe('Jamf Pro faults', () => {
  test('401 mid-run (every token expired while waiting) is recovered with one new token', async () => {
    w = await openRunWorld();
    await w.saveClient();
    w.hooks.onWait = (n) => {
      if (n === 1) w.sim.control.expireAllTokens();
    };
    expect((await w.run()).status).toBe(0);
    expect(w.sim.requests.some((r) => r.status === 401)).toBe(true);
    expect(w.requests('POST', '/api/oauth/token').length).toBe(2);
  });

  test('429 with Retry-After on the plan POST: waited, and exactly one plan created', async () => {
    w = await openRunWorld();
    await w.saveClient();
    w.sim.control.injectFault({ method: 'POST', path: PLANS, kind: 'rateLimit', retryAfterSeconds: 2 });
    expect((await w.run()).status).toBe(0);
    expect(posts(w).map((r) => r.status)).toEqual([429, 201]);
    expect(w.sim.control.plans()).toHaveLength(1);
  });

  test('403: the missing privilege is named, exit 77, nothing pushed', async () => {
    w = await openRunWorld();
    w.sim.control.setRolePrivileges(w.fx.superdRole.id, SUPERD_PRIVILEGES.filter((p) => p !== 'Create Managed Software Updates'));
    await w.saveClient();
    const r = await w.run();
    expect(r.status).toBe(77);
    // A run does not read the privileges first (issue 18's request budget): Jamf Pro's 403 on
    // the plan names them, and no plan exists.
    expect(r.stdout).toMatch(/Create Managed Software Updates/);
    expect(posts(w).map((q) => q.status)).toEqual([403]);
    expect(w.sim.control.plans()).toHaveLength(0);
    expect(await finish(w)).toMatchObject({ state: 'error', lastError: { code: 'privileges-missing' } });
  });
});

describe('plan outcomes', () => {
  test.each([
    ['NOT_SUPERVISED', /not supervised/],
    ['SPECIFIC_VERSION_UNAVAILABLE', /does not offer the requested macOS version/],
  ])('the plan fails with %s: plain advice, exit 75, retry scheduled', async (reason, advice) => {
    w = await openRunWorld();
    w.sim.control.failNextPlans({ errorReasons: [reason] });
    await w.saveClient();
    const r = await w.run();
    expect(r.status).toBe(75);
    expect(r.stdout).toMatch(advice);
    expect(await finish(w)).toMatchObject({ state: 'deferred', lastError: { code: 'plan-failed', message: expect.stringContaining(reason) } });
  });

  test('no progress: a timeout (MDMTimeoutNoProgress), not a hang', async () => {
    w = await openRunWorld();
    w.sim.control.configure({ autoAdvancePlans: false } as never);
    await w.saveClient();
    const r = await w.run(['run', '--mdm-timeout-no-progress=5']);
    expect(r.status).toBe(75);
    expect(await finish(w)).toMatchObject({ lastError: { code: 'verification-timeout' } });
  });

  test('killed after the plan POST: the rerun follows that plan and creates no second one', async () => {
    w = await openRunWorld();
    await w.saveClient();
    w.sim.control.configure({ autoAdvancePlans: false } as never);
    // First run: the plan is created, then the Mac never moves and the run gives up.
    await w.run(['run', '--mdm-timeout-no-progress=5']);
    expect(w.sim.control.plans()).toHaveLength(1);
    w.sim.control.configure({ autoAdvancePlans: true } as never);
    const r = await w.run(['run', '--mdm-timeout-no-progress=5']);
    expect(r.status).toBe(0);
    expect(w.sim.control.plans()).toHaveLength(1);
  });
});

test('no Jamf Pro server left (jss_url gone, no custom URL): jamf-server-missing, exit 78, nothing retried', async () => {
  w = await openRunWorld();
  await w.saveClient();
  await w.mac.update({ jssUrl: null } as never);
  const r = await w.run();
  expect(r.status).toBe(78);
  expect(await w.status()).toMatchObject({ state: 'error', nextAttempt: null, lastError: { code: 'jamf-server-missing', message: expect.stringMatching(/jss_url|AuthJamfCustomURL/) } });
});
