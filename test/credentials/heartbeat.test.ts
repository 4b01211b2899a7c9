import { credentialsCommand } from '../../daemon/cli/commands/credentials';
import { statusCommand } from '../../daemon/cli/commands/status';
import { SUPERD_PRIVILEGES } from '../sim/jamf/privileges';
import { captureOutput } from '../helpers/captureOutput';
import { findSecrets } from '../helpers/secretScan';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { createJamfAgent } from '../../daemon/jamf/jamfAgent';
import { reportError } from '../../daemon/cli/reportError';

let w: RunWorld | undefined;
const outputs: string[] = [];
/** Account passwords a test handed to superd: none may appear in a file, argv or output. */
const secrets: string[] = [];
afterEach(async () => {
  if (!w) return;
  const all = [w.fx.superdClient.clientSecret, w.fx.rotator.password, ...secrets.splice(0)];
  expect(findSecrets(all, w.mac.root, [...outputs, ...w.outputs])).toEqual([]);
  for (const i of w.mac.invocations()) for (const secret of all) expect(i.argv.join(' ')).not.toContain(secret);
  await w.close();
  w = undefined;
});

function current(): RunWorld {
  if (!w) throw new Error('no world open');
  return w;
}

async function heartbeat(args: string[] = [], stdin?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const w = current();
  const output = captureOutput();
  const agent = createJamfAgent({ ca: w.sim.ca });
  try {
    const status = await credentialsCommand(['heartbeat', '--json', ...args], output, {
      dispatcher: agent,
      now: () => new Date(w.sim.clock.now()),
      env: { SUPERD_ROOT: w.mac.root },
      runCommand: w.runCommand,
      stdin: stdin === undefined ? undefined : Readable.from([stdin]),
    });
    outputs.push(output.stdout(), output.stderr());
    return { status, json: JSON.parse(output.stdout()) as Record<string, unknown> };
  } finally {
    await agent.close();
  }
}

test('Success: a token and its invalidation; recorded in the status plist and superd status', async () => {
  w = await openRunWorld();
  await w.saveClient();
  w.sim.control.clearRequests();
  const r = await heartbeat();
  expect(r).toMatchObject({ status: 0, json: { status: 'Success' } });
  expect(w.sim.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /api/oauth/token', 'POST /api/v1/auth/invalidate-token']);
  const out = captureOutput();
  await statusCommand(['--json'], out);
  expect(JSON.parse(out.stdout()).heartbeat).toEqual({ status: 'Success', checkedAt: r.json.checkedAt });
});

test('Failed, then paused: nothing is sent again until a new credential is saved', async () => {
  w = await openRunWorld();
  await w.saveClient();
  w.sim.control.rotateClientSecret(w.fx.superdClient.clientId);
  expect(await heartbeat()).toMatchObject({ status: 77, json: { status: 'Failed' } });
  w.sim.control.clearRequests();
  expect(await heartbeat()).toMatchObject({ status: 77, json: { status: 'Failed', skipped: 'paused-after-failure' } });
  expect(w.sim.requests).toHaveLength(0);
  // A run does not try the failed credential either.
  expect((await w.run()).status).toBe(77);
  expect(w.sim.requests).toHaveLength(0);
  // A new credential resumes the heartbeat.
  const fresh = w.sim.control.rotateClientSecret(w.fx.superdClient.clientId);
  await w.store.set('jamf_secret', fresh.clientSecret);
  expect(await heartbeat()).toMatchObject({ status: 0, json: { status: 'Success' } });
  expect(findSecrets([fresh.clientSecret], w.mac.root, outputs)).toEqual([]);
});

test('UnableToConnect: exit 75, not paused (it retries at the interval)', async () => {
  w = await openRunWorld({ mac: { jssUrl: 'https://127.0.0.1:1/' } });
  await w.saveClient();
  expect(await heartbeat()).toMatchObject({ status: 75, json: { status: 'UnableToConnect' } });
  expect((await w.status()).heartbeatPausedFor).toBeNull();
});

test('privileges are not the heartbeat\'s business: a credential missing one still gets Success from its two requests', async () => {
  // They are checked when the credential is saved, and a push names the one Jamf Pro refuses
  // (test/workflow/runScenarios.test.ts "403"); docs/decisions.md "A heartbeat is a token and its invalidation".
  w = await openRunWorld();
  w.sim.control.setRolePrivileges(w.fx.superdRole.id, SUPERD_PRIVILEGES.filter((p) => p !== 'Create Managed Software Updates'));
  await w.saveClient();
  w.sim.control.clearRequests();
  expect(await heartbeat()).toMatchObject({ status: 0, json: { status: 'Success' } });
  expect(w.sim.requests).toHaveLength(2);
});

test('UnableToConnect: a server error (500) is "unreachable or failing", exit 75, never a pause', async () => {
  w = await openRunWorld();
  await w.saveClient();
  w.sim.control.injectFault({ path: '/api/oauth/token', kind: 'status', status: 500, times: Infinity });
  const r = await heartbeat();
  expect(r).toMatchObject({ status: 75, json: { status: 'UnableToConnect', message: expect.stringMatching(/500/) } });
  expect((await w!.status()).heartbeatPausedFor).toBeNull();
});

describe('a refused Jamf Pro account: locked out, disabled or a wrong password', () => {
  const PASSWORD = 'Svc-Passw0rd-7431';
  /** superd's own Jamf Pro account, with the privileges its workflow needs. */
  async function saveAccount(): Promise<string> {
    const w = current();
    w.sim.control.addAccount({ username: 'superd-svc', password: PASSWORD, privileges: [...SUPERD_PRIVILEGES] });
    await w.store.set('jamf_account', 'superd-svc');
    await w.store.set('jamf_password', PASSWORD);
    secrets.push(PASSWORD);
    return 'superd-svc';
  }
  /** Failed logins from elsewhere (a stale copy of the password) until the password policy locks it. */
  async function lockOut(username: string): Promise<void> {
    const w = current();
    for (let i = 0; i < 5; i++) await w.t.client.call('POST', '/api/v1/auth/token', { basic: { username, password: 'stale-password' } });
  }
  const privileged = (): [string[], string] => [[`--privileged-account=${current().fx.rotator.username}`], `${current().fx.rotator.password}\n`];
  const sentWith = (username: string) => current().sim.requests.filter((r) => r.path === '/api/v1/auth/token' && r.principal === username);

  test('without a privileged credential: Failed, and the message says a lockout looks the same and how to tell', async () => {
    w = await openRunWorld();
    await lockOut(await saveAccount());
    const r = await heartbeat();
    expect(r).toMatchObject({ status: 77, json: { status: 'Failed', message: expect.stringContaining('--privileged-account=NAME') } });
    expect((await w.status()).heartbeatPausedFor).not.toBeNull();
  });

  test('AccountLockedOut: with a privileged credential the account record shows the lockout; the saved credential is not sent again', async () => {
    w = await openRunWorld();
    const svc = await saveAccount();
    await lockOut(svc);
    w.sim.control.clearRequests();
    const first = await heartbeat(...privileged());
    expect(first).toMatchObject({ status: 77, json: { status: 'AccountLockedOut', account: { accountStatus: 'Disabled', failedLoginAttempts: 5 } } });
    expect(first.json.message).toMatch(/Disabled after 5 failed logins: its password policy has locked the account out\. Unlock it in Jamf Pro/);
    expect(sentWith(svc)).toHaveLength(1);
    expect(w.sim.requests.some((q) => q.path === '/api/v1/accounts' && q.principal === w!.fx.rotator.username)).toBe(true);
    // The daemon discards a worker's output: the result is in superd's log too.
    const log = readFileSync(path.join(w.mac.root, 'Library/Management/superd/logs/superd.log'), 'utf8');
    expect(log).toMatch(/\[heartbeat\] Heartbeat AccountLockedOut: Jamf Pro shows "superd-svc" as Disabled after 5 failed logins/);
    const out = captureOutput();
    await statusCommand(['--json'], out);
    expect(JSON.parse(out.stdout()).heartbeat).toEqual({ status: 'AccountLockedOut', checkedAt: first.json.checkedAt });
    const text = captureOutput();
    await statusCommand([], text);
    expect(text.stdout()).toMatch(/^Heartbeat +AccountLockedOut at \S+; paused: superd does not use this credential until it is saved again\./m);

    // Paused: asked again, only the record is read; the locked account gets no more attempts.
    w.sim.control.clearRequests();
    expect(await heartbeat(...privileged())).toMatchObject({ status: 77, json: { status: 'AccountLockedOut', skipped: 'paused-after-failure' } });
    expect(sentWith(svc)).toHaveLength(0);
    expect(w.sim.control.account(svc).failedLoginAttempts).toBe(5);
    expect(await heartbeat()).toMatchObject({ status: 77, json: { status: 'AccountLockedOut', skipped: 'paused-after-failure' } });
    expect((await w.run()).status).toBe(77);
    expect(sentWith(svc)).toHaveLength(0);
  });

  test('once an admin unlocks it, saving the same credential again resumes the heartbeat', async () => {
    w = await openRunWorld();
    const svc = await saveAccount();
    await lockOut(svc);
    expect((await heartbeat(...privileged())).json.status).toBe('AccountLockedOut');
    w.sim.control.unlockAccount(svc);
    expect(w.sim.control.account(svc).accountStatus).toBe('Enabled');
    expect((await heartbeat()).json.skipped).toBe('paused-after-failure');
    // Asked with a privileged credential while paused: enabled now, and it says how to resume.
    const asked = await heartbeat(...privileged());
    expect(asked).toMatchObject({ status: 77, json: { status: 'Failed', skipped: 'paused-after-failure', account: { accountStatus: 'Enabled', failedLoginAttempts: 0 } } });
    expect(asked.json.message).toMatch(/is enabled in Jamf Pro now \(0 failed logins since its last success\)\. If it was locked out and has been unlocked since, save the credential again/);
    const saved = await w.run(['run', `--auth-jamf-account=${svc}`, '--auth-jamf-password=-'], `${PASSWORD}\n`);
    expect(saved.status).not.toBe(77);
    expect((await w.status()).heartbeatPausedFor).toBeNull();
    expect(await heartbeat()).toMatchObject({ status: 0, json: { status: 'Success' } });
  });

  test('a wrong password and an account an admin disabled are Failed, each with its own explanation', async () => {
    w = await openRunWorld();
    const svc = await saveAccount();
    await w.store.set('jamf_password', 'Not-the-passw0rd');
    secrets.push('Not-the-passw0rd');
    const wrong = await heartbeat(...privileged());
    expect(wrong).toMatchObject({ status: 77, json: { status: 'Failed', account: { accountStatus: 'Enabled', failedLoginAttempts: 1 } } });
    expect(wrong.json.message).toMatch(/is enabled in Jamf Pro \(1 failed logins since its last success\), so the saved password is not the account's password/);

    w.sim.control.updateAccount(svc, { accountStatus: 'Disabled', failedLoginAttempts: 0 });
    await w.store.set('jamf_password', PASSWORD); // a new credential: the pause no longer applies
    const disabled = await heartbeat(...privileged());
    expect(disabled).toMatchObject({ status: 77, json: { status: 'Failed', account: { accountStatus: 'Disabled', failedLoginAttempts: 0 } } });
    expect(disabled.json.message).toMatch(/Disabled with no failed logins: an administrator disabled it/);
  });

  test('a server without /api/v1/accounts: the Classic record shows Disabled but no failed-login count, so Failed says locked or disabled', async () => {
    w = await openRunWorld();
    const svc = await saveAccount();
    await lockOut(svc);
    w.sim.control.injectFault({ method: 'GET', path: '/api/v1/accounts', kind: 'status', status: 404, body: { httpStatus: 404, errors: [] }, times: Infinity });
    const r = await heartbeat(...privileged());
    expect(r).toMatchObject({ status: 77, json: { status: 'Failed', account: { accountStatus: 'Disabled', failedLoginAttempts: null } } });
    expect(r.json.message).toMatch(/Disabled: locked out by its password policy or disabled by an administrator/);
  });

  test('a privileged credential without Read Accounts: Failed, naming what could not be read', async () => {
    w = await openRunWorld();
    const svc = await saveAccount();
    await lockOut(svc);
    w.sim.control.addAccount({ username: 'inventory-reader', password: 'Helpdesk-Passw0rd', privileges: ['Read Computers'] });
    secrets.push('Helpdesk-Passw0rd');
    const r = await heartbeat(['--privileged-account=inventory-reader'], 'Helpdesk-Passw0rd\n');
    expect(r).toMatchObject({ status: 77, json: { status: 'Failed', message: expect.stringMatching(/could not be read with the privileged credential: .*Read Accounts/) } });
  });

  test('an API client cannot be locked out: no privileged lookup, and the message does not suggest one', async () => {
    w = await openRunWorld();
    await w.saveClient();
    w.sim.control.rotateClientSecret(w.fx.superdClient.clientId);
    w.sim.control.clearRequests();
    const r = await heartbeat(...privileged());
    expect(r).toMatchObject({ status: 77, json: { status: 'Failed' } });
    expect(r.json.message).not.toMatch(/privileged/);
    expect(w.sim.requests.filter((q) => q.path === '/api/v1/accounts')).toHaveLength(0);
  });

  test('bad options: exit 64 naming the option, nothing sent', async () => {
    w = await openRunWorld();
    await saveAccount();
    w.sim.control.clearRequests();
    for (const [args, stdin, expected] of [
      [['--privileged-account=admin'], '', /--privileged-account: its secret is expected on the first line of standard input/],
      [['--privileged-account=a', '--privileged-client=b'], 'x\n', /not both/],
      [['--privileged-secret=x'], undefined, /unknown option "--privileged-secret"/],
    ] as Array<[string[], string | undefined, RegExp]>) {
      const output = captureOutput();
      const status = await credentialsCommand(['heartbeat', ...args], output, { env: { SUPERD_ROOT: w.mac.root }, runCommand: w.runCommand, stdin: stdin === undefined ? undefined : Readable.from([stdin]) }).catch((e: unknown) => reportError(e, output));
      expect(status).toBe(64);
      expect(output.stderr()).toMatch(expected);
    }
    expect(w.sim.requests).toHaveLength(0);
  });
});

test('a Failed heartbeat with AuthCredentialFailoverToUser makes the next run fail over to the user', async () => {
  w = await openRunWorld({ mac: { users: [{ name: 'jdoe', password: 'Jdoe-Pass-4821', admin: true, secureToken: true }], consoleUser: 'jdoe', dialog: [{ kind: 'ok', text: 'Jdoe-Pass-4821' }] } });
  await w.saveClient();
  w.sim.control.rotateClientSecret(w.fx.superdClient.clientId);
  await heartbeat();
  const r = await w.run(['run', '--auth-credential-failover-to-user']);
  expect(r.status).toBe(0);
  expect(w.mac.invocations().some((i) => i.command === '/usr/sbin/softwareupdate' && i.argv.includes('--stdinpass'))).toBe(true);
  expect(findSecrets(['Jdoe-Pass-4821'], w.mac.root, w.outputs)).toEqual([]);
});
