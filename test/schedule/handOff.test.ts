import { openRunWorld, type RunWorld } from '../helpers/runWorld';

let w: RunWorld;
afterEach(() => w.close());

test('a Jamf Pro policy run saves the settings, hands the workflow to the loaded daemon and exits 0 at once', async () => {
  w = await openRunWorld({ mac: { launchd: { loaded: ['com.github.superd'], running: ['com.github.superd'] } } });
  await w.saveClient();
  const r = await w.run(['/', 'Mac-042', 'jdoe', '--deferral-timer-error=30', '', '', '', '']);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/the superd daemon runs the update workflow now/);
  expect(w.mac.invocations().filter((i) => i.command === '/bin/launchctl').map((i) => i.argv.join(' '))).toEqual(['print system/com.github.superd', 'kickstart system/com.github.superd']);
  expect(w.sim.requests).toHaveLength(0);
  const status = await w.status();
  expect(Math.abs(Date.parse(status.nextAttempt!) - w.sim.clock.now())).toBeLessThan(2_000);
});

test('without a loaded daemon the policy run does the work itself', async () => {
  w = await openRunWorld();
  await w.saveClient();
  const r = await w.run(['/', 'Mac-042', 'jdoe', '', '', '', '', '']);
  expect(r.status).toBe(0);
  expect(w.requests('POST', '/api/v1/managed-software-updates/plans')).toHaveLength(1);
});
