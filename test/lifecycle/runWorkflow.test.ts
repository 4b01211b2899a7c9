import { copyFile } from 'node:fs/promises';
import type { RunActorName } from '../../daemon/lifecycle/runMachine';
import { runWorkflow, type RunActors } from '../../daemon/lifecycle/runWorkflow';
import { trackedActors, type FakeSteps } from '../helpers/fakeSteps';
import type { StepResult } from '../../daemon/lifecycle/runTypes';
import { hostPath, superdPaths } from '../../daemon/host/paths';
import { readStatus } from '../../daemon/status/statusFile';
import type { UpdateTarget } from '../../daemon/workflow/contracts';
import { makeTempRoot } from '../helpers/tempRoot';

const target: UpdateTarget = { version: '15.6', build: '24G84', label: 'macOS Sequoia 15.6-24G84', title: 'macOS Sequoia 15.6', kind: 'minor', restartRequired: true };
const ok = <T>(value: T): StepResult<T> => ({ ok: true, value });
const now = () => new Date('2026-11-22T12:00:00Z');

function fakeActors(overrides: Partial<FakeSteps> = {}): { actors: RunActors; calls: RunActorName[] } {
  const base: FakeSteps = {
    checkHost: async () => ok({ macOSVersion: '15.5', appleSilicon: true, hardwareUUID: 'U' }),
    findTarget: async () => ok(target),
    selectAuth: async () => ok('jamf-client'),
    validateCredentials: async () => ok(null),
    resolveComputer: async () => ok({ id: '42', managementId: 'm', source: 'lookup' }),
    checkPreconditions: async () => ok(null),
    chooseWorkflow: async () => ok('plans'),
    pushUpdate: async () => ok({ planId: 'plan-1', followedExisting: false, updateAction: 'DOWNLOAD_INSTALL_ALLOW_DEFERRAL', enforceAt: null }),
    verifyUpdate: async () => ok({ evidence: 'plan completed', scheduled: false }),
    installLocally: async () => ok(null),
    decideRecovery: async () => ({ action: 'defer', reason: 'error timer' }),
    authenticateUser: async () => ok({ account: 'jdoe' }),
    reescrowBootstrap: async () => ok(null),
    scheduleRetry: async () => '2026-11-22T13:00:00.000Z',
    describePush: () => 'POST /api/v1/managed-software-updates/plans {}',
  };
  const calls: RunActorName[] = [];
  return { actors: trackedActors({ ...base, ...overrides }, (name) => calls.push(name)), calls };
}

function captureLog() {
  const lines: { message: string; fields?: Record<string, unknown> }[] = [];
  return { lines, log: { info: (message: string, fields?: Record<string, unknown>) => lines.push({ message, fields }), warn: (message: string, fields?: Record<string, unknown>) => lines.push({ message, fields }) } };
}

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ root, cleanup } = await makeTempRoot()));
afterEach(() => cleanup());

test('each transition is one log line and the final status says what happened', async () => {
  const { actors } = fakeActors();
  const { lines, log } = captureLog();
  const outcome = await runWorkflow({ root, input: { configHash: 'h', installNow: false, testMode: false, updateCheckDisabled: false }, actors, log, now });
  expect(outcome.result).toBe('verified');
  expect(lines.map((l) => l.fields?.to)).toEqual(['checkingHost', 'findingTarget', 'selectingAuth', 'validatingCredentials', 'resolvingComputer', 'checkingPreconditions', 'choosingWorkflow', 'pushing', 'verifying', 'verified']);
  expect(lines.at(-1)!.fields).toMatchObject({ from: 'verifying', planId: 'plan-1', computerId: '42', target: '15.6' });
  const status = await readStatus(root);
  expect(status).toMatchObject({ state: 'waiting-restart', authMethod: 'jamf-client', computerId: '42', targetVersion: '15.6', planId: 'plan-1', machineSnapshot: null, nextAttempt: null, lastError: null });
});

test('the snapshot of a step is on disk before the step works', async () => {
  let seen: Awaited<ReturnType<typeof readStatus>> | null = null;
  const { actors } = fakeActors({
    pushUpdate: async () => {
      seen = await readStatus(root);
      return ok({ planId: 'plan-1', followedExisting: false, updateAction: 'DOWNLOAD_INSTALL_ALLOW_DEFERRAL', enforceAt: null });
    },
  });
  await runWorkflow({ root, input: { configHash: 'h', installNow: false, testMode: false, updateCheckDisabled: false }, actors, log: captureLog().log, now });
  expect(seen!.state).toBe('running');
  expect(seen!.stateText).toBe('Asking Jamf Pro to send the update');
  expect(JSON.parse(seen!.machineSnapshot!)).toMatchObject({ status: 'active', value: 'pushing', context: { computer: { id: '42' }, workflow: 'plans' } });
});

describe('a run killed while pushing', () => {
  async function killedWhilePushing(): Promise<void> {
    const statusFile = hostPath(superdPaths.status, root);
    const { actors } = fakeActors({
      pushUpdate: async () => {
        // What the disk holds at the moment of a kill -9 inside the push.
        await copyFile(statusFile, `${statusFile}.at-kill`);
        return ok({ planId: 'plan-1', followedExisting: false, updateAction: 'DOWNLOAD_INSTALL_ALLOW_DEFERRAL', enforceAt: null });
      },
    });
    await runWorkflow({ root, input: { configHash: 'h', installNow: false, testMode: false, updateCheckDisabled: false }, actors, log: captureLog().log, now });
    await copyFile(`${statusFile}.at-kill`, statusFile);
  }

  test('resumes at the push on the next run, without repeating the earlier steps', async () => {
    await killedWhilePushing();
    const { actors, calls } = fakeActors({ pushUpdate: async (input) => ok({ planId: input.planId ?? 'plan-1', followedExisting: true, updateAction: 'DOWNLOAD_INSTALL_ALLOW_DEFERRAL', enforceAt: null }) });
    const { lines, log } = captureLog();
    const outcome = await runWorkflow({ root, input: { configHash: 'h', installNow: false, testMode: false, updateCheckDisabled: false }, actors, log, now: () => new Date('2026-11-22T12:05:00Z') });
    expect(calls).toEqual(['pushUpdate', 'verifyUpdate']);
    expect(lines[0]).toMatchObject({ message: 'resuming an interrupted run', fields: { state: 'pushing' } });
    expect(outcome.result).toBe('verified');
  });

  test('starts afresh when the configuration changed or the snapshot is old', async () => {
    await killedWhilePushing();
    const changed = fakeActors();
    await runWorkflow({ root, input: { configHash: 'other', installNow: false, testMode: false, updateCheckDisabled: false }, actors: changed.actors, log: captureLog().log, now });
    expect(changed.calls[0]).toBe('checkHost');

    await killedWhilePushing();
    const late = fakeActors();
    await runWorkflow({ root, input: { configHash: 'h', installNow: false, testMode: false, updateCheckDisabled: false }, actors: late.actors, log: captureLog().log, now: () => new Date('2026-11-24T12:00:00Z') });
    expect(late.calls[0]).toBe('checkHost');
  });
});

test('a deferred run records the next attempt and the last error', async () => {
  const { actors } = fakeActors({ checkPreconditions: async () => ({ ok: false, failure: { reason: 'bootstrap-missing', message: 'Escrow the bootstrap token.' } }) });
  const outcome = await runWorkflow({ root, input: { configHash: 'h', installNow: false, testMode: false, updateCheckDisabled: false }, actors, log: captureLog().log, now });
  expect(outcome).toMatchObject({ result: 'deferred' });
  expect(await readStatus(root)).toMatchObject({ state: 'deferred', nextAttempt: '2026-11-22T13:00:00.000Z', lastError: { code: 'bootstrap-missing', message: 'Escrow the bootstrap token.' }, machineSnapshot: null });
});
