/**
 * The edge of the lifecycle machine: supplies the steps, logs every transition as one
 * structured line, and writes the status through the run's one status writer — at the start,
 * before the work of each state a killed run must resume (the machine snapshot is on disk
 * first), and at the end (design.md §5).
 */
import { createActor, fromPromise, toPromise, type PromiseActorLogic, type Snapshot } from 'xstate';
import { readStatus, type StatusRecord } from '../status/statusFile';
import { activeStatus, finalStatus } from './runStatus';
import { RESUMABLE_STATES, runMachine, type RunActorName, type StepInput, type StepOutput } from './runMachine';
import type { RunLog, RunSession } from './runSession';
import type { RunContext, RunInput, RunOutcome } from './runTypes';
import type { RunSteps } from './steps';
import { createStatusWriter, type StatusWriter } from './statusWriter';

/** The steps of one run, bound to its session: what the machine's actors call. */
export type BoundStep<K extends RunActorName> = (input: StepInput<K>, signal: AbortSignal) => Promise<StepOutput<K>>;
export type RunActors = { readonly [K in RunActorName]: BoundStep<K> };

/** Binds every step to one session. */
export function bindSteps(steps: RunSteps, session: RunSession): RunActors {
  const bound = {} as Record<RunActorName, unknown>;
  for (const name of Object.keys(steps) as RunActorName[]) {
    const step = steps[name] as (s: RunSession, i: unknown, signal: AbortSignal) => Promise<unknown>;
    bound[name] = (input: unknown, signal: AbortSignal) => step(session, input, signal);
  }
  return bound as RunActors;
}

/** Where each transition is logged: the run's own log shape. */
export type TransitionLog = RunLog;

export interface RunWorkflowOptions {
  readonly root: string;
  readonly input: RunInput;
  readonly actors: RunActors;
  readonly log: TransitionLog;
  readonly now: () => Date;
  /** The run's status writer (shared with its steps); made here from the file when absent. */
  readonly status?: StatusWriter;
  /** A persisted snapshot older than this is not resumed (default 24 hours). */
  readonly resumeWithinMs?: number;
}

/**
 * States whose work may take long or must survive a kill: their snapshot and text are written
 * before the work begins. The others pass in moments and are not written one by one.
 */
const WRITTEN_ON_ENTRY: readonly string[] = [...RESUMABLE_STATES, 'installingLocally', 'authenticatingUser', 'reescrowing'];

/** Runs the machine to its end and returns the outcome; the status plist tells the rest. */
export async function runWorkflow(options: RunWorkflowOptions): Promise<RunOutcome> {
  const { root, log, now } = options;
  const status = options.status ?? createStatusWriter(root, await readStatus(root), now);
  const resumed = resumableSnapshot(status.view, options.input, now(), options.resumeWithinMs ?? 24 * 3600_000);
  const machine = runMachine.provide({ actors: provideActors(options.actors, status) });
  const actor = resumed
    ? createActor(machine, { input: options.input, snapshot: resumed })
    : createActor(machine, { input: options.input });
  if (resumed) log.warn('resuming an interrupted run', { state: (resumed as unknown as { value: string }).value });

  let previous: string | null = null;
  actor.subscribe({
    next: (snapshot) => {
      const state = String(snapshot.value);
      if (state === previous) return;
      const first = previous === null;
      log.info('state', { from: previous, to: state, ...transitionFields(snapshot.context) });
      previous = state;
      if (snapshot.status !== 'active') return;
      if (first || WRITTEN_ON_ENTRY.includes(state)) {
        const machineSnapshot = WRITTEN_ON_ENTRY.includes(state) ? JSON.stringify(actor.getPersistedSnapshot()) : null;
        void status.write(activeStatus(state, snapshot.context, machineSnapshot));
      }
    },
    error: () => undefined,
  });
  actor.start();
  const outcome = (await toPromise(actor)) as RunOutcome;
  await status.write(finalStatus(outcome, actor.getSnapshot().context, now()));
  return outcome;
}

/**
 * Each actor waits until what its state wrote is on disk, then works. xstate starts an invoked
 * actor before it notifies observers of the new state, so the actor first yields once (the
 * observer then queues the write) and then waits for the writer.
 */
function provideActors(actors: RunActors, status: StatusWriter) {
  return machineActors(actors, async () => {
    await new Promise((resolve) => setImmediate(resolve));
    await status.flushed();
  });
}

/** The machine's actors from bound steps, each awaiting `before` first; typed by the machine's contract. */
export function machineActors(actors: RunActors, before: () => Promise<void> = async () => undefined): { [K in RunActorName]: PromiseActorLogic<StepOutput<K>, StepInput<K>> } {
  const afterWrites = before;
  const provide = <K extends RunActorName>(name: K) =>
    fromPromise<StepOutput<K>, StepInput<K>>(async ({ input, signal }) => {
      await afterWrites();
      const step: BoundStep<K> = actors[name];
      return step(input, signal);
    });
  return {
    checkHost: provide('checkHost'),
    findTarget: provide('findTarget'),
    selectAuth: provide('selectAuth'),
    validateCredentials: provide('validateCredentials'),
    resolveComputer: provide('resolveComputer'),
    checkPreconditions: provide('checkPreconditions'),
    chooseWorkflow: provide('chooseWorkflow'),
    pushUpdate: provide('pushUpdate'),
    verifyUpdate: provide('verifyUpdate'),
    installLocally: provide('installLocally'),
    decideRecovery: provide('decideRecovery'),
    authenticateUser: provide('authenticateUser'),
    reescrowBootstrap: provide('reescrowBootstrap'),
    scheduleRetry: provide('scheduleRetry'),
    describePush: provide('describePush'),
  };
}

/**
 * A persisted snapshot is resumed only when the run was interrupted while a plan may exist
 * (pushing or verifying), recently, and under the same configuration.
 */
function resumableSnapshot(status: Readonly<StatusRecord>, input: RunInput, now: Date, withinMs: number): Snapshot<unknown> | null {
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
