/**
 * The replacement journal and its recovery, step by step (the kill -9 sweep with real processes
 * is atomicReplace.test.ts): each state a kill can leave is built here and settled, and the
 * batch delete of the keychain adapter is checked against the fake `security`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { currentReplacement, settleReplacement } from '../../daemon/auth/credentialReplacement';
import { KeychainSecretStore, SUPERD_KEYCHAIN } from '../../daemon/auth/keychainSecretStore';
import { FileReplacementJournal, parseJournal, REPLACEMENT_JOURNAL } from '../../daemon/auth/replacementJournal';
import { loadSavedAuth, readOnce, saveAuth } from '../../daemon/auth/savedAuth';
import { MemorySecretStore, type SecretStore } from '../../daemon/auth/secretStore';
import { CommandError } from '../../daemon/errors';
import type { RunCommand } from '../../daemon/host/runCommand';
import { deleteGenericPasswords } from '../../daemon/host/security';
import { createFakeMac, createInProcessRunCommand, type FakeMac } from '../sim/mac';
import { makeTempRoot } from '../helpers/tempRoot';

const A = { id: 'client-a', secret: 'Secret-A-1111' };
const B = { id: 'client-b', secret: 'Secret-B-2222' };

function savedA(): MemorySecretStore {
  const store = new MemorySecretStore();
  store.items.set('jamf_client', A.id);
  store.items.set('jamf_secret', A.secret);
  return store;
}

/** Records every keychain step the store takes, to replay the save up to each one. */
function stepLimited(inner: MemorySecretStore, limit: number): SecretStore & { steps: number } {
  const wrapped = {
    steps: 0,
    journal: {
      read: () => inner.journal.read(),
      write: async (s: Parameters<typeof inner.journal.write>[0]) => { step(); await inner.journal.write(s); },
      clear: async () => { step(); await inner.journal.clear(); },
    },
    get: (f: string) => inner.get(f),
    set: async (f: string, v: string) => { step(); await inner.set(f, v); },
    delete: async (f: string) => { step(); return inner.delete(f); },
    deleteMany: async (fs: readonly string[]) => { step(); return inner.deleteMany(fs); },
  };
  function step() {
    wrapped.steps += 1;
    if (wrapped.steps > limit) throw new Error(`killed before step ${wrapped.steps}`);
  }
  return wrapped;
}

describe('saveAuth interrupted after every step (journal and keychain steps)', () => {
  test('the reader always sees A or B complete, settling leaves exactly that one and no staged item', async () => {
    const results: string[] = [];
    for (let limit = 0; ; limit += 1) {
      const inner = savedA();
      const store = stepLimited(inner, limit);
      const finished = await saveAuth(store, 'jamf-client', B.id, B.secret).then(() => true, () => false);
      const seen = await currentReplacement(inner) ?? { name: inner.items.get('jamf_client'), secret: inner.items.get('jamf_secret') };
      const which = seen.name === A.id && seen.secret === A.secret ? 'A' : seen.name === B.id && seen.secret === B.secret ? 'B' : 'mix';
      results.push(which);
      await settleReplacement(inner);
      expect(await inner.journal.read()).toBeNull();
      const saved = await loadSavedAuth(inner);
      expect(saved).toEqual({ method: 'jamf-client', credential: { kind: 'client', clientId: which === 'A' ? A.id : B.id, clientSecret: which === 'A' ? A.secret : B.secret } });
      expect([...inner.items.keys()].sort()).toEqual(['jamf_client', 'jamf_secret']);
      if (finished) break;
    }
    // A until the commit point, B from it on; never a mix.
    expect(results.join('')).toMatch(/^A+B+$/);
  });

  test('an account replaced by a client: the account items are gone once the client is current', async () => {
    const store = new MemorySecretStore();
    store.items.set('jamf_account', 'svc');
    store.items.set('jamf_password', 'Account-Pass-3333');
    expect(await saveAuth(store, 'jamf-client', B.id, B.secret)).toEqual(['jamf_account', 'jamf_password']);
    expect(Object.fromEntries(store.items)).toEqual({ jamf_client: B.id, jamf_secret: B.secret });
  });
});

describe('an unreadable journal', () => {
  test('with a complete staged set: that set is current and rolled forward', async () => {
    const store = savedA();
    store.items.set('staged_jamf_client', B.id);
    store.items.set('staged_jamf_secret', B.secret);
    store.journal.state = { phase: 'unreadable', detail: 'not JSON' };
    expect(await currentReplacement(store)).toEqual({ method: 'jamf-client', name: B.id, secret: B.secret });
    expect(await settleReplacement(store)).toMatch(/completed/);
    expect(Object.fromEntries(store.items)).toEqual({ jamf_client: B.id, jamf_secret: B.secret });
  });

  test('with half a staged set: the saved names stay current, the half is deleted', async () => {
    const store = savedA();
    store.items.set('staged_jamf_secret', B.secret);
    store.journal.state = { phase: 'unreadable', detail: 'not JSON' };
    expect(await currentReplacement(store)).toBeNull();
    await settleReplacement(store);
    expect(Object.fromEntries(store.items)).toEqual({ jamf_client: A.id, jamf_secret: A.secret });
    expect(store.journal.state).toBeNull();
  });

  test.each([
    ['not JSON', '{"version":1,'],
    ['another version', '{"version":2,"phase":"committed","method":"jamf-client"}'],
    ['an unknown phase', '{"version":1,"phase":"later","method":"jamf-client"}'],
    ['an unknown method', '{"version":1,"phase":"committed","method":"kerberos"}'],
  ])('%s is unreadable, never guessed at', (_what, text) => {
    expect(parseJournal(text)).toMatchObject({ phase: 'unreadable' });
  });
});

describe('the journal file', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ root, cleanup } = await makeTempRoot()));
  afterEach(() => cleanup());

  test('absent → null; written atomically (0600, no secret), read back, cleared', async () => {
    const journal = new FileReplacementJournal(root);
    expect(await journal.read()).toBeNull();
    await journal.write({ phase: 'committed', method: 'jamf-client' });
    const file = path.join(root, REPLACEMENT_JOURNAL);
    expect(readFileSync(file, 'utf8')).toBe(`{"version":1,"phase":"committed","method":"jamf-client","pid":${process.pid}}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await journal.read()).toEqual({ phase: 'committed', method: 'jamf-client', pid: process.pid });
    await journal.clear();
    expect(await journal.read()).toBeNull();
    await journal.clear(); // idempotent
  });

  test('a symbolic link or an oversized file is unreadable, and a write replaces the link instead of following it', async () => {
    const file = path.join(root, REPLACEMENT_JOURNAL);
    mkdirSync(path.dirname(file), { recursive: true });
    const target = path.join(root, 'elsewhere.json');
    writeFileSync(target, '{"version":1,"phase":"committed","method":"jamf-client"}');
    symlinkSync(target, file);
    const journal = new FileReplacementJournal(root);
    expect(await journal.read()).toMatchObject({ phase: 'unreadable', detail: 'not a regular file' });
    await journal.write({ phase: 'staging', method: 'user' });
    expect(readFileSync(target, 'utf8')).toContain('committed');
    expect(await journal.read()).toEqual({ phase: 'staging', method: 'user', pid: process.pid });
    writeFileSync(file, ' '.repeat(5000));
    expect(await journal.read()).toMatchObject({ phase: 'unreadable' });
  });
});

describe('a replacement another live process has under way', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ root, cleanup } = await makeTempRoot()));
  afterEach(() => cleanup());

  function midReplacement(pid: number) {
    const memory = new MemorySecretStore();
    // Committed, and the saved names half rewritten: B's secret under A's id.
    memory.items.set('jamf_client', A.id);
    memory.items.set('jamf_secret', B.secret);
    memory.items.set('staged_jamf_client', B.id);
    memory.items.set('staged_jamf_secret', B.secret);
    const file = path.join(root, REPLACEMENT_JOURNAL);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ version: 1, phase: 'committed', method: 'jamf-client', pid }));
    const store: SecretStore = { get: (f) => memory.get(f), set: (f, v) => memory.set(f, v), delete: (f) => memory.delete(f), journal: new FileReplacementJournal(root) };
    return { memory, store, file };
  }

  test('is read (its current set, never the half-rewritten names) and left alone', async () => {
    const { memory, store, file } = midReplacement(process.ppid);
    expect(await loadSavedAuth(store)).toEqual({ method: 'jamf-client', credential: { kind: 'client', clientId: B.id, clientSecret: B.secret } });
    expect(memory.items.get('staged_jamf_client')).toBe(B.id);
    expect(readFileSync(file, 'utf8')).toContain('"committed"');
  });

  test('once that process is gone, the next reader finishes it', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const { memory, store, file } = midReplacement(gone);
    expect(await loadSavedAuth(store)).toEqual({ method: 'jamf-client', credential: { kind: 'client', clientId: B.id, clientSecret: B.secret } });
    expect(Object.fromEntries(memory.items)).toEqual({ jamf_client: B.id, jamf_secret: B.secret });
    expect(existsSync(file)).toBe(false);
  });
});

describe('over the fake security', () => {
  let mac: FakeMac;
  beforeAll(async () => (mac = await createFakeMac()));
  afterAll(() => mac.cleanup());

  test('a save and a read with a journal beside status; an ordinary read touches no staged item', async () => {
    const run = createInProcessRunCommand(mac.root);
    const store = new KeychainSecretStore({ run, ...SUPERD_KEYCHAIN, root: mac.root });
    await store.set('jamf_client', A.id);
    await store.set('jamf_secret', A.secret);
    expect(await saveAuth(store, 'jamf-client', B.id, B.secret)).toEqual([]);
    expect(mac.keychain().map((i) => i.account).sort()).toEqual(['superd_auth_jamf_client', 'superd_auth_jamf_secret']);
    const before = mac.invocations().length;
    expect(await loadSavedAuth(readOnce(store))).toEqual({ method: 'jamf-client', credential: { kind: 'client', clientId: B.id, clientSecret: B.secret } });
    const reads = mac.invocations().slice(before).map((i) => i.argv[i.argv.indexOf('-a') + 1]);
    // The saved API client's second client (fleet rotation, secondaryClient.ts) is looked up with it.
    expect(reads).toEqual(['superd_auth_user_account', 'superd_auth_local_account', 'superd_auth_service_account', 'superd_auth_jamf_client', 'superd_auth_jamf_secret', 'superd_auth_jamf_client_secondary']);
  });

  test('deleteGenericPasswords: one process, the accounts that existed, not-found is not an error', async () => {
    const run = createInProcessRunCommand(mac.root);
    const store = new KeychainSecretStore({ run, ...SUPERD_KEYCHAIN, root: mac.root });
    await store.set('local_account', 'x');
    const before = mac.invocations().length;
    const refs = ['superd_auth_user_account', 'superd_auth_local_account', 'superd_auth_jamf_client'].map((account) => ({ account, service: 'superd' }));
    expect(await deleteGenericPasswords(run, refs)).toEqual(['superd_auth_local_account', 'superd_auth_jamf_client']);
    expect(mac.invocations().slice(before)).toEqual([expect.objectContaining({ command: '/usr/bin/security', argv: ['-i'] })]);
    expect(await deleteGenericPasswords(run, refs)).toEqual([]);
  });

  test('deleteGenericPasswords fails safe on another status or results that do not add up', async () => {
    const other: RunCommand = async () => ({ stdout: '', stderr: 'delete-generic-password: returned -25293\n', exitCode: 0 });
    await expect(deleteGenericPasswords(other, [{ account: 'a', service: 's' }])).rejects.toBeInstanceOf(CommandError);
    const silent: RunCommand = async () => ({ stdout: '', stderr: '', exitCode: 0 });
    await expect(deleteGenericPasswords(silent, [{ account: 'a', service: 's' }])).rejects.toBeInstanceOf(CommandError);
  });
});
