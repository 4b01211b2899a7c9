/**
 * The edge of the lifecycle machine: supplies the actors, logs every transition as one
 * structured line, and persists the machine snapshot in the status plist before each step's
 * work begins, so a run killed at any point resumes where it was (design.md §5).
 */
import { createActor, fromPromise, toPromise, type AnyActorLogic, type Snapshot } from 'xstate';
import { readStatus, updateStatus, type RunState, type StatusRecord } from '../status/statusFile';
import type { MdmWorkflow, UpdateTarget } from '../workflow/contracts';
import type { WorkflowFailure } from '../workflow/failureReason';
import { RESUMABLE_STATES, runMachine } from './runMachine';
import type {
  ComputerIdentity,
  DecideInput,
  HostSummary,
  PushResult,
  RecoveryDecision,
  RunContext,
  RunInput,
  RunOutcome,
  StepResult,
  UserAuthResult,
} from './runTypes';
import type { AuthMethod } from '../status/statusFile';

/** The work behind each step of the machine. Each receives the AbortSignal of its state. */
export interface RunActors {
  checkHost(signal: AbortSignal): Promise<StepResult<HostSummary>>;
  findTarget(input: { host: HostSummary }, signal: AbortSignal): Promise<StepResult<UpdateTarget | null>>;
  selectAuth(signal: AbortSignal): Promise<StepResult<AuthMethod>>;
  validateCredentials(input: { method: AuthMethod }, signal: AbortSignal): Promise<StepResult<null>>;
  resolveComputer(input: { host: HostSummary }, signal: AbortSignal): Promise<StepResult<ComputerIdentity>>;
  checkPreconditions(input: { host: HostSummary }, signal: AbortSignal): Promise<StepResult<null>>;
  chooseWorkflow(input: { host: HostSummary }, signal: AbortSignal): Promise<StepResult<MdmWorkflow>>;
  pushUpdate(
    input: { workflow: MdmWorkflow; computer: ComputerIdentity; target: UpdateTarget; installNow: boolean; planId: string | null },
    signal: AbortSignal,
  ): Promise<StepResult<PushResult>>;
  verifyUpdate(input: { planId: string | null; target: UpdateTarget }, signal: AbortSignal): Promise<StepResult<string>>;
  installLocally(input: { target: UpdateTarget; method: AuthMethod }, signal: AbortSignal): Promise<StepResult<null>>;
  decideRecovery(input: DecideInput, signal: AbortSignal): Promise<RecoveryDecision>;
  authenticateUser(input: { reason: string }, signal: AbortSignal): Promise<StepResult<UserAuthResult>>;
  reescrowBootstrap(signal: AbortSignal): Promise<StepResult<null>>;
  /** Stores the next attempt (and the back-off streak) and returns it as ISO 8601. */
  scheduleRetry(input: { failure: WorkflowFailure }, signal: AbortSignal): Promise<string>;
}

export interface TransitionLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface RunWorkflowOptions {
  readonly root: string;
  readonly input: RunInput;
  readonly actors: RunActors;
  readonly log: TransitionLog;
  readonly now: () => Date;
  /** A persisted snapshot older than this is not resumed (default 24 hours). */
  readonly resumeWithinMs?: number;
}

const STATE_TEXT: Record<string, string> = {
  checkingHost: 'Checking this Mac',
  findingTarget: 'Looking for macOS updates',
  selectingAuth: 'Choosing the saved authentication method',
  validatingCredentials: 'Validating the saved credentials',
  resolvingComputer: 'Finding this Mac in Jamf Pro',
  checkingPreconditions: 'Checking MDM enrollment and the bootstrap token',
  choosingWorkflow: 'Choosing the Jamf Pro update workflow',
  pushing: 'Asking Jamf Pro to send the update',
  verifying: 'Waiting for this Mac to act on the update',
  installingLocally: 'Installing the update with a local credential',
  deciding: 'Deciding how to recover from a failure',
  authenticatingUser: 'Asking the logged-in user to authenticate',
  reescrowing: 'Escrowing the bootstrap token again',
  deferring: 'Scheduling the next attempt',
};

/** Runs the machine to its end and returns the outcome; the status plist tells the rest. */
export async function runWorkflow(options: RunWorkflowOptions): Promise<RunOutcome> {
  const { root, log, now } = options;
  const status = await readStatus(root);
  const resumed = resumableSnapshot(status, options.input, now(), options.resumeWithinMs ?? 24 * 3600_000);
  let persisted: Promise<unknown> = Promise.resolve();
  const machine = runMachine.provide({ actors: provideActors(options.actors, () => persisted) });
  const actor = resumed
    ? createActor(machine, { input: options.input, snapshot: resumed })
    : createActor(machine, { input: options.input });
  if (resumed) log.warn('resuming an interrupted run', { state: (resumed as unknown as { value: string }).value });

  let previous: string | null = null;
  actor.subscribe({
    next: (snapshot) => {
      const state = String(snapshot.value);
      if (state === previous) return;
      log.info('state', { from: previous, to: state, ...transitionFields(snapshot.context) });
      previous = state;
      if (snapshot.status !== 'active') return;
      const machineSnapshot = JSON.stringify(actor.getPersistedSnapshot());
      const change = activeStatus(state, snapshot.context, machineSnapshot);
      persisted = persisted.then(() => updateStatus(root, change, now()));
    },
    error: () => undefined,
  });
  actor.start();
  const outcome = (await toPromise(actor)) as RunOutcome;
  await persisted;
  await updateStatus(root, finalStatus(outcome, actor.getSnapshot().context), now());
  return outcome;
}

/**
 * Each actor waits until the snapshot of the state it belongs to is on disk, then works.
 * xstate starts an invoked actor before it notifies observers of the new state, so the
 * actor first yields once (the observer then queues the write) and then awaits the writes.
 */
function provideActors(actors: RunActors, persisted: () => Promise<unknown>): Record<keyof RunActors, AnyActorLogic> {
  const afterPersist = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    await persisted();
  };
  const withInput = <I, O>(fn: (input: I, signal: AbortSignal) => Promise<O>) =>
    fromPromise<O, I>(async ({ input, signal }) => {
      await afterPersist();
      return fn(input, signal);
    });
  const withoutInput = <O>(fn: (signal: AbortSignal) => Promise<O>) =>
    fromPromise<O>(async ({ signal }) => {
      await afterPersist();
      return fn(signal);
    });
  const a = actors;
  return {
    checkHost: withoutInput((s) => a.checkHost(s)),
    findTarget: withInput((i: { host: HostSummary }, s) => a.findTarget(i, s)),
    selectAuth: withoutInput((s) => a.selectAuth(s)),
    validateCredentials: withInput((i: { method: AuthMethod }, s) => a.validateCredentials(i, s)),
    resolveComputer: withInput((i: { host: HostSummary }, s) => a.resolveComputer(i, s)),
    checkPreconditions: withInput((i: { host: HostSummary }, s) => a.checkPreconditions(i, s)),
    chooseWorkflow: withInput((i: { host: HostSummary }, s) => a.chooseWorkflow(i, s)),
    pushUpdate: withInput((i: Parameters<RunActors['pushUpdate']>[0], s) => a.pushUpdate(i, s)),
    verifyUpdate: withInput((i: Parameters<RunActors['verifyUpdate']>[0], s) => a.verifyUpdate(i, s)),
    installLocally: withInput((i: Parameters<RunActors['installLocally']>[0], s) => a.installLocally(i, s)),
    decideRecovery: withInput((i: DecideInput, s) => a.decideRecovery(i, s)),
    authenticateUser: withInput((i: { reason: string }, s) => a.authenticateUser(i, s)),
    reescrowBootstrap: withoutInput((s) => a.reescrowBootstrap(s)),
    scheduleRetry: withInput((i: { failure: WorkflowFailure }, s) => a.scheduleRetry(i, s)),
  };
}

/**
 * A persisted snapshot is resumed only when the run was interrupted while a plan may exist
 * (pushing or verifying), recently, and under the same configuration.
 */
function resumableSnapshot(status: StatusRecord, input: RunInput, now: Date, withinMs: number): Snapshot<unknown> | null {
  if (!status.machineSnapshot || !status.updatedAt) return null;
  if (now.getTime() - Date.parse(status.updatedAt) > withinMs) return null;
  try {
    const snapshot = JSON.parse(status.machineSnapshot) as { status?: string; value?: string; context?: RunContext };
    if (snapshot.status !== 'active') return null;
    if (!(RESUMABLE_STATES as readonly string[]).includes(snapshot.value ?? '')) return null;
    if (snapshot.context?.configHash !== input.configHash) return null;
    return snapshot as Snapshot<unknown>;
  } catch {
    return null;
  }
}

function transitionFields(c: RunContext): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (c.authMethod) fields.authMethod = c.authMethod;
  if (c.target) fields.target = c.target.version;
  if (c.computer) fields.computerId = c.computer.id;
  if (c.workflow) fields.workflow = c.workflow;
  if (c.planId) fields.planId = c.planId;
  if (c.failure) fields.failure = c.failure.reason;
  return fields;
}

function activeStatus(state: string, c: RunContext, machineSnapshot: string): Partial<StatusRecord> {
  // Only what this run has learnt: a value not known yet keeps the one a previous run saved
  // (the computer id and the plan id are read back by later steps).
  const change: Partial<StatusRecord> = { state: 'running', stateText: STATE_TEXT[state] ?? state, machineSnapshot };
  if (c.authMethod) change.authMethod = c.authMethod;
  if (c.computer) change.computerId = c.computer.id;
  if (c.target) change.targetVersion = c.target.version;
  if (c.planId) change.planId = c.planId;
  return change;
}

function finalStatus(outcome: RunOutcome, c: RunContext): Partial<StatusRecord> {
  const base: Partial<StatusRecord> = { machineSnapshot: null };
  if (c.authMethod) base.authMethod = c.authMethod;
  if (c.computer) base.computerId = c.computer.id;
  if (c.target) base.targetVersion = c.target.version;
  const success = (state: RunState, stateText: string): Partial<StatusRecord> => ({ ...base, state, stateText, nextAttempt: null, lastError: null, errorStreak: null });
  switch (outcome.result) {
    case 'up-to-date':
      return { ...success('done', 'macOS is up to date'), planId: null };
    case 'verified':
      return success(c.target?.restartRequired === false ? 'done' : 'waiting-restart', `macOS ${c.target?.version ?? ''} is prepared: ${outcome.evidence}`.trim());
    case 'installed-locally':
      return { ...success('waiting-restart', `macOS ${c.target?.version ?? ''} installed with a local credential; restarting`), planId: null };
    case 'deferred':
      return { ...base, state: 'deferred', stateText: `Retrying at ${outcome.nextAttempt}`, nextAttempt: outcome.nextAttempt, lastError: { code: outcome.failure.reason, message: outcome.failure.message } };
    case 'failed':
      return { ...base, state: 'error', stateText: 'Needs an administrator', nextAttempt: null, lastError: { code: outcome.failure.reason, message: outcome.failure.message } };
    case 'crashed':
      return { ...base, state: 'error', stateText: 'Internal error', nextAttempt: null, lastError: { code: 'internal', message: outcome.message } };
  }
}
