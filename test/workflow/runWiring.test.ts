/**
 * Whole runs for the real-Mac fixes that only show through the lifecycle's wiring: a hanging
 * `mdmclient AvailableOSUpdates` (macOS 26.5, 27 betas) and a 403 on Jamf Pro's feature toggle.
 */
import { openRunWorld, type RunWorld } from '../helpers/runWorld';

let w: RunWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

test('mdmclient AvailableOSUpdates hangs: the run goes on with softwareupdate and verifies (the wait shortened for the test)', async () => {
  // The 120 s wait is shortened to 300 ms of real time; the fake mdmclient hangs until killed.
  w = await openRunWorld({ mac: { mdmclientAvailableOSUpdates: 'hang' } as never, commandWaitMs: 300 });
  await w.saveClient();
  const r = await w.run();
  expect(r.status).toBe(0);
  expect(await w.status()).toMatchObject({ targetVersion: '15.6', lastError: null });
});

test('a 403 on the feature toggle: the privilege is named, exit 77, nothing pushed', async () => {
  w = await openRunWorld();
  w.sim.control.injectFault({ method: 'GET', path: '/api/v1/managed-software-updates/plans/feature-toggle', kind: 'status', status: 403, body: { httpStatus: 403, errors: [] }, times: Infinity });
  await w.saveClient();
  const r = await w.run();
  expect(r.status).toBe(77);
  expect(r.stdout).toMatch(/Read Managed Software Updates/);
  expect(w.requests('POST', '/managed-software-updates/plans')).toHaveLength(0);
});
