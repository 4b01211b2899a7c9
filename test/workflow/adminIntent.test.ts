/**
 * Issue 13: superd does what the admin configured, through macOS's own update experience.
 * Whole `superd run`s against the HTTPS simulator and the fake Mac; every body superd sends is
 * validated against Jamf's OpenAPI (11.30.0).
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { localDateTime } from '../../daemon/workflow/pushUpdate';
import { DEFAULT_MAX_DEFERRALS, DEFAULT_NOTICE_DAYS } from '../../daemon/workflow/updateIntent';
import { expectBodiesConform } from '../helpers/oasBodies';
import { loadPlist } from '../helpers/plist';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';
import { hasShared, sharedDir } from '../helpers/sharedReference';

let w: RunWorld | undefined;
afterEach(async () => {
  if (w) expectBodiesConform(w, false);
  await w?.close();
  w = undefined;
});

const PLANS = '/api/v1/managed-software-updates/plans';
const planPosts = (world: RunWorld) => world.requests('POST', PLANS).filter((r) => r.path === PLANS);
const config = (world: RunWorld, i = 0) => (planPosts(world)[i]!.body as { config: Record<string, unknown> }).config;
/** Requests that would create or change something in Jamf Pro (a token is neither). */
const changing = (world: RunWorld) => world.sim.requests.filter((r) => r.method !== 'GET' && !/\/(token|invalidate-token|keep-alive)$/.test(r.path));
const DAY = 86_400_000;

async function ddmWorld(): Promise<RunWorld> {
  const world = await openRunWorld({ ddm: true, mac: { macOS: { productVersion: '26.0', buildVersion: '25A354' }, availableUpdates: [{ label: 'macOS Tahoe 26.1-25B78', title: 'macOS Tahoe 26.1', version: '26.1', restart: true }] } });
  world.sim.control.updateComputer(world.computer.id, { osVersion: '26.0', osBuild: '25A354' });
  await world.saveClient();
  return world;
}

describe('DDM plans: the enforcement time is the deadline, and the run ends once Jamf Pro has it scheduled', () => {
  test('DeadlineDaysHard: enforced that many days after superd first saw the update; status says scheduled; a rerun follows the same plan', async () => {
    w = await ddmWorld();
    const seen = w.sim.clock.now();
    const r = await w.run(['run', '--deadline-days-hard=10']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/scheduled/);
    expect(config(w)).toMatchObject({ updateAction: 'DOWNLOAD_INSTALL_SCHEDULE', specificVersion: '26.1', forceInstallLocalDateTime: expect.stringMatching(new RegExp(`^${localDateTime(new Date(seen + 10 * DAY)).slice(0, 13)}`)) });
    const at = Date.parse(String((await w.status()).enforceAt));
    const firstSeen = Date.parse((await w.status()).targetFirstSeen!.at);
    expect(firstSeen - seen).toBeLessThan(10 * 60_000);
    expect(at).toBe(firstSeen + 10 * DAY);
    expect(await w.status()).toMatchObject({ state: 'scheduled', updateAction: 'DOWNLOAD_INSTALL_SCHEDULE', lastError: null });
    expect(Date.parse((await w.status()).nextAttempt!)).toBeGreaterThan(at);
    // The daemon's next run (or a policy) follows that plan: no second plan, still scheduled.
    const again = await w.run(['run', '--deadline-days-hard=10']);
    expect(again.status).toBe(0);
    expect(planPosts(w)).toHaveLength(1);
    expect((await w.status()).state).toBe('scheduled');
  });

  test('DeadlineDateHard in the future: exactly that local date and time', async () => {
    w = await ddmWorld();
    const r = await w.run(['run', '--deadline-date-hard=2030-01-21:17:00']);
    expect(r.status).toBe(0);
    expect(config(w)).toMatchObject({ updateAction: 'DOWNLOAD_INSTALL_SCHEDULE', forceInstallLocalDateTime: '2030-01-21T17:00:00' });
  });

  test(`no deadline configured: enforced ${DEFAULT_NOTICE_DAYS} days after superd first saw the update, never a minute ahead`, async () => {
    w = await ddmWorld();
    const seen = w.sim.clock.now();
    expect((await w.run()).status).toBe(0);
    const at = Date.parse(String((await w.status()).enforceAt));
    const firstSeen = Date.parse((await w.status()).targetFirstSeen!.at);
    expect(firstSeen - seen).toBeLessThan(10 * 60_000);
    expect(at).toBe(firstSeen + DEFAULT_NOTICE_DAYS * DAY);
  });

  test('a passed hard deadline: enforced now (a minute ahead), and verified', async () => {
    w = await ddmWorld();
    const r = await w.run(['run', '--deadline-date-hard=2020-01-01:09:00']);
    expect(r.status).toBe(0);
    const sent = String(config(w).forceInstallLocalDateTime);
    expect(Date.parse(`${sent}Z`) - w.sim.clock.now()).toBeLessThan(5 * 60_000);
    expect((await w.status()).state).not.toBe('scheduled');
  });
});

describe('MDM plans: macOS\'s own "later" before the deadline, a forced restart only at install-now or after it', () => {
  test('before the hard deadline: DOWNLOAD_INSTALL_ALLOW_DEFERRAL with DeadlineCountHard deferrals', async () => {
    w = await openRunWorld();
    await w.saveClient();
    const r = await w.run(['run', '--deadline-days-hard=14', '--deadline-count-hard=5']);
    expect(r.status).toBe(0);
    expect(config(w)).toEqual({ updateAction: 'DOWNLOAD_INSTALL_ALLOW_DEFERRAL', versionType: 'SPECIFIC_VERSION', specificVersion: '15.6', maxDeferrals: 5 });
    expect((await w.status()).updateAction).toBe('DOWNLOAD_INSTALL_ALLOW_DEFERRAL');
  });

  test(`no deadline and no count: ${DEFAULT_MAX_DEFERRALS} deferrals`, async () => {
    w = await openRunWorld();
    await w.saveClient();
    expect((await w.run()).status).toBe(0);
    expect(config(w)).toMatchObject({ updateAction: 'DOWNLOAD_INSTALL_ALLOW_DEFERRAL', maxDeferrals: DEFAULT_MAX_DEFERRALS });
  });

  test('install-now: DOWNLOAD_INSTALL_RESTART', async () => {
    w = await openRunWorld();
    await w.saveClient();
    expect((await w.run(['run', '--workflow-install-now'])).status).toBe(0);
    expect(config(w)).toMatchObject({ updateAction: 'DOWNLOAD_INSTALL_RESTART' });
  });

  test('a passed hard deadline: DOWNLOAD_INSTALL_RESTART', async () => {
    w = await openRunWorld();
    await w.saveClient();
    expect((await w.run(['run', '--deadline-date-hard=2020-01-01:09:00'])).status).toBe(0);
    expect(config(w)).toMatchObject({ updateAction: 'DOWNLOAD_INSTALL_RESTART' });
  });

  test('WorkflowOnlyDownload: DOWNLOAD_ONLY, never an install', async () => {
    w = await openRunWorld();
    await w.saveClient();
    expect((await w.run(['run', '--workflow-only-download'])).status).toBe(0);
    expect(config(w)).toEqual({ updateAction: 'DOWNLOAD_ONLY', versionType: 'SPECIFIC_VERSION', specificVersion: '15.6' });
  });
});

test('the legacy endpoint before the deadline: downloads only (it has no deferrals and no enforcement time)', async () => {
  w = await openRunWorld({ toggle: false });
  await w.saveClient();
  expect((await w.run(['run', '--deadline-days-hard=14'])).status).toBe(0);
  expect(w.requests('POST', '/api/v1/macos-managed-software-updates/send-updates')[0]!.body).toMatchObject({ updateAction: 'DOWNLOAD_ONLY', forceRestart: false });
});

describe("super's modes", () => {
  test('TestMode: every read-only step runs, the exact request is printed and logged, nothing is created or changed', async () => {
    w = await openRunWorld();
    await w.saveClient();
    const r = await w.run(['run', '--test-mode', '--deadline-days-hard=14']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/TestMode: nothing was sent/);
    expect(r.stdout).toContain(`POST ${PLANS} {"devices":[{"deviceId":"${w.computer.id}","objectType":"COMPUTER"}],"config":{"updateAction":"DOWNLOAD_INSTALL_ALLOW_DEFERRAL"`);
    expect(changing(w)).toEqual([]);
    // Read-only steps did run: the credential got its token and the computer was found.
    expect(w.requests('POST', '/api/oauth/token').length).toBeGreaterThan(0);
    expect((await w.status()).computerId).toBe(String(w.computer.id));
  });

  test('TestMode with credential options: nothing in the keychain changes', async () => {
    w = await openRunWorld();
    await w.saveClient();
    const r = await w.run(['run', '--test-mode', '--auth-jamf-client=other-client', '--auth-jamf-secret=-'], 'Other-Secret-1\n');
    expect(r.status).toBe(0);
    expect(await w.store.get('jamf_client')).toBe(w.fx.superdClient.clientId);
    expect(changing(w)).toEqual([]);
  });

  test('WorkflowDisableUpdateCheck: no update is looked for and nothing is pushed; status says so', async () => {
    w = await openRunWorld();
    await w.saveClient();
    const r = await w.run(['run', '--workflow-disable-update-check']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/WorkflowDisableUpdateCheck/);
    expect(changing(w)).toEqual([]);
    expect(w.mac.invocations().filter((i) => i.command === '/usr/sbin/softwareupdate' || i.command === '/usr/libexec/mdmclient')).toEqual([]);
    expect((await w.status()).stateText).toMatch(/WorkflowDisableUpdateCheck/);
  });

  test('a policy passing super\'s dialog and display options runs, naming them in one note', async () => {
    w = await openRunWorld();
    await w.saveClient();
    const r = await w.run(['run', '--dialog-timeout-default=600', '--display-silently=TRUE']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/superd: note:/);
    expect(planPosts(w)).toHaveLength(1);
  });
});

(hasShared ? test : test.skip)("super's All-Options example profile with TestMode true pushes nothing", async () => {
  w = await openRunWorld();
  await w.saveClient();
  const { parse } = await loadPlist();
  const profile = parse(await readFile(path.join(sharedDir, 'reference/super-examples/All-Options-Example-DO-NOT-DEPLOY-com.macjutsu.super.mobileconfig'), 'utf8')) as {
    PayloadContent: Array<{ PayloadContent: Record<string, { Forced: Array<{ mcx_preference_settings: Record<string, unknown> }> }> }>;
  };
  const values = profile.PayloadContent[0]!.PayloadContent['com.macjutsu.super']!.Forced[0]!.mcx_preference_settings;
  expect(values.TestMode).toBe(true);
  await w.mac.update({ managedPreferences: { 'com.macjutsu.super': values } } as never);
  const r = await w.run();
  expect([0, 78]).toContain(r.status);
  expect(changing(w)).toEqual([]);
  expect(planPosts(w)).toEqual([]);
});
