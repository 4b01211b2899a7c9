import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findSecrets } from '../helpers/secretScan';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';

let w: RunWorld;
afterEach(() => w.close());

test('plans path: superd run pushes one plan, sees the Mac act on it, and records it', async () => {
  w = await openRunWorld();
  await w.saveClient();
  const r = await w.run();
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/pushed through Jamf Pro and this Mac acted on it/);
  expect(r.status).toBe(0);
  expect(w.requests('POST', '/managed-software-updates/plans')).toHaveLength(1);
  const status = await w.status();
  expect(status).toMatchObject({ state: 'waiting-restart', authMethod: 'jamf-client', computerId: String(w.computer.id), targetVersion: '15.6', nextAttempt: null, lastError: null, machineSnapshot: null });
  const secrets = [w.fx.superdClient.clientSecret];
  expect(findSecrets(secrets, w.mac.root, w.outputs)).toEqual([]);
  const log = readFileSync(path.join(w.mac.root, 'Library/Management/superd/logs/superd.log'), 'utf8');
  expect(log).toMatch(/to=verifying/);
});
