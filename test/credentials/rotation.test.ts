/**
 * Issue 8: rotating Jamf Pro account passwords and API client secrets against the simulator,
 * on both server generations, with every failure reported by step and no secret leaking.
 */
import { mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { jamfAccountCommand, jamfClientCommand } from '../../daemon/cli/commands/jamfRotate';
import { reportError } from '../../daemon/cli/reportError';
import { credentialMarker } from '../../daemon/credentials/heartbeat';
import { updateStatus } from '../../daemon/status/statusFile';
import { createJamfAgent } from '../../daemon/jamf/jamfAgent';
import { captureOutput } from '../helpers/captureOutput';
import { findSecrets } from '../helpers/secretScan';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';
import { SimClient } from '../sim/jamf/testClient';

let w: RunWorld | undefined;
let secrets: string[] = [];
let printed: string[] = [];
afterEach(async () => {
  if (!w) return;
  // The one allowed place for a new secret is the explicit --show-password line.
  const visible = printed.map((t) => t.replace(/^New (password|secret): .*$/m, ''));
  expect(findSecrets(secrets, w.mac.root, visible)).toEqual([]);
  expect(w.mac.invocations().some((i) => i.argv.some((a) => secrets.some((s) => a.includes(s))))).toBe(false);
  await w.close();
  w = undefined;
  secrets = [];
  printed = [];
});

async function open(version = '11.30.0') {
  w = await openRunWorld({ sim: { version } });
  secrets = [w.fx.rotator.password, w.fx.superdClient.clientSecret];
  return w;
}

async function cli(command: 'account' | 'client', args: string[], stdin: string) {
  const world = w!;
  const output = captureOutput();
  const agent = createJamfAgent({ ca: world.sim.ca });
  try {
    const deps = { dispatcher: agent, now: () => new Date(world.sim.clock.now()), env: { SUPERD_ROOT: world.mac.root }, runCommand: world.runCommand, stdin: Readable.from([stdin]) };
    const status = await (command === 'account' ? jamfAccountCommand(['rotate', ...args], output, deps) : jamfClientCommand(['rotate-secret', ...args], output, deps)).catch((e: unknown) => reportError(e, output));
    printed.push(output.stdout(), output.stderr());
    const json = /^\{/.test(output.stdout()) ? (JSON.parse(output.stdout().replace(/\nNew (password|secret): .*$/, '')) as { status: string; steps: Array<{ step: string; outcome: string; detail: string }> }) : null;
    return { status, stdout: output.stdout(), stderr: output.stderr(), json };
  } finally {
    await agent.close();
  }
}

/** Can this account log in with this password? (One login; the simulator counts failures.) */
async function canLogin(username: string, password: string): Promise<boolean> {
  const c = new SimClient(w!.sim);
  try {
    const r = await c.call('POST', '/api/v1/auth/token', { headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` } });
    return r.status === 200;
  } finally {
    await c.close();
  }
}

const privileged = () => [`--privileged-account=${w!.fx.rotator.username}`];

describe('jamf-account rotate', () => {
  test.each([['11.30.0', 'PUT /api/v1/accounts/{id}'], ['11.26.1', 'Classic PUT /JSSResource/accounts/userid/{id}']])('Jamf Pro %s: generated password set with %s, verified, written to a 0600 file', async (version, how) => {
    await open(version);
    // Outside the fake Mac's root: the file holds the new password by request.
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'superd-pw-')), 'new-password.txt');
    const r = await cli('account', ['--url', w!.sim.url, '--target-account', w!.fx.limited.username, '--generate', ...privileged(), `--password-file=${file}`, '--json'], `${w!.fx.rotator.password}\n`);
    expect(r.json).toMatchObject({ status: 'rotated' });
    expect(r.json!.steps.find((s) => s.step === 'change-password')!.detail).toContain(how);
    expect(r.status).toBe(0);
    const newPassword = readFileSync(file, 'utf8').trim();
    secrets.push(newPassword, w!.fx.limited.password);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(newPassword).toHaveLength(24);
    expect(await canLogin(w!.fx.limited.username, newPassword)).toBe(true);
    expect(await canLogin(w!.fx.limited.username, w!.fx.limited.password)).toBe(false);
  });

  test('--show-password prints the generated password once, on its own line', async () => {
    await open();
    const r = await cli('account', ['--url', w!.sim.url, '--target-account', w!.fx.limited.username, '--generate', ...privileged(), '--show-password'], `${w!.fx.rotator.password}\n`);
    expect(r.status).toBe(0);
    const line = r.stdout.split('\n').filter((l) => l.startsWith('New password: '));
    expect(line).toHaveLength(1);
    expect(await canLogin(w!.fx.limited.username, line[0]!.slice('New password: '.length))).toBe(true);
  });

  test.each<[string, (x: RunWorld) => string[], string, RegExp]>([
    ['target not found', (x) => ['--target-account=nobody', ...privileged().map((p) => p), '--new-password-stdin', `--url=${x.sim.url}`], 'resolve-target', /no account named "nobody"/],
    ['LDAP account refused', (x) => [`--target-account=${x.fx.ldap.username}`, ...privileged(), '--new-password-stdin', `--url=${x.sim.url}`], 'resolve-target', /directory \(LDAP or SSO\) account/],
    ['missing privilege named', (x) => [`--target-account=${x.fx.admin.username}`, `--privileged-account=${x.fx.limited.username}`, '--new-password-stdin', `--url=${x.sim.url}`], 'resolve-target', /Read Accounts/],
  ])('%s: exit 77, reported at the failing step, nothing changed', async (_n, args, failedStep, why) => {
    await open();
    secrets.push(w!.fx.limited.password, 'New-Pass-Word-123');
    const privilegedSecret = args(w!).some((a) => a.includes(w!.fx.limited.username) && a.startsWith('--privileged')) ? w!.fx.limited.password : w!.fx.rotator.password;
    const r = await cli('account', [...args(w!), '--json'], `${privilegedSecret}\nNew-Pass-Word-123\n`);
    expect(r.status).toBe(77);
    const failed = r.json!.steps.find((s) => s.outcome === 'failed')!;
    expect(failed.step).toBe(failedStep);
    expect(failed.detail).toMatch(why);
  });

  test('Jamf Pro unreachable: exit 75 (try again later), a 500 on the change too; nothing saved', async () => {
    await open();
    secrets.push('New-Pass-Word-U1');
    const down = await cli('account', ['--url', 'https://127.0.0.1:1', '--target-account', w!.fx.limited.username, '--new-password-stdin', ...privileged(), '--json'], `${w!.fx.rotator.password}\nNew-Pass-Word-U1\n`);
    expect(down).toMatchObject({ status: 75, json: { status: 'failed' } });
    expect(down.json!.steps).toEqual([expect.objectContaining({ step: 'privileged-token', outcome: 'failed' })]);
    w!.sim.control.injectFault({ method: 'PUT', path: '/api/v1/accounts/*', kind: 'status', status: 500, body: { httpStatus: 500, errors: [] }, times: Infinity });
    const failing = await cli('account', ['--url', w!.sim.url, '--target-account', w!.fx.limited.username, '--new-password-stdin', ...privileged(), '--json'], `${w!.fx.rotator.password}\nNew-Pass-Word-U1\n`);
    expect(failing.status).toBe(75);
    expect(failing.json!.steps.at(-1)).toMatchObject({ step: 'change-password', outcome: 'failed' });
    expect(await canLogin(w!.fx.limited.username, 'New-Pass-Word-U1')).toBe(false);
  });

  test('the privileged credential rejected: failed at privileged-token', async () => {
    await open();
    secrets.push('Wrong-Privileged-1', 'New-Pass-Word-123');
    const r = await cli('account', ['--url', w!.sim.url, '--target-account', w!.fx.limited.username, '--new-password-stdin', ...privileged(), '--json'], 'Wrong-Privileged-1\nNew-Pass-Word-123\n');
    expect(r.status).toBe(77);
    expect(r.json!.steps).toEqual([expect.objectContaining({ step: 'privileged-token', outcome: 'failed' })]);
  });

  test('429 on the change is honoured (Retry-After), and the change lands once', async () => {
    await open();
    secrets.push('New-Pass-Word-429');
    w!.sim.control.injectFault({ method: 'PUT', path: '/api/v1/accounts/*', kind: 'rateLimit', retryAfterSeconds: 1 });
    const r = await cli('account', ['--url', w!.sim.url, '--target-account', w!.fx.limited.username, '--new-password-stdin', ...privileged(), '--json'], `${w!.fx.rotator.password}\nNew-Pass-Word-429\n`);
    expect(r.json!.status).toBe('rotated');
    expect(w!.sim.requests.filter((q) => q.method === 'PUT').map((q) => q.status)).toEqual([429, 200]);
    expect(await canLogin(w!.fx.limited.username, 'New-Pass-Word-429')).toBe(true);
  });

  test("superd's own account: the keychain takes the new password only after it verified", async () => {
    await open();
    await w!.store.set('jamf_account', w!.fx.rotator.username);
    await w!.store.set('jamf_password', w!.fx.rotator.password);
    // The old password's heartbeat had failed: the heartbeat is paused for it.
    const oldMarker = await credentialMarker(w!.store, { kind: 'account', username: w!.fx.rotator.username, password: w!.fx.rotator.password });
    await updateStatus(w!.mac.root, { heartbeat: { status: 'Failed', checkedAt: new Date(w!.sim.clock.now()).toISOString() }, heartbeatPausedFor: oldMarker }, new Date(w!.sim.clock.now()));
    const r = await cli('account', ['--url', w!.sim.url, '--target-account', w!.fx.rotator.username, '--generate', ...privileged(), '--json'], `${w!.fx.rotator.password}\n`);
    expect(r.json!.status).toBe('rotated');
    expect(r.json!.steps.slice(-2)).toEqual([
      expect.objectContaining({ step: 'update-keychain', outcome: 'ok' }),
      expect.objectContaining({ step: 'heartbeat', outcome: 'ok', detail: expect.stringMatching(/^Success: /) }),
    ]);
    // The heartbeat with the new password is recorded, clearing any pause left by the old one.
    expect(await w!.status()).toMatchObject({ heartbeat: { status: 'Success' }, heartbeatPausedFor: null });
    const saved = (await w!.store.get('jamf_password'))!;
    secrets.push(saved);
    expect(saved).not.toBe(w!.fx.rotator.password);
    expect(await canLogin(w!.fx.rotator.username, saved)).toBe(true);
  });

  test('the new password rejected at verification: the old one stays saved and still works', async () => {
    await open();
    await w!.store.set('jamf_account', w!.fx.rotator.username);
    await w!.store.set('jamf_password', w!.fx.rotator.password);
    secrets.push('New-Pass-Word-999');
    // The server answers the change but does not apply it (a policy silently refusing it).
    w!.sim.control.injectFault({ method: 'PUT', path: '/api/v1/accounts/*', kind: 'status', status: 200, body: {} });
    const r = await cli('account', ['--url', w!.sim.url, '--target-account', w!.fx.rotator.username, '--new-password-stdin', ...privileged(), '--json'], `${w!.fx.rotator.password}\nNew-Pass-Word-999\n`);
    expect(r.status).toBe(77);
    expect(r.json!.steps.find((s) => s.outcome === 'failed')!.step).toBe('verify-new-password');
    expect(await w!.store.get('jamf_password')).toBe(w!.fx.rotator.password);
    expect(await canLogin(w!.fx.rotator.username, w!.fx.rotator.password)).toBe(true);
  });

  test('a locked-out or disabled target: refused at resolve-target, nothing changed', async () => {
    await open();
    secrets.push('New-Pass-Word-L1');
    const limited = w!.fx.limited;
    for (let i = 0; i < 5; i++) await w!.t.client.call('POST', '/api/v1/auth/token', { basic: { username: limited.username, password: 'stale' } });
    const before = w!.sim.control.account(limited.username).lastPasswordChange;
    const locked = await cli('account', ['--url', w!.sim.url, '--target-account', limited.username, '--new-password-stdin', ...privileged(), '--json'], `${w!.fx.rotator.password}\nNew-Pass-Word-L1\n`);
    expect(locked).toMatchObject({ status: 77, json: { status: 'failed' } });
    expect(locked.json!.steps.at(-1)).toMatchObject({ step: 'resolve-target', outcome: 'failed', detail: expect.stringMatching(/is locked out \(Jamf Pro shows it Disabled after 5 failed logins\).*Nothing was changed: unlock it in Jamf Pro/) });
    w!.sim.control.unlockAccount(limited.username);
    w!.sim.control.updateAccount(limited.username, { accountStatus: 'Disabled' });
    const disabled = await cli('account', ['--url', w!.sim.url, '--target-account', limited.username, '--new-password-stdin', ...privileged(), '--json'], `${w!.fx.rotator.password}\nNew-Pass-Word-L1\n`);
    expect(disabled.json!.steps.at(-1)).toMatchObject({ step: 'resolve-target', outcome: 'failed', detail: expect.stringMatching(/is disabled in Jamf Pro/) });
    expect(w!.sim.requests.some((q) => q.method === 'PUT')).toBe(false);
    expect(w!.sim.control.account(limited.username).lastPasswordChange).toBe(before);
  });

  test('a change that did not apply, under a strict lockout policy: verification names the lockout it caused; the old password stays saved', async () => {
    await open();
    w!.sim.control.configure({ lockoutThreshold: 1 });
    const svc = w!.sim.control.addAccount({ username: 'superd-own', password: 'Own-Passw0rd-31', privileges: [] });
    secrets.push('Own-Passw0rd-31', 'New-Pass-Word-L2');
    await w!.store.set('jamf_account', svc.username);
    await w!.store.set('jamf_password', 'Own-Passw0rd-31');
    w!.sim.control.injectFault({ method: 'PUT', path: '/api/v1/accounts/*', kind: 'status', status: 200, body: {} });
    const r = await cli('account', ['--url', w!.sim.url, '--target-account', svc.username, '--new-password-stdin', ...privileged(), '--json'], `${w!.fx.rotator.password}\nNew-Pass-Word-L2\n`);
    expect(r.status).toBe(77);
    const failed = r.json!.steps.find((s) => s.outcome === 'failed')!;
    expect(failed.step).toBe('verify-new-password');
    expect(failed.detail).toMatch(/The account is locked out \(Jamf Pro shows it Disabled after 1 failed logins\): unlock it in Jamf Pro/);
    expect(await w!.store.get('jamf_password')).toBe('Own-Passw0rd-31');
  });

  test('a server without /api/v1/accounts: the target is found through the Classic API and rotated; --if-older-than cannot tell the age', async () => {
    await open('11.26.1');
    secrets.push('New-Pass-Word-C1');
    w!.sim.control.injectFault({ method: 'GET', path: '/api/v1/accounts', kind: 'status', status: 404, body: { httpStatus: 404, errors: [] }, times: Infinity });
    const args = ['--url', w!.sim.url, '--target-account', w!.fx.limited.username, '--new-password-stdin', ...privileged(), '--json'];
    const aged = await cli('account', [...args, '--if-older-than=30'], `${w!.fx.rotator.password}\nNew-Pass-Word-C1\n`);
    expect(aged).toMatchObject({ status: 77, json: { status: 'failed' } });
    expect(aged.json!.steps.at(-1)).toMatchObject({ step: 'change-password', outcome: 'failed', detail: expect.stringMatching(/--if-older-than=30 needs the password's age.*Nothing was changed/) });
    expect(w!.sim.requests.some((q) => q.method === 'PUT')).toBe(false);
    const r = await cli('account', args, `${w!.fx.rotator.password}\nNew-Pass-Word-C1\n`);
    expect(r).toMatchObject({ status: 0, json: { status: 'rotated' } });
    expect(w!.sim.requests.some((q) => q.method === 'GET' && q.path === `/JSSResource/accounts/username/${w!.fx.limited.username}`)).toBe(true);
    expect(await canLogin(w!.fx.limited.username, 'New-Pass-Word-C1')).toBe(true);
  });

  test('--if-older-than skips a recently changed password', async () => {
    await open();
    secrets.push('New-Pass-Word-123');
    const r = await cli('account', ['--url', w!.sim.url, '--target-account', w!.fx.limited.username, '--new-password-stdin', ...privileged(), '--if-older-than=30', '--json'], `${w!.fx.rotator.password}\nNew-Pass-Word-123\n`);
    expect(r).toMatchObject({ status: 0, json: { status: 'skipped' } });
    expect(w!.sim.requests.some((q) => q.method === 'PUT')).toBe(false);
  });

  test('--password-file through a symbolic link, or in a missing folder: exit 64 before anything is sent', async () => {
    await open();
    const dir = mkdtempSync(path.join(tmpdir(), 'superd-pwlink-'));
    const target = path.join(dir, 'elsewhere.txt');
    writeFileSync(target, 'untouched\n');
    const link = path.join(dir, 'new-password.txt');
    symlinkSync(target, link);
    w!.sim.control.clearRequests();
    for (const [file, why] of [[link, /--password-file: .* is a symbolic link/], [path.join(dir, 'missing', 'pw.txt'), /--password-file: the folder .*missing does not exist/]] as const) {
      const r = await cli('account', ['--url', w!.sim.url, '--target-account', w!.fx.limited.username, '--generate', ...privileged(), `--password-file=${file}`], `${w!.fx.rotator.password}\n`);
      expect(r.status).toBe(64);
      expect(r.stderr).toMatch(why);
    }
    expect(w!.sim.requests).toHaveLength(0);
    expect(readFileSync(target, 'utf8')).toBe('untouched\n');
  });

  test('secrets never come from argv: a generated password for another account needs a destination', async () => {
    await open();
    const r = await cli('account', ['--url', w!.sim.url, '--target-account', w!.fx.limited.username, '--generate', ...privileged()], `${w!.fx.rotator.password}\n`);
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/--password-file=PATH .* or --show-password/);
  });
});

describe('jamf-client rotate-secret', () => {
  test("superd's own client: a new secret issued, verified, saved; the old one stops working", async () => {
    await open();
    await w!.saveClient();
    const r = await cli('client', ['--url', w!.sim.url, '--client-id', w!.fx.superdClient.clientId, ...privileged(), '--json'], `${w!.fx.rotator.password}\n`);
    expect(r.json!.status).toBe('rotated');
    expect(r.status).toBe(0);
    const saved = (await w!.store.get('jamf_secret'))!;
    secrets.push(saved);
    expect(saved).not.toBe(w!.fx.superdClient.clientSecret);
    expect(r.json!.steps.at(-1)).toMatchObject({ step: 'heartbeat', outcome: 'ok' });
    expect((await w!.run()).status).toBe(0); // the workflow runs with the new secret
  });

  test('the new secret refused at verification: exit 77, the keychain unchanged, the issued secret kept in --password-file', async () => {
    await open();
    await w!.saveClient();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'superd-rot-')), 'secret');
    // The token request with the new secret is refused (the privileged account's own login is Basic, not OAuth).
    w!.sim.control.injectFault({ method: 'POST', path: '/api/oauth/token', kind: 'status', status: 401, body: { error: 'invalid_client' } });
    const r = await cli('client', ['--url', w!.sim.url, '--client-id', w!.fx.superdClient.clientId, ...privileged(), `--password-file=${file}`, '--json'], `${w!.fx.rotator.password}\n`);
    expect(r.status).toBe(77);
    expect(r.json!.steps.find((s) => s.outcome === 'failed')).toMatchObject({ step: 'verify-new-secret' });
    expect(r.json!.steps.some((s) => s.step === 'update-keychain' || s.step === 'heartbeat')).toBe(false);
    expect(await w!.store.get('jamf_secret')).toBe(w!.fx.superdClient.clientSecret);
    const issued = readFileSync(file, 'utf8').trim();
    secrets.push(issued);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(issued).not.toBe(w!.fx.superdClient.clientSecret);
  });

  test('an unknown client id: failed at resolve-client, exit 77', async () => {
    await open();
    const r = await cli('client', ['--url', w!.sim.url, '--client-id', '00000000-0000-0000-0000-000000000000', ...privileged(), '--show-password', '--json'], `${w!.fx.rotator.password}\n`);
    expect(r.status).toBe(77);
    expect(r.json!.steps.find((s) => s.outcome === 'failed')).toMatchObject({ step: 'resolve-client', detail: expect.stringMatching(/no API client/) });
  });
});
