/**
 * The machine's side of the resume re-checks (daemon/lifecycle/runMachine.ts, pushing): a push
 * that found nothing to push ends up to date without verifying; a push that found a newer
 * target hands that target to verification; a refused push (the plan on record failed) goes
 * to the recovery decision like any other failure.
 */
import { createActor, toPromise } from 'xstate';
import { runMachine, type RunActorName } from '../../daemon/lifecycle/runMachine';
import { machineActors } from '../../daemon/lifecycle/runWorkflow';
import type { RecoveryDecision, RunOutcome, StepResult } from '../../daemon/lifecycle/runTypes';
import type { UpdateTarget } from '../../daemon/workflow/contracts';
import { trackedActors, type FakeSteps } from '../helpers/fakeSteps';

const target: UpdateTarget = { version: '15.6', build: '24G84', label: 'macOS Sequoia 15.6-24G84', title: 'macOS Sequoia 15.6', kind: 'minor', restartRequired: true };
const newer: UpdateTarget = { ...target, version: '15.7', build: '24G200', label: 'macOS Sequoia 15.7-24G200', title: 'macOS Sequoia 15.7' };
const ok = <T>(value: T): StepResult<T> => ({ ok: true, value });

async function run(pushUpdate: FakeSteps['pushUpdate']) {
  const calls: { name: RunActorName; input: unknown }[] = [];
  const steps: FakeSteps = {
    checkHost: () => ok({ macOSVersion: '15.5', appleSilicon: true, hardwareUUID: 'UUID-1' }),
    findTarget: () => ok(target),
    selectAuth: () => ok('jamf-client'),
    validateCredentials: () => ok(null),
    resolveComputer: () => ok({ id: '42', managementId: 'm-42', source: 'lookup' }),
    checkPreconditions: () => ok(null),
    chooseWorkflow: () => ok('plans'),
    pushUpdate,
    verifyUpdate: () => ok({ evidence: 'plan plan-1 completed', scheduled: false }),
    installLocally: () => ok(null),
    decideRecovery: (): RecoveryDecision => ({ action: 'defer', reason: 'error timer' }),
    authenticateUser: () => ok({ account: 'jdoe' }),
    reescrowBootstrap: () => ok(null),
    scheduleRetry: () => '2026-11-22T13:00:00.000Z',
    describePush: () => 'POST /api/v1/managed-software-updates/plans {}',
  };
  const machine = runMachine.provide({ actors: machineActors(trackedActors(steps, (name, input) => calls.push({ name, input }))) });
  const actor = createActor(machine, { input: { configHash: 'h', installNow: false, testMode: false, updateCheckDisabled: false } });
  actor.start();
  const outcome = (await toPromise(actor)) as RunOutcome;
  return { outcome, calls, context: actor.getSnapshot().context };
}

test('nothing to push (the Mac is already on the target): up to date, nothing verified', async () => {
  const r = await run(() => ok({ planId: null, followedExisting: false, updateAction: 'NONE', enforceAt: null, target, nothingToPush: true }));
  expect(r.outcome).toEqual({ result: 'up-to-date' });
  expect(r.calls.map((c) => c.name)).not.toContain('verifyUpdate');
});

test('a newer target found when the push looked again is the one verified and recorded', async () => {
  const r = await run(() => ok({ planId: 'plan-2', followedExisting: false, updateAction: 'DOWNLOAD_INSTALL_ALLOW_DEFERRAL', enforceAt: null, target: newer }));
  expect(r.outcome).toMatchObject({ result: 'verified' });
  const verify = r.calls.find((c) => c.name === 'verifyUpdate')!.input as { planId: string; target: UpdateTarget };
  expect(verify).toMatchObject({ planId: 'plan-2', target: { version: '15.7' } });
  expect(r.context.target?.version).toBe('15.7');
});

test('a push without a new target keeps the one found', async () => {
  const r = await run(() => ok({ planId: 'plan-1', followedExisting: true, updateAction: 'DOWNLOAD_INSTALL_ALLOW_DEFERRAL', enforceAt: null }));
  expect(r.context.target?.version).toBe('15.6');
});

test('the plan on record failed: the push fails with its reason and the recovery path decides (here a deferral)', async () => {
  const r = await run(() => ({ ok: false, failure: { reason: 'plan-failed', message: 'Jamf Pro plan P ended PlanFailed. NO_DISK_SPACE: …' } }));
  expect(r.outcome).toMatchObject({ result: 'deferred', failure: { reason: 'plan-failed' } });
  expect(r.calls.map((c) => c.name)).toEqual(expect.arrayContaining(['decideRecovery', 'scheduleRetry']));
  expect(r.calls.map((c) => c.name)).not.toContain('verifyUpdate');
});
