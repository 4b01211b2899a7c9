/**
 * Issue 6's table: every failover type × failure reason × deadline state × install-now, driven
 * through the real lifecycle machine with the real decision (decideFailover) and the real
 * back-off (scheduleRetry), the Mac-side actors faked. Asserts: dialog shown or not, re-escrow
 * tried or not, local install or deferral, exit status, next attempt.
 */
import { createActor, toPromise } from 'xstate';
import { exitStatusForOutcome } from '../../daemon/exitStatus';
import type { MdmFailoverType } from '../../daemon/config/schema';
import { decideFailover } from '../../daemon/failover/decideFailover';
import { runMachine, type RunActorName } from '../../daemon/lifecycle/runMachine';
import { machineActors } from '../../daemon/lifecycle/runWorkflow';
import { trackedActors, type FakeSteps } from '../helpers/fakeSteps';
import type { RunOutcome, StepResult } from '../../daemon/lifecycle/runTypes';
import { scheduleRetry } from '../../daemon/schedule/deferral';
import type { FailureReason } from '../../daemon/workflow/failureReason';

const NOW = new Date('2026-11-22T12:00:00Z');
const target = { version: '15.6', build: '24G84', label: 'macOS Sequoia 15.6-24G84', title: 'macOS Sequoia 15.6', kind: 'minor' as const, restartRequired: true };
const ok = <T>(value: T): StepResult<T> => ({ ok: true, value });
const fail = (reason: FailureReason): StepResult<never> => ({ ok: false, failure: { reason, message: reason } });

/** Where each failure of the table happens in a run. */
type FailingStep = 'checkPreconditions' | 'validateCredentials' | 'pushUpdate' | 'verifyUpdate';
const FAILURES: Record<string, { reason: FailureReason; step: FailingStep }> = {
  'MDM service down': { reason: 'mdm-service-unavailable', step: 'checkPreconditions' },
  'credentials rejected': { reason: 'credentials-rejected', step: 'validateCredentials' },
  'bootstrap missing': { reason: 'bootstrap-missing', step: 'checkPreconditions' },
  'bootstrap invalid': { reason: 'bootstrap-invalid', step: 'checkPreconditions' },
  'push rejected': { reason: 'push-rejected', step: 'pushUpdate' },
  'plan failed': { reason: 'plan-failed', step: 'verifyUpdate' },
  'verification timeout': { reason: 'verification-timeout', step: 'verifyUpdate' },
};
const TYPES: MdmFailoverType[][] = [[], ['ALWAYS'], ['NOSERVICE'], ['HARD'], ['SOFT'], ['INSTALLNOW'], ['BOOTSTRAP']];
const DEADLINES = { none: { softPassed: false, hardPassed: false }, 'soft passed': { softPassed: true, hardPassed: false }, 'hard passed': { softPassed: true, hardPassed: true } } as const;

/** What the seed says should happen, written independently of decideFailover. */
function expected(types: MdmFailoverType[], reason: FailureReason, deadline: keyof typeof DEADLINES, installNow: boolean) {
  const noservice = ['mdm-service-unavailable', 'credentials-rejected'].includes(reason);
  const bootstrap = reason.startsWith('bootstrap');
  const fails =
    types.includes('ALWAYS') ||
    (types.includes('NOSERVICE') && noservice) ||
    (types.includes('BOOTSTRAP') && bootstrap) ||
    (types.includes('HARD') && deadline === 'hard passed') ||
    (types.includes('SOFT') && deadline !== 'none') ||
    (types.includes('INSTALLNOW') && installNow);
  const reescrow = fails && bootstrap && (types.includes('BOOTSTRAP') || types.includes('ALWAYS'));
  return { dialog: fails, reescrow, localInstall: fails && !reescrow, deferred: !fails && reason !== 'credentials-rejected', exit: fails ? 0 : reason === 'credentials-rejected' ? 77 : 75 };
}

const cases: Array<[string, MdmFailoverType[], string, keyof typeof DEADLINES, boolean]> = [];
for (const types of TYPES) for (const failure of Object.keys(FAILURES)) for (const deadline of Object.keys(DEADLINES) as (keyof typeof DEADLINES)[]) for (const installNow of [false, true]) {
  cases.push([types.join(',') || 'none', types, failure, deadline, installNow]);
}

test.each(cases)('failover %s × %s × deadline %s × install-now %s', async (_label, types, failureName, deadline, installNow) => {
  const { reason, step } = FAILURES[failureName]!;
  const recorded: { name: RunActorName; input: unknown }[] = [];
  let preconditionRuns = 0;
  const impl: FakeSteps = {
    checkHost: () => ok({ macOSVersion: '15.5', appleSilicon: true, hardwareUUID: 'U' }),
    findTarget: () => ok(target),
    selectAuth: () => ok('jamf-client'),
    validateCredentials: () => ok(null),
    resolveComputer: () => ok({ id: '1', managementId: 'm', source: 'lookup' }),
    checkPreconditions: () => ok(null),
    chooseWorkflow: () => ok('plans'),
    pushUpdate: () => ok({ planId: 'p', followedExisting: false, updateAction: 'DOWNLOAD_INSTALL_ALLOW_DEFERRAL', enforceAt: null }),
    verifyUpdate: () => ok({ evidence: 'plan completed', scheduled: false }),
    installLocally: () => ok(null),
    authenticateUser: () => ok({ account: 'jdoe' }),
    reescrowBootstrap: () => ok(null),
    decideRecovery: (input) =>
      decideFailover({ failure: input.failure.reason, types, deadlines: DEADLINES[deadline], installNow: input.installNow, credentialFailover: false, failedOver: input.failedOver }),
    scheduleRetry: (input) => scheduleRetry({ now: NOW, failureCode: input.failure.reason, configHash: 'h', previous: null, deferralErrorMinutes: 60 }).nextAttempt.toISOString(),
    describePush: () => 'POST /api/v1/managed-software-updates/plans {}',
  };
  // The step fails once; after a re-escrow the bootstrap check passes.
  const failing: FakeSteps = { ...impl, [step]: () => fail(reason) };
  if (step === 'checkPreconditions') failing.checkPreconditions = () => (preconditionRuns++ > 0 ? ok(null) : fail(reason));
  const actor = createActor(runMachine.provide({ actors: machineActors(trackedActors(failing, (name, input) => recorded.push({ name, input }))) }), { input: { configHash: 'h', installNow, testMode: false, updateCheckDisabled: false } });
  actor.start();
  const outcome = (await toPromise(actor)) as RunOutcome;
  const calls = recorded.map((c) => c.name);

  const want = expected(types, reason, deadline, installNow);
  expect({
    dialog: calls.includes('authenticateUser'),
    reescrow: calls.includes('reescrowBootstrap'),
    localInstall: calls.includes('installLocally'),
    deferred: outcome.result === 'deferred',
    exit: exitStatusForOutcome(outcome),
  }).toEqual(want);
  // The error timer is 60 minutes; a Jamf Pro outage gets full jitter within it (spread.ts).
  if (want.deferred) expect(Date.parse((outcome as { nextAttempt: string }).nextAttempt) - NOW.getTime()).toBeGreaterThanOrEqual(60_000);
  if (want.deferred) expect(Date.parse((outcome as { nextAttempt: string }).nextAttempt) - NOW.getTime()).toBeLessThanOrEqual(3600_000);
  if (want.reescrow) expect(calls.slice(-3)).toEqual(['chooseWorkflow', 'pushUpdate', 'verifyUpdate']);
});
