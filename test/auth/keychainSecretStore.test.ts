import { KeychainSecretStore, SUPER_KEYCHAIN, SUPERD_KEYCHAIN } from '../../daemon/auth/keychainSecretStore';
import { MemorySecretStore } from '../../daemon/auth/secretStore';
import { createRunCommand } from '../../daemon/host/runCommand';
import { quoteWord, writeGenericPassword } from '../../daemon/host/security';
import { createFakeMac, type FakeMac } from '../sim/mac';
import { findSecrets } from '../helpers/secretScan';

const SECRETS = ['s3cr3t "quoted" \\ value', 'another-Secret-42', 'pässwörd with spaces'];

let mac: FakeMac;
beforeAll(async () => {
  mac = await createFakeMac();
});
afterAll(() => mac.cleanup());

describe('KeychainSecretStore over the fake /usr/bin/security', () => {
  test('set, read back, update in place, delete, idempotent delete — secrets only on stdin, stored base64', async () => {
    const store = new KeychainSecretStore({ run: createRunCommand(mac.root), ...SUPERD_KEYCHAIN });
    expect(await store.get('jamf_secret')).toBeNull();
    await store.set('jamf_secret', SECRETS[0]!);
    expect(await store.get('jamf_secret')).toBe(SECRETS[0]);
    await store.set('jamf_secret', SECRETS[1]!);
    expect(await store.get('jamf_secret')).toBe(SECRETS[1]);
    await store.set('jamf_client', SECRETS[2]!);

    const items = mac.keychain().filter((i) => i.service === 'superd');
    expect(items.map((i) => i.account).sort()).toEqual(['superd_auth_jamf_client', 'superd_auth_jamf_secret']);
    expect(items.find((i) => i.account === 'superd_auth_jamf_secret')?.value).toBe(Buffer.from(SECRETS[1]!).toString('base64'));
    expect(items.every((i) => i.keychain === '/Library/Keychains/System.keychain')).toBe(true);

    expect(await store.delete('jamf_secret')).toBe(true);
    expect(await store.delete('jamf_secret')).toBe(false);
    expect(await store.get('jamf_secret')).toBeNull();

    const writes = mac.invocations().filter((i) => i.command.endsWith('security') && i.argv[0] === '-i');
    expect(writes.length).toBe(3);
    expect(writes.every((i) => i.stdinUsed)).toBe(true);
    // No secret in any argv, nor (in plain text) in any file of the fake Mac.
    expect(findSecrets(SECRETS, mac.root)).toEqual([]);
  });

  test("reads super's items (base64 of value plus newline) for migration", async () => {
    const run = createRunCommand(mac.root);
    await writeGenericPassword(run, { account: 'super_auth_jamf_client', service: 'Super Update Service' }, Buffer.from('legacy-client\n').toString('base64'));
    const superStore = new KeychainSecretStore({ run, ...SUPER_KEYCHAIN });
    expect(await superStore.get('jamf_client')).toBe('legacy-client');
  });

  test('quoteWord survives quotes and backslashes', () => {
    expect(quoteWord('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
  });

  test('MemorySecretStore behaves like the keychain store', async () => {
    const store = new MemorySecretStore();
    await store.set('x', 'y');
    expect(await store.get('x')).toBe('y');
    expect(await store.delete('x')).toBe(true);
    expect(await store.delete('x')).toBe(false);
  });
});
