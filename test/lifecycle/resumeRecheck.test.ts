/**
 * Resume re-checks (issue 16, item 4): a run killed while it pushed leaves the status of the
 * `pushing` state on disk; the next run resumes there. These tests take that status exactly as a
 * kill would leave it — the bytes of status.plist at the moment the plan request reached Jamf Pro
 * (no plan id saved yet) or the blank push (plan id saved) — let the first run end, move the
 * plan on in the simulator, put the captured bytes back, and run again in process.
 * test/lifecycle/killSweep.test.ts does the same with real processes and SIGKILL.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';

let w: RunWorld;
afterEach(() => w?.close());

const PLANS = '/api/v1/managed-software-updates/plans';

const statusFile = () => path.join(w.mac.root, 'Library/Management/superd/status.plist');
const created = () => w.requests('POST', PLANS).filter((q) => q.status === 201);

/** The status file's bytes at the first `event` of the simulator (what a kill then would leave). */
function captureStatusAt(event: 'plan' | 'blankPush'): () => Buffer {
  let bytes: Buffer | null = null;
  const listener = () => {
    bytes ??= readFileSync(statusFile());
  };
  w.sim.events.once(event, listener);
  return () => {
    if (!bytes) throw new Error(`no ${event} event happened`);
    return bytes;
  };
}

async function firstRunKilledAt(event: 'plan' | 'blankPush', planFails?: string[]): Promise<string> {
  w = await openRunWorld();
  await w.saveClient();
  if (planFails) w.sim.control.failNextPlans({ errorReasons: planFails, atState: 'CollectingOSUpdateStatus' });
  const captured = captureStatusAt(event);
  expect((await w.run()).status).toBe(planFails ? 75 : 0);
  const plans = w.sim.control.plans();
  expect(plans).toHaveLength(1);
  writeFileSync(statusFile(), captured());
  const resumed = await w.status();
  expect(JSON.parse(resumed.machineSnapshot!)).toMatchObject({ value: 'pushing' });
  expect(resumed.planTargetVersion).toBe('15.6');
  return plans[0]!.planUuid;
}

test('killed before Jamf Pro answered the plan request, the plan then completed: the resumed run verifies it and creates none', async () => {
  const planId = await firstRunKilledAt('plan');
  expect((await w.status()).planId).toBeNull();
  w.sim.control.completePlan(planId);

  const r = await w.run();
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/acted on it/);
  expect(created()).toHaveLength(1);
  expect(w.sim.control.plans()).toHaveLength(1);
  expect(await w.status()).toMatchObject({ planId, planTargetVersion: '15.6', lastError: null, machineSnapshot: null });
  const log = readFileSync(path.join(w.mac.root, 'Library/Management/superd/logs/superd.log'), 'utf8');
  expect(log).toMatch(/looked for the update again before pushing/);
  expect(log).toMatch(/already completed: verifying it/);
}, 60_000);

test('killed after the plan id was saved, the plan then failed: the resumed run reports the plan\'s reason and defers; only the retry creates a second plan', async () => {
  // The plan fails while the first run (as good as killed: its status is put back) watched it.
  const planId = await firstRunKilledAt('blankPush', ['NO_DISK_SPACE']);
  expect((await w.status()).planId).toBe(planId);
  expect(w.sim.control.plan(planId).state).toBe('PlanFailed');

  const r = await w.run();
  expect(r.status).toBe(75);
  expect(created()).toHaveLength(1);
  const after = await w.status();
  expect(after.state).toBe('deferred');
  expect(after.lastError).toMatchObject({ code: 'plan-failed' });
  expect(after.lastError!.message).toMatch(new RegExp(`${planId}.*PlanFailed.*NO_DISK_SPACE`));
  // The failure went through the recovery path (an error deferral): its record is dropped.
  expect(after).toMatchObject({ planId: null, planTargetVersion: null });

  // The retry the deferral scheduled is the one run allowed to create a new plan for 15.6.
  const retry = await w.run();
  expect(retry.status).toBe(0);
  expect(created()).toHaveLength(2);
  const second = w.sim.control.plans().find((p) => p.planUuid !== planId)!;
  expect(second.specificVersion).toBe('15.6');
  expect(await w.status()).toMatchObject({ planId: second.planUuid, planTargetVersion: '15.6' });
}, 90_000);

test('killed while pushing, then the Mac installed the update: the resumed run reads its version and is done', async () => {
  await firstRunKilledAt('plan');
  w.mac.update({ macOS: { productVersion: '15.6', buildVersion: '24G84' }, availableUpdates: [] });

  const r = await w.run();
  expect(r.status).toBe(0);
  expect(created()).toHaveLength(1);
  expect(await w.status()).toMatchObject({ state: 'done', stateText: 'macOS is up to date', planId: null, planTargetVersion: null, machineSnapshot: null });
}, 60_000);

test('killed while pushing, then softwareupdate offers a newer update: the resumed run pushes that one', async () => {
  const planId = await firstRunKilledAt('plan');
  w.sim.control.completePlan(planId);
  w.sim.control.updateComputer(w.computer.id, { osVersion: '15.5', osBuild: '24F74' });
  w.mac.update({ availableUpdates: [{ label: 'macOS Sequoia 15.7-24G200', title: 'macOS Sequoia 15.7', version: '15.7', restart: true }] });

  const r = await w.run();
  expect(r.status).toBe(0);
  expect(created()).toHaveLength(2);
  const versions = w.sim.control.plans().map((p) => p.specificVersion).sort();
  expect(versions).toEqual(['15.6', '15.7']);
  expect(await w.status()).toMatchObject({ targetVersion: '15.7', planTargetVersion: '15.7' });
}, 60_000);

test('a fresh run after a completed plan for the same target follows it to verification instead of pushing again', async () => {
  w = await openRunWorld();
  await w.saveClient();
  expect((await w.run()).status).toBe(0);
  const [plan] = w.sim.control.plans();
  w.sim.control.completePlan(plan!.planUuid);
  // The fake Mac has not restarted into 15.6, so softwareupdate still offers it.
  const r = await w.run();
  expect(r.status).toBe(0);
  expect(created()).toHaveLength(1);
}, 60_000);
