/**
 * Issue 4 as whole runs: each method given as options is validated against the fake Mac or the
 * Jamf Pro simulator before it is saved; a failure is named, exits with its status, and leaves
 * the previously saved method untouched; no secret leaks anywhere.
 */
import { statusJson } from '../../daemon/cli/commands/status';
import { KeychainSecretStore, SUPER_KEYCHAIN } from '../../daemon/auth/keychainSecretStore';
import { SUPERD_PRIVILEGES } from '../sim/jamf/privileges';
import { findSecrets } from '../helpers/secretScan';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';
import type { FakeMacOptions } from '../sim/mac';

const LOCAL = 'Local-Pass-5531';
const ADMIN = 'Admin-Pass-9917';
const WRONG = 'Wrong-Pass-0042';
const users: FakeMacOptions['users'] = [
  { name: 'localadmin', password: LOCAL, admin: true, secureToken: true },
  { name: 'notowner', password: LOCAL, admin: false, secureToken: false, volumeOwner: false },
  { name: 'locked', password: LOCAL, admin: false, secureToken: true, disabled: true },
  { name: 'itadmin', password: ADMIN, admin: true, secureToken: true },
  { name: 'helpdesk', password: ADMIN, admin: false, secureToken: true },
];

let w: RunWorld;
let secrets: string[] = [];
afterEach(async () => {
  const json = JSON.stringify(statusJson(await w.status()));
  expect(findSecrets([...secrets, LOCAL, ADMIN, WRONG], w.mac.root, [...w.outputs, json])).toEqual([]);
  expect(w.mac.invocations().some((i) => i.argv.some((a) => [...secrets, LOCAL, ADMIN, WRONG].some((s) => a.includes(s))))).toBe(false);
  await w.close();
});

async function open(mac: FakeMacOptions = {}): Promise<RunWorld> {
  w = await openRunWorld({ mac: { users, consoleUser: 'localadmin', ...mac } });
  secrets = [w.fx.superdClient.clientSecret, w.fx.admin.password, w.fx.disabledClient.clientSecret];
  return w;
}
/** Saves the standard API client first, so each failure can be shown to leave it in place. */
async function withSavedClient(mac: FakeMacOptions = {}) {
  await open(mac);
  await w.saveClient();
}
async function expectClientStillSaved() {
  expect(await w.store.get('jamf_client')).toBe(w.fx.superdClient.clientId);
  expect(await w.store.get('jamf_secret')).toBe(w.fx.superdClient.clientSecret);
}

describe('local account', () => {
  test('valid: saved, the Jamf client it replaces removed, the update installed locally', async () => {
    await withSavedClient();
    const r = await w.run(['run', '--auth-local-account=localadmin', '--auth-local-password=-'], `${LOCAL}\n`);
    expect(r.status).toBe(0);
    expect(await w.store.get('local_account')).toBe('localadmin');
    expect(await w.store.get('jamf_client')).toBeNull();
    expect(statusJson(await w.status())).toMatchObject({ authMethod: 'local-account' });
    expect(w.mac.invocations().some((i) => i.command === '/usr/sbin/softwareupdate' && i.argv.includes('--stdinpass'))).toBe(true);
  });

  test.each([
    ['wrong password', 'localadmin', WRONG, /rejected the password of "localadmin"/],
    ['not a volume owner', 'notowner', LOCAL, /"notowner" is not a volume owner/],
    ['disabled account', 'locked', LOCAL, /"locked" is disabled/],
    ['unknown account', 'nobody', LOCAL, /no local account "nobody"/],
  ])('%s: exit 77, named, the saved client untouched', async (_n, name, password, why) => {
    await withSavedClient();
    const r = await w.run(['run', `--auth-local-account=${name}`, '--auth-local-password=-'], `${password}\n`);
    expect(r.status).toBe(77);
    expect(r.stderr).toMatch(why);
    await expectClientStillSaved();
  });
});

describe("the user's own password (--auth-ask-user-to-save-password)", () => {
  test('asked once through the dialog, checked, saved, then used for the local install without asking again', async () => {
    await open({ dialog: [{ kind: 'ok', text: LOCAL }] });
    const r = await w.run(['run', '--auth-ask-user-to-save-password']);
    expect(r.status).toBe(0);
    expect(await w.store.get('user_account')).toBe('localadmin');
    expect(statusJson(await w.status())).toMatchObject({ authMethod: 'user' });
    const again = await w.run(['run']);
    expect(again.status).toBe(0);
    expect(w.mac.invocations().filter((i) => i.command === '/bin/launchctl' && i.argv[0] === 'asuser')).toHaveLength(1);
    expect(w.mac.invocations().filter((i) => i.command === '/usr/sbin/softwareupdate' && i.argv.includes('--stdinpass'))).toHaveLength(2);
  });

  test('a saved local password that stopped working is rejected before use (exit 77, not retried)', async () => {
    await open();
    await w.store.set('local_account', 'localadmin');
    await w.store.set('local_password', WRONG);
    const r = await w.run(['run']);
    expect(r.status).toBe(77);
    expect(await w.status()).toMatchObject({ lastError: { code: 'credentials-rejected', message: expect.stringMatching(/rejected the password of "localadmin"/) } });
    expect(w.mac.invocations().some((i) => i.command === '/usr/sbin/softwareupdate' && i.argv.includes('--install'))).toBe(false);
  });
});

describe('service account', () => {
  test('valid: created hidden by the admin, validated, saved with its marker; --auth-delete-all removes it all', async () => {
    await open();
    const r = await w.run(['run', '--auth-service-add-via-admin-account=itadmin', '--auth-service-add-via-admin-password=-'], `${ADMIN}\n`);
    expect(r.status).toBe(0);
    expect(await w.store.get('service_account')).toBe('superd');
    secrets.push((await w.store.get('service_password'))!);
    const created = w.mac.invocations().find((i) => i.command === '/usr/sbin/sysadminctl' && i.argv.includes('-addUser'))!;
    expect(created.argv).toEqual(['-addUser', 'superd', '-fullName', 'superd service', '-password', '-', '-adminUser', 'itadmin', '-adminPassword', '-']);
    expect(w.mac.invocations().some((i) => i.command === '/usr/bin/dscl' && i.argv.join(' ') === '. -create /Users/superd IsHidden 1')).toBe(true);
    expect(w.mac.world().users.some((u: { name: string }) => u.name === 'superd')).toBe(true);

    const d = await w.run(['run', '--auth-delete-all']);
    expect(d.status).toBe(0);
    expect(d.stdout).toMatch(/the service account "superd".*superd_auth_service_account.*superd_auth_service_created/s);
    expect(w.mac.world().users.some((u: { name: string }) => u.name === 'superd')).toBe(false);
    const again = await w.run(['run', '--auth-delete-all']);
    expect(again.stdout).toMatch(/no saved credential to remove/);
  });

  test.each([
    ['the admin is not an administrator', 'helpdesk', ADMIN, /"helpdesk" is not an administrator/],
    ['the admin password is wrong', 'itadmin', WRONG, /rejected the password of "itadmin"/],
  ])('%s: exit 77, no account created, the saved client untouched', async (_n, admin, password, why) => {
    await withSavedClient();
    const r = await w.run(['run', `--auth-service-add-via-admin-account=${admin}`, '--auth-service-add-via-admin-password=-'], `${password}\n`);
    expect(r.status).toBe(77);
    expect(r.stderr).toMatch(why);
    expect(w.mac.world().users.some((u: { name: string }) => u.name === 'superd')).toBe(false);
    await expectClientStillSaved();
  });

  test('the new account fails validation (no secure token granted): rolled back', async () => {
    // An admin without a secure token cannot give the new account one, so it is not a volume owner.
    await withSavedClient({ users: [...users!.filter((u) => u.name !== 'itadmin'), { name: 'itadmin', password: ADMIN, admin: true, secureToken: false, volumeOwner: true }] });
    const r = await w.run(['run', '--auth-service-add-via-admin-account=itadmin', '--auth-service-add-via-admin-password=-'], `${ADMIN}\n`);
    expect(r.status).toBe(77);
    expect(r.stderr).toMatch(/did not validate.*removed again/s);
    expect(w.mac.world().users.some((u: { name: string }) => u.name === 'superd')).toBe(false);
    expect(w.mac.invocations().some((i) => i.command === '/usr/sbin/sysadminctl' && i.argv[0] === '-deleteUser')).toBe(true);
    await expectClientStillSaved();
  });
});

describe('Jamf Pro API client and account', () => {
  test('valid client: only token, version, auth and invalidate — no blank push, no recon', async () => {
    await open();
    w.sim.control.clearRequests();
    const r = await w.run(['run', `--auth-jamf-client=${w.fx.superdClient.clientId}`, '--auth-jamf-secret=-'], `${w.fx.superdClient.clientSecret}\n`);
    expect(r.status).toBe(0);
    const firstToken = w.sim.requests.findIndex((q) => q.path === '/api/v1/auth/invalidate-token');
    expect(w.sim.requests.slice(0, firstToken + 1).map((q) => `${q.method} ${q.path}`)).toEqual([
      'POST /api/oauth/token', 'GET /api/v1/jamf-pro-version', 'GET /api/v1/auth', 'POST /api/v1/auth/invalidate-token',
    ]);
  });

  test('valid account on Jamf Pro ≥ 10.49: saved, with a warning recommending an API client', async () => {
    await open();
    secrets.push(w.fx.rotator.password);
    const r = await w.run(['run', `--auth-jamf-account=${w.fx.rotator.username}`, '--auth-jamf-password=-'], `${w.fx.rotator.password}\n`);
    expect(r.stderr).toMatch(/supports API clients.*safer than a user account/);
    expect(await w.store.get('jamf_account')).toBe(w.fx.rotator.username);
    expect(statusJson(await w.status())).toMatchObject({ authMethod: 'jamf-account' });
  });

  test.each<[string, (world: RunWorld) => { option: string; secret: string }, number, RegExp]>([
    ['unknown client', () => ({ option: '--auth-jamf-client=00000000-0000-0000-0000-000000000000', secret: WRONG }), 77, /rejected API client 00000000/],
    ['wrong secret', (x) => ({ option: `--auth-jamf-client=${x.fx.superdClient.clientId}`, secret: WRONG }), 77, /invalid_client/],
    ['disabled client', (x) => ({ option: `--auth-jamf-client=${x.fx.disabledClient.clientId}`, secret: x.fx.disabledClient.clientSecret }), 77, /rejected API client/],
    ['wrong account password', (x) => ({ option: `--auth-jamf-account=${x.fx.admin.username}`, secret: WRONG }), 77, /rejected/],
  ])('%s: exit 77, named, the saved client untouched', async (_n, given, status, why) => {
    await withSavedClient();
    const { option, secret } = given(w);
    const key = option.startsWith('--auth-jamf-client') ? '--auth-jamf-secret=-' : '--auth-jamf-password=-';
    const r = await w.run(['run', option, key], `${secret}\n`);
    expect(r.status).toBe(status);
    expect(r.stderr).toMatch(why);
    await expectClientStillSaved();
  });

  test('account locked out: exit 77, says so', async () => {
    await withSavedClient();
    w.sim.control.configure({ lockoutThreshold: 1 } as never);
    await w.run(['run', `--auth-jamf-account=${w.fx.admin.username}`, '--auth-jamf-password=-'], `${WRONG}\n`);
    const r = await w.run(['run', `--auth-jamf-account=${w.fx.admin.username}`, '--auth-jamf-password=-'], `${w.fx.admin.password}\n`);
    expect(r.status).toBe(77);
    expect(r.stderr).toMatch(/lock/i);
    await expectClientStillSaved();
  });

  test('server unreachable: exit 75, nothing saved', async () => {
    await withSavedClient({ jssUrl: 'https://127.0.0.1:1/' });
    const r = await w.run(['run', `--auth-jamf-client=${w.fx.superdClient.clientId}`, '--auth-jamf-secret=-'], `${WRONG}\n`);
    expect(r.status).toBe(75);
    await expectClientStillSaved();
  });

  test('missing privilege: named, exit 77', async () => {
    await open();
    w.sim.control.setRolePrivileges(w.fx.superdRole.id, SUPERD_PRIVILEGES.filter((p) => p !== 'Read Computers'));
    const r = await w.run(['run', `--auth-jamf-client=${w.fx.superdClient.clientId}`, '--auth-jamf-secret=-'], `${w.fx.superdClient.clientSecret}\n`);
    expect(r.status).toBe(77);
    expect(r.stderr).toMatch(/lacks the privilege: "Read Computers"/);
    expect(await w.store.get('jamf_client')).toBeNull();
  });
});

describe('options', () => {
  test('a pair given half: exit 64 naming the missing option, nothing saved', async () => {
    await withSavedClient();
    const r = await w.run(['run', '--auth-local-account=localadmin']);
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/--auth-local-password/);
    await expectClientStillSaved();
  });

  test('two methods at once: the higher priority wins, each ignored option named', async () => {
    await open();
    const r = await w.run(['run', '--auth-local-account=localadmin', '--auth-local-password=-', `--auth-jamf-client=${w.fx.superdClient.clientId}`, '--auth-jamf-secret=-'], `${LOCAL}\n${w.fx.superdClient.clientSecret}\n`);
    expect(r.stderr).toMatch(/--auth-jamf-client is ignored: --auth-local-account takes priority/);
    expect(r.stderr).toMatch(/--auth-jamf-secret is ignored/);
    expect(await w.store.get('local_account')).toBe('localadmin');
    expect(await w.store.get('jamf_client')).toBeNull();
  });

  test("migration from super: super's client is validated and re-saved under superd's names", async () => {
    await open();
    const superStore = new KeychainSecretStore({ run: w.runCommand, ...SUPER_KEYCHAIN });
    await superStore.set('jamf_client', w.fx.superdClient.clientId);
    await superStore.set('jamf_secret', w.fx.superdClient.clientSecret);
    const offered = await w.run(['run']);
    expect(offered.stderr).toMatch(/--auth-migrate-from-super/);
    const r = await w.run(['run', '--auth-migrate-from-super']);
    expect(r.status).toBe(0);
    expect(await w.store.get('jamf_client')).toBe(w.fx.superdClient.clientId);
  });
});
