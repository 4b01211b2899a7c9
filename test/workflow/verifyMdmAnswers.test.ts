import { mdmStatusLines } from '../sim/mac';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';

// Whole runs on the fake Mac: which MDM answers in the Mac's log fail verification
// (daemon/workflow/verifyUpdate.ts mdmRefusal, docs/decisions.md). The lines are the fake's
// HTTPUtil lines, whose form is the real capture test/fixtures/macos/log-stream/*.

let w: RunWorld;
afterEach(() => w.close());

test('a NotNow for another command while superd verifies: the update still verifies', async () => {
  w = await openRunWorld();
  await w.saveClient();
  let sent = false;
  w.hooks.onWait = () => {
    if (sent) return;
    sent = true;
    // A busy Mac defers a profile list (real form: mdm-command-notnow-profilelist-26.txt).
    w.mac.emitLog(mdmStatusLines('ProfileList' as never, '13277315', { status: 'NotNow' }));
  };
  const r = await w.run();
  expect(sent).toBe(true);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/pushed through Jamf Pro and this Mac acted on it/);
  expect(await w.status()).toMatchObject({ state: 'waiting-restart', lastError: null });
});

test('an Error for another command (InstallApplication) does not fail the run either', async () => {
  w = await openRunWorld();
  await w.saveClient();
  w.hooks.onWait = (n) => {
    if (n === 1) w.mac.emitLog(mdmStatusLines('InstallApplication' as never, '701', { status: 'Error' }));
  };
  const r = await w.run();
  expect(r.status).toBe(0);
});

test('an Error for the update command (ScheduleOSUpdate): verification fails with that answer', async () => {
  w = await openRunWorld();
  w.sim.control.configure({ autoAdvancePlans: false } as never);
  await w.saveClient();
  w.hooks.onWait = (n) => {
    if (n === 1) w.mac.emitLog(mdmStatusLines('ScheduleOSUpdate', '0f2c9a8e-1b7d-4e3a-9c55-2d8f0e6a4b11', { status: 'Error' }));
  };
  const r = await w.run();
  expect(r.status).not.toBe(0);
  expect(r.stdout).toMatch(/the Mac answered Error to ScheduleOSUpdate/);
  expect(await w.status()).toMatchObject({ lastError: { code: 'push-rejected', message: expect.stringContaining('answered Error to ScheduleOSUpdate') } });
});
