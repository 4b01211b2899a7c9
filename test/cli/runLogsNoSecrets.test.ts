import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findSecrets } from '../helpers/secretScan';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';

let w: RunWorld;
afterEach(() => w.close());

// End to end on real processes: every macOS command is a process of its own, so the secret
// really crosses process boundaries (stdin only, never argv). A busy machine makes it slow, not wrong.
test('superd run --auth-jamf-client … --auth-jamf-secret=-: validates, saves, runs, and no secret leaks', async () => {
  w = await openRunWorld({ realProcesses: true });
  const secret = w.fx.superdClient.clientSecret;
  const r = await w.run(['run', `--auth-jamf-client=${w.fx.superdClient.clientId}`, '--auth-jamf-secret=-', '--deferral-timer-error=20', '--verbose-mode'], `${secret}\n`);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(await w.store.get('jamf_secret')).toBe(secret);
  const logText = readFileSync(path.join(w.mac.root, 'Library/Management/superd/logs/superd.log'), 'utf8');
  expect(logText).toMatch(/\[auth\] credential validated and saved/);
  expect(logText).toMatch(/\[config\] settings validated and saved/);
  // The fake keychain holds base64, the one allowed form; the plain secret is nowhere.
  expect(findSecrets([secret], w.mac.root, w.outputs)).toEqual([]);
  expect(w.mac.invocations().every((i) => !i.argv.some((a) => a.includes(secret)))).toBe(true);
}, 120_000);

test('an unreachable Jamf Pro: exit 75, nothing saved, the message says where and why', async () => {
  w = await openRunWorld({ mac: { jssUrl: 'https://127.0.0.1:1/' } });
  const r = await w.run(['run', '--auth-jamf-client=abc-client', '--auth-jamf-secret=-', '--deferral-timer-error=20'], 'Client-Secret-9f8e7d6c\n');
  expect(r.status).toBe(75);
  expect(r.stderr).toMatch(/Jamf Pro.*Nothing was saved/s);
  expect(await w.store.get('jamf_client')).toBeNull();
  expect(existsSync(path.join(w.mac.root, 'Library/Management/superd/com.github.superd.plist'))).toBe(false);
  expect(findSecrets(['Client-Secret-9f8e7d6c'], w.mac.root, w.outputs)).toEqual([]);
});

test('a wrong secret: exit 77, the previously saved client untouched', async () => {
  w = await openRunWorld();
  await w.saveClient();
  const r = await w.run(['run', `--auth-jamf-client=${w.fx.disabledClient.clientId}`, '--auth-jamf-secret=-'], 'Wrong-Secret-123456\n');
  expect(r.status).toBe(77);
  expect(r.stderr).toMatch(/Nothing was saved; the previously saved method is unchanged/);
  expect(await w.store.get('jamf_client')).toBe(w.fx.superdClient.clientId);
  expect(await w.store.get('jamf_secret')).toBe(w.fx.superdClient.clientSecret);
  expect(findSecrets(['Wrong-Secret-123456', w.fx.superdClient.clientSecret], w.mac.root, w.outputs)).toEqual([]);
});
