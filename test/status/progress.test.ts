/**
 * Issue 15: while superd waits for the Mac, the plan state and the Mac's download and
 * preparation progress are logged on each change and shown in status; --verbose-mode logs every
 * Jamf Pro request and every macOS command (redacted, no secret).
 */
import { readFile } from 'node:fs/promises';
import { hostPath, superdPaths } from '../../daemon/host/paths';
import { findSecrets } from '../helpers/secretScan';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';

let w: RunWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const logOf = async (world: RunWorld) => readFile(hostPath(`${superdPaths.folder}/logs/superd.log`, world.mac.root), 'utf8');

test('each change of the plan state and of the Mac\'s progress is logged, and status shows it while waiting', async () => {
  w = await openRunWorld();
  await w.saveClient();
  const seen: string[] = [];
  w.hooks.onWait = async () => {
    const text = (await w!.status()).stateText ?? '';
    if (seen.at(-1) !== text) seen.push(text);
  };
  const r = await w.run();
  expect(r.status).toBe(0);
  const progress = (await logOf(w)).split('\n').filter((l) => / \[workflow\] progress /.test(l));
  expect(progress.length).toBeGreaterThan(1);
  expect(progress.some((l) => /planState=\w+/.test(l))).toBe(true);
  // No line repeats the one before it: logged on change only.
  for (let i = 1; i < progress.length; i++) expect(progress[i]!.replace(/^\S+ /, '')).not.toBe(progress[i - 1]!.replace(/^\S+ /, ''));
  expect(seen.some((t) => /^Waiting for this Mac to act on the update: Jamf Pro plan \w+/.test(t))).toBe(true);
});

test('--verbose-mode: every Jamf Pro request and every macOS command is logged, and no secret', async () => {
  w = await openRunWorld();
  await w.saveClient();
  const r = await w.run(['run', '--verbose-mode']);
  expect(r.status).toBe(0);
  const log = await logOf(w);
  expect(log).toMatch(/ debug \[host\] command command=\/usr\/bin\/sw_vers/);
  expect(log).toMatch(/ debug \[host\] command command=\/usr\/sbin\/softwareupdate/);
  expect(log).toMatch(/\[workflow\] jamf request .*POST/);
  expect(findSecrets([w.fx.superdClient.clientSecret], w.mac.root, [...w.outputs])).toEqual([]);
});
