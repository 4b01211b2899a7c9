/**
 * Issue 6 on the fake Mac: whole `superd run`s that fail over to the logged-in user — the
 * dialog, re-escrow of the bootstrap token, and the local install — with the secret scan.
 */
import { findSecrets } from '../helpers/secretScan';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';
import type { DialogAnswer, FakeMacOptions } from '../sim/mac';

const PASSWORD = 'Jdoe-Pass-4821';
const jdoe = { name: 'jdoe', password: PASSWORD, admin: true, secureToken: true };

let w: RunWorld;
afterEach(async () => {
  // Unused dialog answers are the test's own fixture in the fake Mac's world file: drop them first.
  w.mac.update({ dialog: [] } as never);
  expect(findSecrets([PASSWORD, 'Wrong-Pass-1', w.fx.superdClient.clientSecret], w.mac.root, w.outputs)).toEqual([]);
  expect(w.mac.invocations().some((i) => i.argv.some((a) => a.includes(PASSWORD)))).toBe(false);
  await w.close();
});

async function world(mac: FakeMacOptions): Promise<RunWorld> {
  w = await openRunWorld({ mac: { users: [jdoe], consoleUser: 'jdoe', ...mac } });
  await w.saveClient();
  return w;
}
const ran = (command: string, arg?: string) => w.mac.invocations().filter((i) => i.command === command && (arg === undefined || i.argv.includes(arg)));

describe('BOOTSTRAP failover with re-escrow', () => {
  test('the user authenticates, the token is escrowed again, and the MDM push then succeeds', async () => {
    await world({ bootstrap: { supported: true, escrowed: false }, dialog: [{ kind: 'ok', text: PASSWORD }] });
    const r = await w.run(['run', '--auth-mdm-failover-to-user=BOOTSTRAP']);
    expect(r.status).toBe(0);
    expect(ran('/bin/launchctl', 'asuser')).toHaveLength(1);
    expect(ran('/usr/bin/profiles', 'install')).toHaveLength(1);
    expect(ran('/usr/bin/profiles', 'install')[0]!.stdinUsed).toBe(true);
    expect(w.requests('POST', '/api/v1/managed-software-updates/plans')).toHaveLength(1);
  });

  test('a wrong password, then the right one: asked again with a retry message', async () => {
    await world({ bootstrap: { supported: true, escrowed: false }, dialog: [{ kind: 'ok', text: 'Wrong-Pass-1' }, { kind: 'ok', text: PASSWORD }] });
    const r = await w.run(['run', '--auth-mdm-failover-to-user=BOOTSTRAP']);
    expect(r.status).toBe(0);
    const dialogs = ran('/bin/launchctl', 'asuser');
    expect(dialogs).toHaveLength(2);
    expect(dialogs[1]!.argv.join(' ')).toMatch(/password was not correct \(attempt 1 of 3\)/);
  });

  test.each<[string, DialogAnswer[], string]>([
    ['cancel', [{ kind: 'cancel' }], 'user-auth-cancelled'],
    ['timeout', [{ kind: 'timeout' }], 'user-auth-timeout'],
    ['three wrong passwords', [{ kind: 'ok', text: 'Wrong-Pass-1' }, { kind: 'ok', text: 'Wrong-Pass-1' }, { kind: 'ok', text: 'Wrong-Pass-1' }], 'user-auth-failed'],
  ])('%s: deferred (exit 75) with the named reason', async (_n, dialog, code) => {
    await world({ bootstrap: { supported: true, escrowed: false }, dialog });
    const r = await w.run(['run', '--auth-mdm-failover-to-user=BOOTSTRAP', '--dialog-timeout-user-auth=120']);
    expect(r.status).toBe(75);
    expect(await w.status()).toMatchObject({ state: 'deferred', lastError: { code } });
    expect(ran('/usr/bin/profiles', 'install')).toHaveLength(0);
    if (code === 'user-auth-timeout') expect(ran('/bin/launchctl', 'asuser')[0]!.argv.join(' ')).toMatch(/giving up after 120/);
  });

  test('nobody logged in: no dialog, the failure is recorded and the run deferred', async () => {
    await world({ bootstrap: { supported: true, escrowed: false }, consoleUser: null });
    const r = await w.run(['run', '--auth-mdm-failover-to-user=BOOTSTRAP']);
    expect(r.status).toBe(75);
    expect(ran('/bin/launchctl', 'asuser')).toHaveLength(0);
    expect(await w.status()).toMatchObject({ lastError: { code: 'no-console-user' } });
  });

  test.each<[string, FakeMacOptions, RegExp]>([
    ['the user is not an administrator', { users: [{ ...jdoe, admin: false }] }, /jdoe is not an administrator/],
  ])('re-escrow refused when %s: named, deferred, nothing escrowed', async (_n, extra, why) => {
    await world({ bootstrap: { supported: true, escrowed: false }, dialog: [{ kind: 'ok', text: PASSWORD }], ...extra });
    const r = await w.run(['run', '--auth-mdm-failover-to-user=BOOTSTRAP']);
    expect(r.status).toBe(75);
    expect(ran('/usr/bin/profiles', 'install')).toHaveLength(0);
    const status = await w.status();
    expect(status.lastError?.message ?? '').toMatch(why);
  });

  test('a user who is not a volume owner is refused before the password is used', async () => {
    await world({ users: [{ ...jdoe, secureToken: false, volumeOwner: false }], bootstrap: { supported: true, escrowed: false }, dialog: [{ kind: 'ok', text: PASSWORD }] });
    const r = await w.run(['run', '--auth-mdm-failover-to-user=BOOTSTRAP']);
    expect(r.status).toBe(75);
    expect(await w.status()).toMatchObject({ lastError: { code: 'user-not-volume-owner' } });
  });
});

describe('credential failover', () => {
  test('the saved API client was rotated away: with --auth-credential-failover-to-user the user authenticates and installs locally', async () => {
    await world({ dialog: [{ kind: 'ok', text: PASSWORD }] });
    w.sim.control.rotateClientSecret(w.fx.superdClient.clientId);
    const r = await w.run(['run', '--auth-credential-failover-to-user']);
    expect(r.status).toBe(0);
    expect(ran('/usr/sbin/softwareupdate', '--install')).toHaveLength(1);
  });

  test('without it: exit 77, no dialog, no retry scheduled (a wrong secret is not retried)', async () => {
    await world({ dialog: [{ kind: 'ok', text: PASSWORD }] });
    w.sim.control.rotateClientSecret(w.fx.superdClient.clientId);
    const r = await w.run(['run']);
    expect(r.status).toBe(77);
    expect(ran('/bin/launchctl', 'asuser')).toHaveLength(0);
    expect(await w.status()).toMatchObject({ state: 'error', nextAttempt: null, lastError: { code: 'credentials-rejected' }, heartbeat: { status: 'Failed' } });
    // The rejected secret is not sent again by a later run (the account could be locked out).
    w.sim.control.clearRequests();
    expect((await w.run(['run'])).status).toBe(77);
    expect(w.sim.requests).toHaveLength(0);
  });
});

describe('local install after a failover', () => {
  test('ALWAYS and a failed plan: softwareupdate installs with the user password on stdin', async () => {
    await world({ dialog: [{ kind: 'ok', text: PASSWORD }] });
    w.sim.control.failNextPlans({ errorReasons: ['NOT_SUPERVISED'] });
    const r = await w.run(['run', '--auth-mdm-failover-to-user=ALWAYS']);
    expect(r.status).toBe(0);
    const installs = ran('/usr/sbin/softwareupdate', '--install');
    expect(installs).toHaveLength(1);
    expect(installs[0]!.argv).toEqual(['--install', 'macOS Sequoia 15.6-24G84', '--restart', '--force', '--no-scan', '--agree-to-license', '--user', 'jdoe', '--stdinpass']);
    expect(installs[0]!.stdinUsed).toBe(true);
    expect(await w.status()).toMatchObject({ state: 'waiting-restart', lastError: null });
  });

  test('"Failed to authenticate" from softwareupdate: local-auth-failed, deferred', async () => {
    await world({ dialog: [{ kind: 'ok', text: PASSWORD }], softwareupdateInstall: 'authFailure' });
    w.sim.control.failNextPlans({ errorReasons: ['NOT_SUPERVISED'] });
    const r = await w.run(['run', '--auth-mdm-failover-to-user=ALWAYS']);
    expect(r.status).toBe(75);
    expect(await w.status()).toMatchObject({ state: 'deferred', lastError: { code: 'local-auth-failed' } });
  });

  test('no failover type allowed: no dialog, deferred to the error timer', async () => {
    await world({ dialog: [{ kind: 'ok', text: PASSWORD }] });
    w.sim.control.failNextPlans({ errorReasons: ['NOT_SUPERVISED'] });
    const r = await w.run(['run', '--deferral-timer-error=30']);
    expect(r.status).toBe(75);
    expect(ran('/bin/launchctl', 'asuser')).toHaveLength(0);
    const status = await w.status();
    expect(Date.parse(status.nextAttempt!) - w.sim.clock.now()).toBeGreaterThan(29 * 60_000);
  });
});
