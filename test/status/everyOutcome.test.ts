/**
 * Issue 15: every invocation leaves its outcome in status. Whole `superd run`s against the
 * HTTPS simulator and the fake Mac, one per failure class: each ends with `lastError`
 * (code, message, time); an exit 75 always has its next attempt; a success clears them.
 */
import { SUPERD_PRIVILEGES } from '../sim/jamf/privileges';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';
import { findSecrets } from '../helpers/secretScan';
import { readFile } from 'node:fs/promises';
import { hostPath, superdPaths } from '../../daemon/host/paths';

let w: RunWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function expectRecorded(world: RunWorld, status: number, code: RegExp | string, secrets: string[] = []) {
  const s = await world.status();
  expect(s.lastError).not.toBeNull();
  expect(s.lastError!.code).toMatch(code);
  expect(s.lastError!.message.length).toBeGreaterThan(10);
  expect(Date.parse(s.lastError!.at ?? '')).not.toBeNaN();
  if (status === 75) {
    expect(s.state).toBe('deferred');
    expect(Date.parse(s.nextAttempt ?? '')).toBeGreaterThan(Date.parse(s.lastError!.at!));
  } else {
    expect(s.state).toBe('error');
    expect(s.nextAttempt).toBeNull();
  }
  // The log file has the failure too, and no secret anywhere.
  const log = await readFile(hostPath(`${superdPaths.folder}/logs/superd.log`, world.mac.root), 'utf8');
  expect(log).toContain(s.lastError!.code);
  expect(findSecrets(secrets, world.mac.root, [JSON.stringify(s), ...world.outputs])).toEqual([]);
}

test('a bad option: exit 64, lastError names the option; the next good run clears it', async () => {
  w = await openRunWorld();
  await w.saveClient();
  const bad = await w.run(['run', '--deferral-timer-error=abc']);
  expect(bad.status).toBe(64);
  await expectRecorded(w, 64, 'SUPERD_ERR_CONFIG');
  expect((await w.status()).lastError!.message).toMatch(/--deferral-timer-error/);
  const good = await w.run();
  expect(good.status).toBe(0);
  expect(await w.status()).toMatchObject({ lastError: null, nextAttempt: null });
});

test('a bad profile: exit 78, lastError names the key, nothing to retry until it changes', async () => {
  w = await openRunWorld();
  await w.saveClient();
  await w.mac.update({ managedPreferences: { 'com.github.superd': { DeferralTimerError: 'soon' } } } as never);
  const r = await w.run();
  expect(r.status).toBe(78);
  await expectRecorded(w, 78, 'SUPERD_ERR_CONFIG');
  expect((await w.status()).lastError!.message).toMatch(/DeferralTimerError/);
});

test('a credential rejected while it is saved: exit 77, recorded', async () => {
  w = await openRunWorld();
  const wrong = 'Wrong-Secret-4471';
  const r = await w.run(['run', `--auth-jamf-client=${w.fx.superdClient.clientId}`, '--auth-jamf-secret=-'], `${wrong}\n`);
  expect(r.status).toBe(77);
  await expectRecorded(w, 77, /AUTH/, [wrong]);
});

test('a privilege missing while the credential is saved: exit 77, the privilege named in status', async () => {
  w = await openRunWorld();
  w.sim.control.setRolePrivileges(w.fx.superdRole.id, SUPERD_PRIVILEGES.filter((p) => p !== 'Read Computers'));
  const r = await w.run(['run', `--auth-jamf-client=${w.fx.superdClient.clientId}`, '--auth-jamf-secret=-'], `${w.fx.superdClient.clientSecret}\n`);
  expect(r.status).toBe(77);
  await expectRecorded(w, 77, /SUPERD_ERR_(AUTH|JAMF_PRIVILEGE)/, [w.fx.superdClient.clientSecret]);
  expect((await w.status()).lastError!.message).toMatch(/Read Computers/);
});

test('Jamf Pro unreachable on the first save: exit 75 and a next attempt in status', async () => {
  w = await openRunWorld({ mac: { jssUrl: 'https://127.0.0.1:1/' } });
  const r = await w.run(['run', `--auth-jamf-client=${w.fx.superdClient.clientId}`, '--auth-jamf-secret=-'], `${w.fx.superdClient.clientSecret}\n`);
  expect(r.status).toBe(75);
  await expectRecorded(w, 75, 'SUPERD_ERR_JAMF_UNREACHABLE', [w.fx.superdClient.clientSecret]);
});

test('the push rejected (the plan fails): exit 75, recorded with a next attempt', async () => {
  w = await openRunWorld();
  w.sim.control.failNextPlans({ errorReasons: ['NOT_SUPERVISED'] });
  await w.saveClient();
  const r = await w.run();
  expect(r.status).toBe(75);
  await expectRecorded(w, 75, 'plan-failed');
});

test('the Mac never acts (timeout): exit 75, recorded with a next attempt; a later success clears it', async () => {
  w = await openRunWorld();
  w.sim.control.configure({ autoAdvancePlans: false } as never);
  await w.saveClient();
  const r = await w.run(['run', '--mdm-timeout-no-progress=5']);
  expect(r.status).toBe(75);
  await expectRecorded(w, 75, 'verification-timeout');
  w.sim.control.configure({ autoAdvancePlans: true } as never);
  expect((await w.run(['run', '--mdm-timeout-no-progress=5'])).status).toBe(0);
  expect(await w.status()).toMatchObject({ lastError: null, nextAttempt: null });
});
