import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SUPERD_VERSION } from '../../daemon/buildInfo';
import { main } from '../../daemon/cli/main';
import { settingKeys, settingsSchema } from '../../daemon/config/schema';
import { updateStatus } from '../../daemon/status/statusFile';
import { captureOutput } from '../helpers/captureOutput';
import { makeTempRoot } from '../helpers/tempRoot';
import { KeychainSecretStore, SUPERD_KEYCHAIN } from '../../daemon/auth/keychainSecretStore';
import { createRunCommand } from '../../daemon/host/runCommand';
import { createFakeMac } from '../sim/mac';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot());
  process.env.SUPERD_ROOT = root;
});
afterEach(async () => {
  delete process.env.SUPERD_ROOT;
  await cleanup();
});

const STATUS_FIELDS = ['state', 'authMethod', 'computerId', 'nextAttempt', 'lastError', 'heartbeat'];

test('--version matches package.json', async () => {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { version: string };
  expect(SUPERD_VERSION).toBe(pkg.version);
  const output = captureOutput();
  expect(await main(['--version'], output)).toBe(0);
  expect(output.stdout()).toBe(`superd ${pkg.version}`);
});

test('--help lists every setting option and every managed key', async () => {
  const output = captureOutput();
  expect(await main(['--help'], output)).toBe(0);
  for (const key of settingKeys) {
    expect(output.stdout()).toContain(`--${settingsSchema[key].option}`);
    expect(output.stdout()).toContain(`${key}:`);
  }
});

test('status --json against an empty SUPERD_ROOT prints valid JSON with all fields and exits 0', async () => {
  const output = captureOutput();
  expect(await main(['status', '--json'], output)).toBe(0);
  const json = JSON.parse(output.stdout()) as Record<string, unknown>;
  for (const field of STATUS_FIELDS) expect(json).toHaveProperty(field);
  expect(json).toMatchObject({ state: 'idle', authMethod: null, computerId: null, nextAttempt: null, lastError: null, heartbeat: null });
});

test('status reads what a run wrote', async () => {
  await updateStatus(root, {
    state: 'deferred',
    authMethod: 'jamf-client',
    computerId: '42',
    nextAttempt: '2026-11-22T12:00:00.000Z',
    lastError: { code: 'SUPERD_ERR_JAMF_HTTP', message: 'Jamf Pro answered 503', at: '2026-11-22T11:00:00.000Z' },
    heartbeat: { status: 'Success', checkedAt: '2026-11-22T08:00:00.000Z' },
  });
  const output = captureOutput();
  expect(await main(['status', '--json'], output)).toBe(0);
  expect(JSON.parse(output.stdout())).toMatchObject({
    state: 'deferred',
    authMethod: 'jamf-client',
    computerId: '42',
    nextAttempt: '2026-11-22T12:00:00.000Z',
    lastError: { code: 'SUPERD_ERR_JAMF_HTTP', message: 'Jamf Pro answered 503', at: '2026-11-22T11:00:00.000Z' },
    heartbeat: { status: 'Success', checkedAt: '2026-11-22T08:00:00.000Z' },
  });
  const text = captureOutput();
  expect(await main(['status'], text)).toBe(0);
  expect(text.stdout()).toMatch(/State\s+deferred/);
});

test('unknown subcommand and unknown status flag are usage errors (64)', async () => {
  expect(await main(['frobnicate'], captureOutput())).toBe(64);
  expect(await main(['status', '--xml'], captureOutput())).toBe(64);
});

test('--auth-delete-all names each item it removed once, and says when there is nothing', async () => {
  const mac = await createFakeMac();
  process.env.SUPERD_ROOT = mac.root;
  try {
    const store = new KeychainSecretStore({ run: createRunCommand(mac.root), ...SUPERD_KEYCHAIN });
    await store.set('jamf_client', 'client-id-1');
    const output = captureOutput();
    expect(await main(['--auth-delete-all'], output)).toBe(0);
    expect(output.stdout()).toMatch(/^superd: removed superd_auth_jamf_client\.$/m);
    const again = captureOutput();
    expect(await main(['--auth-delete-all'], again)).toBe(0);
    expect(again.stdout()).toMatch(/no saved credential to remove/);
  } finally {
    await mac.cleanup();
  }
});
