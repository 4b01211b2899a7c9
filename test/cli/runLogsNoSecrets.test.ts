import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../daemon/cli/main';
import { createFakeMac, type FakeMac } from '../sim/mac';
import { captureOutput } from '../helpers/captureOutput';
import { findSecrets } from '../helpers/secretScan';

const SECRET = 'Client-Secret-9f8e7d6c';
let mac: FakeMac;
beforeAll(async () => {
  mac = await createFakeMac();
  process.env.SUPERD_ROOT = mac.root;
});
afterAll(async () => {
  delete process.env.SUPERD_ROOT;
  await mac.cleanup();
});

test('superd run against the fake Mac: checks the host, saves settings, logs to logs/superd.log, and no secret leaks', async () => {
  const stdin = Readable.from([`${SECRET}\n`]);
  Object.defineProperty(process, 'stdin', { value: stdin, configurable: true });
  const output = captureOutput();
  const status = await main(['run', '--auth-jamf-client=abc-client', '--auth-jamf-secret=-', '--deferral-timer-error=20', '--verbose-mode'], output);
  expect(output.stderr()).toBe('');
  expect(status).toBe(0);
  expect(output.stdout()).toMatch(/Host: macOS 15\.5 .*Apple silicon/);
  expect(output.stdout()).toContain('--auth-jamf-secret (secret)');
  const logText = readFileSync(path.join(mac.root, 'Library/Management/superd/logs/superd.log'), 'utf8');
  expect(logText).toMatch(/\[host\] host checked/);
  expect(logText).toMatch(/\[config\] settings validated and saved/);
  expect(findSecrets([SECRET], mac.root, [output.stdout(), output.stderr()])).toEqual([]);
  expect(mac.invocations().map((i) => i.command).sort()).toEqual(['/usr/bin/sw_vers', '/usr/sbin/ioreg', '/usr/sbin/sysctl']);
});
