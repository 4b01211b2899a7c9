import { createActor, toPromise } from 'xstate';
import { runMachine, type RunActorName } from '../../daemon/lifecycle/runMachine';
import { machineActors } from '../../daemon/lifecycle/runWorkflow';
import { trackedActors, type FakeSteps } from '../helpers/fakeSteps';
import type { RecoveryDecision, RunOutcome, StepResult } from '../../daemon/lifecycle/runTypes';
import type { UpdateTarget } from '../../daemon/workflow/contracts';
import type { FailureReason } from '../../daemon/workflow/failureReason';

const target: UpdateTarget = { version: '15.6', build: '24G84', label: 'macOS Sequoia 15.6-24G84', title: 'macOS Sequoia 15.6', kind: 'minor', restartRequired: true };
const host = { macOSVersion: '15.5', appleSilicon: true, hardwareUUID: 'UUID-1' };
const ok = <T>(value: T): StepResult<T> => ({ ok: true, value });
const fail = (reason: FailureReason): StepResult<never> => ({ ok: false, failure: { reason, message: `${reason} happened` } });

type Impl = Partial<FakeSteps>;

/** The happy Jamf path; each test overrides the steps it is about. Records every call. */
function actors(overrides: Impl = {}) {
  const calls: { name: RunActorName; input: unknown }[] = [];
  const base: FakeSteps = {
    checkHost: () => ok(host),
    findTarget: () => ok(target),
    selectAuth: () => ok('jamf-client'),
    validateCredentials: () => ok(null),
    resolveComputer: () => ok({ id: '42', managementId: 'm-42', source: 'lookup' }),
    checkPreconditions: () => ok(null),
    chooseWorkflow: () => ok('plans'),
    pushUpdate: () => ok({ planId: 'plan-1', followedExisting: false, updateAction: 'DOWNLOAD_INSTALL_ALLOW_DEFERRAL', enforceAt: null }),
    verifyUpdate: () => ok({ evidence: 'plan plan-1 completed', scheduled: false }),
    installLocally: () => ok(null),
    decideRecovery: (): RecoveryDecision => ({ action: 'defer', reason: 'error timer' }),
    authenticateUser: () => ok({ account: 'jdoe' }),
    reescrowBootstrap: () => ok(null),
    scheduleRetry: () => '2026-11-22T13:00:00.000Z',
    describePush: () => 'POST /api/v1/managed-software-updates/plans {}',
  };
  const all: FakeSteps = { ...base, ...overrides };
  return { calls, names: () => calls.map((c) => c.name), machine: runMachine.provide({ actors: machineActors(trackedActors(all, (name, input) => calls.push({ name, input }))) }) };
}

async function run(overrides: Impl = {}, input = { configHash: 'h', installNow: false, testMode: false, updateCheckDisabled: false }) {
  const a = actors(overrides);
  const actor = createActor(a.machine, { input });
  const states: string[] = [];
  actor.subscribe((s) => {
    if (states[states.length - 1] !== s.value) states.push(String(s.value));
  });
  actor.start();
  const outcome = (await toPromise(actor)) as RunOutcome;
  return { outcome, states, calls: a.calls, names: a.names() };
}

describe('runMachine', () => {
  test('Jamf method: every step in order, ending verified with exit 0', async () => {
    const r = await run();
    expect(r.names).toEqual(['checkHost', 'findTarget', 'selectAuth', 'validateCredentials', 'resolveComputer', 'checkPreconditions', 'chooseWorkflow', 'pushUpdate', 'verifyUpdate']);
    expect(r.outcome).toEqual({ result: 'verified', evidence: 'plan plan-1 completed' });
    expect(r.calls.find((c) => c.name === 'verifyUpdate')!.input).toEqual({ planId: 'plan-1', target, workflow: 'plans', enforceAt: null });
    expect(r.states.at(-1)).toBe('verified');
  });

  test('nothing to install: stops after finding the target, exit 0, no credential touched', async () => {
    const r = await run({ findTarget: () => ok(null) });
    expect(r.names).toEqual(['checkHost', 'findTarget']);
    expect(r.outcome).toEqual({ result: 'up-to-date' });
  });

  test.each(['local-account', 'service-account', 'user'] as const)('%s installs locally, without Jamf Pro', async (method) => {
    const r = await run({ selectAuth: () => ok(method) });
    expect(r.names).toEqual(['checkHost', 'findTarget', 'selectAuth', 'validateCredentials', 'installLocally']);
    expect(r.calls.at(-1)!.input).toEqual({ target, method });
    expect(r.outcome).toEqual({ result: 'installed-locally' });
  });

  test('a failure goes to the decision with its reason, and deferral ends with exit 75 and the next attempt', async () => {
    const r = await run({ checkPreconditions: () => fail('mdm-service-unavailable') });
    const decide = r.calls.find((c) => c.name === 'decideRecovery')!;
    expect(decide.input).toMatchObject({ failure: { reason: 'mdm-service-unavailable' }, failedOver: false, authMethod: 'jamf-client', target });
    expect(r.names.slice(-2)).toEqual(['decideRecovery', 'scheduleRetry']);
    expect(r.outcome).toEqual({ result: 'deferred', nextAttempt: '2026-11-22T13:00:00.000Z', failure: { reason: 'mdm-service-unavailable', message: 'mdm-service-unavailable happened' } });
  });

  test('fatal decision ends with its exit status and pushes nothing', async () => {
    const r = await run({ validateCredentials: () => fail('credentials-rejected'), decideRecovery: () => ({ action: 'fatal', reason: 'no failover', needs: 'credentials' }) });
    expect(r.names).not.toContain('pushUpdate');
    expect(r.outcome).toMatchObject({ result: 'failed', needs: 'credentials', failure: { reason: 'credentials-rejected' } });
  });

  test('failover to the user installs with the user credential', async () => {
    const r = await run({
      verifyUpdate: () => fail('verification-timeout'),
      decideRecovery: () => ({ action: 'failover-to-user', trigger: 'ALWAYS', reescrow: false }),
    });
    expect(r.names.slice(-3)).toEqual(['decideRecovery', 'authenticateUser', 'installLocally']);
    expect(r.calls.at(-1)!.input).toEqual({ target, method: 'user' });
    expect(r.outcome).toEqual({ result: 'installed-locally' });
  });

  test('bootstrap failover re-escrows, then tries the MDM path once more', async () => {
    let preconditions = 0;
    const r = await run({
      checkPreconditions: () => (++preconditions === 1 ? fail('bootstrap-missing') : ok(null)),
      decideRecovery: () => ({ action: 'failover-to-user', trigger: 'BOOTSTRAP', reescrow: true }),
    });
    expect(r.names).toEqual([
      'checkHost', 'findTarget', 'selectAuth', 'validateCredentials', 'resolveComputer', 'checkPreconditions',
      'decideRecovery', 'authenticateUser', 'reescrowBootstrap', 'checkPreconditions', 'chooseWorkflow', 'pushUpdate', 'verifyUpdate',
    ]);
    expect(r.outcome.result).toBe('verified');
  });

  test('a failure after failing over reaches the decision marked failedOver, so it cannot loop', async () => {
    const decisions: unknown[] = [];
    const r = await run({
      checkPreconditions: () => fail('bootstrap-invalid'),
      decideRecovery: (input: { failedOver: boolean }) => {
        decisions.push(input.failedOver);
        return input.failedOver ? { action: 'defer', reason: 'already failed over' } : { action: 'failover-to-user', trigger: 'BOOTSTRAP', reescrow: true };
      },
    });
    expect(decisions).toEqual([false, true]);
    expect(r.outcome.result).toBe('deferred');
  });

  test('a user who cancels the dialog is a failure decided like any other', async () => {
    const r = await run({
      pushUpdate: () => fail('push-rejected'),
      authenticateUser: () => fail('user-auth-cancelled'),
      decideRecovery: (input: { failedOver: boolean }) => (input.failedOver ? { action: 'defer', reason: 'x' } : { action: 'failover-to-user', trigger: 'ALWAYS', reescrow: false }),
    });
    expect(r.outcome).toMatchObject({ result: 'deferred', failure: { reason: 'user-auth-cancelled' } });
  });

  test('an unexpected exception in a step ends the run as crashed (exit 70) with its message', async () => {
    const r = await run({ resolveComputer: () => { throw new Error('boom'); } });
    expect(r.outcome).toEqual({ result: 'crashed', message: 'boom' });
  });

  test('install-now and the config hash reach the decision and the push', async () => {
    const r = await run({ verifyUpdate: () => fail('plan-failed') }, { configHash: 'abc', installNow: true, testMode: false, updateCheckDisabled: false });
    expect(r.calls.find((c) => c.name === 'pushUpdate')!.input).toMatchObject({ installNow: true, planId: null });
    expect(r.calls.find((c) => c.name === 'decideRecovery')!.input).toMatchObject({ installNow: true });
  });

  test('a snapshot persisted while pushing resumes by pushing again (the push step follows the existing plan)', async () => {
    const first = actors({ pushUpdate: () => new Promise(() => undefined) });
    const actor = createActor(first.machine, { input: { configHash: 'h', installNow: false, testMode: false, updateCheckDisabled: false } });
    actor.start();
    while (actor.getSnapshot().value !== 'pushing') await new Promise((r) => setImmediate(r));
    const persisted = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    actor.stop();
    expect(JSON.stringify(persisted)).not.toMatch(/secret|password/i);

    const second = actors();
    const resumed = createActor(second.machine, { snapshot: persisted, input: { configHash: 'h', installNow: false, testMode: false, updateCheckDisabled: false } });
    resumed.start();
    const outcome = await toPromise(resumed);
    expect(second.names()).toEqual(['pushUpdate', 'verifyUpdate']);
    expect(outcome).toMatchObject({ result: 'verified' });
  });

  test('TestMode: every read-only step, then the push described instead of sent', async () => {
    const r = await run({}, { configHash: 'h', installNow: false, testMode: true, updateCheckDisabled: false });
    expect(r.names).toEqual(['checkHost', 'findTarget', 'selectAuth', 'validateCredentials', 'resolveComputer', 'checkPreconditions', 'chooseWorkflow', 'describePush']);
    expect(r.outcome).toEqual({ result: 'test-mode', request: 'POST /api/v1/managed-software-updates/plans {}' });
  });

  test('WorkflowDisableUpdateCheck: no update is looked for and nothing is pushed', async () => {
    const r = await run({}, { configHash: 'h', installNow: false, testMode: false, updateCheckDisabled: true });
    expect(r.names).toEqual(['checkHost']);
    expect(r.outcome).toEqual({ result: 'update-check-disabled' });
  });

  test('a DDM plan reported scheduled ends the run as scheduled, with its enforcement time', async () => {
    const r = await run({
      pushUpdate: () => ok({ planId: 'plan-9', followedExisting: false, updateAction: 'DOWNLOAD_INSTALL_SCHEDULE', enforceAt: '2026-12-10T09:00:00.000Z' }),
      verifyUpdate: () => ok({ evidence: 'plan plan-9 is scheduled', scheduled: true }),
    });
    expect(r.calls.find((c) => c.name === 'verifyUpdate')!.input).toMatchObject({ enforceAt: '2026-12-10T09:00:00.000Z' });
    expect(r.outcome).toEqual({ result: 'scheduled', evidence: 'plan plan-9 is scheduled', enforceAt: '2026-12-10T09:00:00.000Z' });
  });
});
