import { reescrowBootstrap } from '../../daemon/failover/bootstrapReescrow';
import { checkJssConnection } from '../../daemon/host/jamfBinary';
import { escrowBootstrapToken } from '../../daemon/host/profilesBootstrapEscrow';
import { checkBootstrap } from '../../daemon/workflow/preconditions';
import { findSecrets } from '../helpers/secretScan';
import { createFakeMac, createInProcessRunCommand, type FakeMac, type FakeMacOptions } from '../sim/mac';

const PASSWORD = 'Admin-Pass-7731';
let mac: FakeMac;
afterEach(async () => {
  expect(findSecrets([PASSWORD], mac.root)).toEqual([]);
  expect(mac.invocations().some((i) => i.argv.some((a) => a.includes(PASSWORD)))).toBe(false);
  await mac.cleanup();
});

async function attempt(options: FakeMacOptions, user: { admin: boolean; volumeOwner: boolean; password?: string } | null) {
  mac = await createFakeMac({ users: [{ name: 'admin1', password: PASSWORD, admin: true, secureToken: true }], bootstrap: { supported: true, escrowed: false }, ...options });
  const run = createInProcessRunCommand(mac.root);
  return reescrowBootstrap(
    { mdmReachable: () => checkJssConnection(run), escrow: (n, p) => escrowBootstrapToken(run, n, p), checkBootstrap: () => checkBootstrap(run, '15.5') },
    user && { name: 'admin1', password: user.password ?? PASSWORD, admin: user.admin, volumeOwner: user.volumeOwner },
  );
}

test('success: escrowed through profiles (answers on stdin), then checked again', async () => {
  expect(await attempt({}, { admin: true, volumeOwner: true })).toEqual({ ok: true });
  const escrow = mac.invocations().filter((i) => i.command === '/usr/bin/profiles' && i.argv[0] === 'install');
  expect(escrow).toHaveLength(1);
  expect(escrow[0]!.argv).toEqual(['install', '-type', 'bootstraptoken']);
  expect(escrow[0]!.stdinUsed).toBe(true);
});

test.each<[string, FakeMacOptions, { admin: boolean; volumeOwner: boolean; password?: string } | null, string[]]>([
  ['not an administrator', {}, { admin: false, volumeOwner: true }, ['admin1 is not an administrator']],
  ['no secure token', {}, { admin: true, volumeOwner: false }, ['admin1 has no secure token']],
  ['MDM service unreachable', { jssAvailable: false }, { admin: true, volumeOwner: true }, ['the MDM service (Jamf Pro) is not reachable']],
  ['no user authenticated', {}, null, ['no user authenticated']],
  ['the escrow command fails (wrong password)', {}, { admin: true, volumeOwner: true, password: 'Not-The-Password-1' }, [expect.stringMatching(/^profiles install -type bootstraptoken failed/) as unknown as string]],
])('each unmet condition is named: %s', async (_n, options, user, unmet) => {
  expect(await attempt(options, user)).toEqual({ ok: false, unmet });
});
