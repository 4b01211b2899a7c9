/**
 * The second API client's keychain items (daemon/auth/secondaryClient.ts) and its hook in
 * loadSavedAuth/saveAuth, on an in-memory store (the fake Mac's keychain is exercised end to end
 * in test/credentials/fleetRotation.test.ts).
 */
import { loadSavedAuth, saveAuth } from '../../daemon/auth/savedAuth';
import { rememberWorkingClient, saveSecondaryClient, withSecondaryClient } from '../../daemon/auth/secondaryClient';
import { MemorySecretStore, type SecretStore } from '../../daemon/auth/secretStore';

/** Counts reads, to show what a Mac without a second client pays. */
function counted(store: MemorySecretStore): SecretStore & { reads: string[] } {
  const reads: string[] = [];
  return { reads, get: (f) => (reads.push(f), store.get(f)), set: (f, v) => store.set(f, v), delete: (f) => store.delete(f) };
}

const A = { kind: 'client' as const, clientId: 'client-a', clientSecret: 'secret-a' };

test('without a second client: the saved one unchanged, one more keychain read', async () => {
  const store = counted(new MemorySecretStore());
  expect(await withSecondaryClient(store, A)).toEqual(A);
  expect(store.reads).toEqual(['jamf_client_secondary']);
});

test('with a second client: the one that last worked first, the other as the alternate', async () => {
  const mem = new MemorySecretStore();
  await saveAuth(mem, 'jamf-client', A.clientId, A.clientSecret);
  await saveSecondaryClient(mem, 'client-b', 'secret-b');
  // Just saved: the secondary is preferred.
  expect((await loadSavedAuth(mem))?.method).toBe('jamf-client');
  expect(await loadSavedAuth(mem)).toMatchObject({ credential: { clientId: 'client-b', clientSecret: 'secret-b', alternate: { clientId: 'client-a', clientSecret: 'secret-a' } } });
  expect(await rememberWorkingClient(mem, 'client-a')).toBe('primary');
  expect(await loadSavedAuth(mem)).toMatchObject({ credential: { clientId: 'client-a', alternate: { clientId: 'client-b' } } });
  expect(await rememberWorkingClient(mem, 'someone-else')).toBeNull();
});

test('a half-written secondary (secret without id) is ignored', async () => {
  const mem = new MemorySecretStore();
  await mem.set('jamf_secret_secondary', 'secret-b');
  await mem.set('jamf_client_preferred', 'secondary');
  expect(await withSecondaryClient(mem, A)).toEqual(A);
});

test('saving another method removes the second client and the preference', async () => {
  const mem = new MemorySecretStore();
  await saveAuth(mem, 'jamf-client', A.clientId, A.clientSecret);
  await saveSecondaryClient(mem, 'client-b', 'secret-b');
  const removed = await saveAuth(mem, 'jamf-account', 'svc', 'password-0123');
  expect(removed).toEqual(expect.arrayContaining(['jamf_client_secondary', 'jamf_secret_secondary', 'jamf_client_preferred', 'jamf_client', 'jamf_secret']));
  expect([...mem.items.keys()].sort()).toEqual(['jamf_account', 'jamf_password']);
});
