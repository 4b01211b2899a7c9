import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createFakeMac, type FakeMac } from '../sim/mac';
import { createRunCommand, type RunCommand } from '../../daemon/host/runCommand';
import { deleteUser } from '../../daemon/host/sysadminctl';
import { generatedUid } from '../../daemon/host/dscl';
import { removeServiceAccount } from '../../daemon/auth/serviceAccount';
import { findSecrets } from '../helpers/secretScan';

const ADMIN_PASSWORD = 'Adm1n-Pass-5521';
let mac: FakeMac | undefined;
afterEach(async () => {
  if (!mac) return;
  expect(findSecrets([ADMIN_PASSWORD], mac.root)).toEqual([]);
  expect(mac.invocations().some((i) => i.argv.some((a) => a.includes(ADMIN_PASSWORD)))).toBe(false);
  await mac.cleanup();
  mac = undefined;
});

const world = () => createFakeMac({ users: [{ name: 'admin1', password: ADMIN_PASSWORD, admin: true, secureToken: true }, { name: 'superd', password: 'Svc-Pass-1', admin: false, secureToken: true }] });

test("the form superd uses is in sysadminctl's real usage text: -deleteUser with -adminUser/-adminPassword, '-' to prompt", () => {
  const usage = readFileSync(path.join(__dirname, '../fixtures/macos/sysadminctl/usage-and-password-prompt-2023.txt'), 'utf8');
  expect(usage).toContain('-deleteUser <user name> [-secure || -keepHome] (interactive || -adminUser <administrator user name> -adminPassword <administrator password>)');
  expect(usage).toContain("Pass '-' instead of password in commands above to request prompt.");
});

test('deleteUser authorised by an admin: the password goes on stdin, never argv', async () => {
  mac = await world();
  const run = createRunCommand(mac!.root);
  await deleteUser(run, 'superd', undefined, { user: 'admin1', password: ADMIN_PASSWORD });
  const call = mac!.invocations().find((i) => i.command === '/usr/sbin/sysadminctl')!;
  expect(call.argv).toEqual(['-deleteUser', 'superd', '-adminUser', 'admin1', '-adminPassword', '-']);
  expect(call.stdinUsed).toBe(true);
  expect(await generatedUid(run, 'superd')).toBeNull();
});

test('removeServiceAccount checks the account is gone', async () => {
  mac = await world();
  const r = await removeServiceAccount(createRunCommand(mac!.root), 'superd', undefined, { user: 'admin1', password: ADMIN_PASSWORD });
  expect(r).toEqual({ removed: true, message: 'The account "superd" was removed again.' });
});

test('a deletion that silently did nothing (sysadminctl exits 0 regardless) is reported, naming the account', async () => {
  mac = await world();
  const real = createRunCommand(mac!.root);
  // sysadminctl answering exit 0 without deleting, as admins report it does on failure.
  const run: RunCommand = async (command, args, options) => (command === '/usr/sbin/sysadminctl' ? { stdout: '', stderr: '', exitCode: 0 } : real(command, args, options));
  const r = await removeServiceAccount(run, 'superd', undefined, { user: 'admin1', password: ADMIN_PASSWORD });
  expect(r.removed).toBe(false);
  expect(r.message).toMatch(/"superd" could NOT be removed again.*sysadminctl -deleteUser superd/);
  expect(r.message).not.toContain(ADMIN_PASSWORD);
});
