import { KeychainSecretStore, SUPER_KEYCHAIN } from '../../daemon/auth/keychainSecretStore';
import { createRunCommand } from '../../daemon/host/runCommand';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';

// Counts, not times: each saved keychain item is read at most once per run (issue 19), and
// super's items only when superd has nothing saved. Keychain reads are the fake Mac's
// `security find-generic-password` invocations.

let w: RunWorld;
afterEach(() => w.close());

const reads = (world: RunWorld, from = 0) =>
  world.mac.invocations().slice(from)
    .filter((i) => i.command === '/usr/bin/security' && i.argv[0] === 'find-generic-password')
    .map((i) => i.argv[i.argv.indexOf('-a') + 1]);

test('a run with a saved Jamf API client reads each of superd\'s items once, and none of super\'s', async () => {
  w = await openRunWorld();
  await w.saveClient();
  const before = w.mac.invocations().length;
  const r = await w.run();
  expect(r.status).toBe(0);
  const accounts = reads(w, before);
  // …and whether a second API client is saved (fleet rotation, daemon/auth/secondaryClient.ts): one read when none is.
  expect(accounts).toEqual(['superd_auth_user_account', 'superd_auth_local_account', 'superd_auth_service_account', 'superd_auth_jamf_client', 'superd_auth_jamf_secret', 'superd_auth_jamf_client_secondary']);
  expect(new Set(accounts).size).toBe(accounts.length);
});

test('nothing saved by superd but super\'s client saved: the hint is printed, superd\'s items read once', async () => {
  w = await openRunWorld();
  const superStore = new KeychainSecretStore({ run: createRunCommand(w.mac.root), ...SUPER_KEYCHAIN });
  await superStore.set('jamf_client', w.fx.superdClient.clientId);
  await superStore.set('jamf_secret', w.fx.superdClient.clientSecret);
  const before = w.mac.invocations().length;
  const r = await w.run();
  expect(r.stderr).toMatch(/super's saved credentials were found and superd has none/);
  // superd's five method names once (before: twice, once for the check and once inside superCredentials), then super's items.
  expect(reads(w, before)).toEqual([
    'superd_auth_user_account', 'superd_auth_local_account', 'superd_auth_service_account', 'superd_auth_jamf_client', 'superd_auth_jamf_account',
    'super_auth_local_account', 'super_auth_service_account', 'super_auth_jamf_client', 'super_auth_jamf_secret',
  ]);
});
