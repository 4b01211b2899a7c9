/**
 * One run of the update workflow, as a state machine (design.md §5). This file does no I/O:
 * every step is an actor named here and implemented at the edge (runActors.ts), supplied with
 * `runMachine.provide({ actors })`. Tests drive every path with fake actors.
 *
 *   checkingHost → findingTarget → selectingAuth → validatingCredentials
 *     → (Jamf method) resolvingComputer → checkingPreconditions → choosingWorkflow → pushing → verifying → verified
 *                                                                                   (resumed, nothing to push) → upToDate
 *     → (local method) installingLocally → installedLocally
 *   a failure anywhere → deciding → authenticatingUser [→ reescrowing → checkingPreconditions]
 *                                                      [→ installingLocally]
 *                                 → deferring → deferred | failed
 */
import { assign, fromPromise, setup, type InputFrom, type OutputFrom } from 'xstate';
import { InternalError } from '../errors';
import type { AuthMethod } from '../status/statusFile';
import type { MdmWorkflow, UpdateTarget } from '../workflow/contracts';
import type { WorkflowFailure } from '../workflow/failureReason';
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
  VerifyResultValue,
} from './runTypes';

const JAMF_METHODS: readonly AuthMethod[] = ['jamf-client', 'jamf-account'];

/** Declares an actor's shape; the edge must provide the implementation. */
function unprovided<Out, In = void>(name: string) {
  return fromPromise<Out, In>(async () => {
    throw new InternalError(`the lifecycle actor "${name}" was not provided`);
  });
}

type Step<T> = StepResult<T>;
type Done<T> = { output: Step<T> };

const stepOf = (event: unknown): Step<unknown> => (event as Done<unknown>).output;
const valueOf = <T>(event: { output: Step<T> }): T => (event.output as { ok: true; value: T }).value;

/** Where a failure goes: the recovery decision, with the failure recorded. */
const toDeciding = { guard: 'failed', target: 'deciding', actions: 'recordFailure' } as const;

/**
 * The contract between the machine and the edge, declared once: each actor's input and output.
 * The edge (runWorkflow.ts) supplies one step per name (daemon/lifecycle/steps/), typed from here.
 */
export const runActorLogic = {
  checkHost: unprovided<Step<HostSummary>>('checkHost'),
  findTarget: unprovided<Step<UpdateTarget | null>, { host: HostSummary }>('findTarget'),
  selectAuth: unprovided<Step<AuthMethod>>('selectAuth'),
  validateCredentials: unprovided<Step<null>, { method: AuthMethod }>('validateCredentials'),
  resolveComputer: unprovided<Step<ComputerIdentity>, { host: HostSummary }>('resolveComputer'),
  checkPreconditions: unprovided<Step<null>, { host: HostSummary }>('checkPreconditions'),
  chooseWorkflow: unprovided<Step<MdmWorkflow>, { host: HostSummary; computer: ComputerIdentity | null }>('chooseWorkflow'),
  pushUpdate: unprovided<Step<PushResult>, { workflow: MdmWorkflow; computer: ComputerIdentity; target: UpdateTarget; installNow: boolean; planId: string | null }>('pushUpdate'),
  verifyUpdate: unprovided<Step<VerifyResultValue>, { planId: string | null; target: UpdateTarget; workflow: MdmWorkflow | null; enforceAt: string | null; updateAction: string | null }>('verifyUpdate'),
  /** TestMode: the exact request the push would send, described (nothing is sent). */
  describePush: unprovided<string, { workflow: MdmWorkflow; computer: ComputerIdentity; target: UpdateTarget; installNow: boolean }>('describePush'),
  installLocally: unprovided<Step<null>, { target: UpdateTarget; method: AuthMethod }>('installLocally'),
  decideRecovery: unprovided<RecoveryDecision, DecideInput>('decideRecovery'),
  authenticateUser: unprovided<Step<UserAuthResult>, { reason: string }>('authenticateUser'),
  reescrowBootstrap: unprovided<Step<null>>('reescrowBootstrap'),
  scheduleRetry: unprovided<string, { failure: WorkflowFailure }>('scheduleRetry'),
};
export type RunActorName = keyof typeof runActorLogic;
export type StepInput<K extends RunActorName> = InputFrom<(typeof runActorLogic)[K]>;
export type StepOutput<K extends RunActorName> = OutputFrom<(typeof runActorLogic)[K]>;

export const runMachine = setup({
  types: {
    context: {} as RunContext,
    input: {} as RunInput,
    output: {} as RunOutcome,
  },
  actors: runActorLogic,
  actions: {
    recordFailure: assign({
      failure: ({ event }) => {
        const step = stepOf(event);
        return step.ok ? null : step.failure;
      },
    }),
  },
  guards: {
    failed: ({ event }) => !stepOf(event).ok,
    noUpdate: ({ event }) => {
      const e = event as unknown as Done<UpdateTarget | null>;
      return e.output.ok && e.output.value === null;
    },
    usesJamf: ({ context }) => context.authMethod !== null && JAMF_METHODS.includes(context.authMethod),
    failingOver: ({ event }) => (event as unknown as { output: RecoveryDecision }).output.action === 'failover-to-user',
    deferring: ({ event }) => (event as unknown as { output: RecoveryDecision }).output.action === 'defer',
    reescrowWanted: ({ context }) => context.recovery?.action === 'failover-to-user' && context.recovery.reescrow,
    updateCheckDisabled: ({ context }) => context.updateCheckDisabled,
    testMode: ({ context }) => context.testMode,
    nothingToPush: ({ event }) => {
      const e = event as unknown as Done<PushResult>;
      return e.output.ok && e.output.value.nothingToPush === true;
    },
    scheduled: ({ event }) => {
      const e = event as unknown as Done<VerifyResultValue>;
      return e.output.ok && e.output.value.scheduled;
    },
  },
}).createMachine({
  id: 'superdRun',
  context: ({ input }) => ({
    ...input,
    host: null,
    target: null,
    authMethod: null,
    computer: null,
    workflow: null,
    planId: null,
    push: null,
    failure: null,
    failedOver: false,
    recovery: null,
    outcome: null,
  }),
  initial: 'checkingHost',
  states: {
    checkingHost: {
      invoke: {
        src: 'checkHost',
        onDone: [
          toDeciding,
          { guard: 'updateCheckDisabled', target: 'updateCheckDisabled', actions: assign({ host: ({ event }) => valueOf(event) }) },
          { target: 'findingTarget', actions: assign({ host: ({ event }) => valueOf(event) }) },
        ],
        onError: 'crashed',
      },
    },
    findingTarget: {
      invoke: {
        src: 'findTarget',
        input: ({ context }) => ({ host: context.host! }),
        onDone: [
          toDeciding,
          { guard: 'noUpdate', target: 'upToDate' },
          { target: 'selectingAuth', actions: assign({ target: ({ event }) => valueOf(event) }) },
        ],
        onError: 'crashed',
      },
    },
    selectingAuth: {
      invoke: {
        src: 'selectAuth',
        onDone: [toDeciding, { target: 'validatingCredentials', actions: assign({ authMethod: ({ event }) => valueOf(event) }) }],
        onError: 'crashed',
      },
    },
    validatingCredentials: {
      invoke: {
        src: 'validateCredentials',
        input: ({ context }) => ({ method: context.authMethod! }),
        onDone: [toDeciding, { guard: 'usesJamf', target: 'resolvingComputer' }, { target: 'installingLocally' }],
        onError: 'crashed',
      },
    },
    resolvingComputer: {
      invoke: {
        src: 'resolveComputer',
        input: ({ context }) => ({ host: context.host! }),
        onDone: [toDeciding, { target: 'checkingPreconditions', actions: assign({ computer: ({ event }) => valueOf(event) }) }],
        onError: 'crashed',
      },
    },
    checkingPreconditions: {
      invoke: {
        src: 'checkPreconditions',
        input: ({ context }) => ({ host: context.host! }),
        onDone: [toDeciding, { target: 'choosingWorkflow' }],
        onError: 'crashed',
      },
    },
    choosingWorkflow: {
      invoke: {
        src: 'chooseWorkflow',
        input: ({ context }) => ({ host: context.host!, computer: context.computer }),
        onDone: [
          toDeciding,
          { guard: 'testMode', target: 'describingPush', actions: assign({ workflow: ({ event }) => valueOf(event) }) },
          { target: 'pushing', actions: assign({ workflow: ({ event }) => valueOf(event) }) },
        ],
        onError: 'crashed',
      },
    },
    pushing: {
      invoke: {
        src: 'pushUpdate',
        input: ({ context }) => ({
          workflow: context.workflow!,
          computer: context.computer!,
          target: context.target!,
          installNow: context.installNow,
          planId: context.planId,
        }),
        onDone: [
          toDeciding,
          // A resumed push found the Mac already on the target (or nothing offered, no plan on record).
          { guard: 'nothingToPush', target: 'upToDate' },
          {
            target: 'verifying',
            actions: assign({
              // A resumed push may have found a newer target when it looked again.
              target: ({ context, event }) => valueOf(event).target ?? context.target,
              planId: ({ event }) => valueOf(event).planId,
              push: ({ event }) => ({ updateAction: valueOf(event).updateAction, enforceAt: valueOf(event).enforceAt }),
            }),
          },
        ],
        onError: 'crashed',
      },
    },
    verifying: {
      invoke: {
        src: 'verifyUpdate',
        input: ({ context }) => ({ planId: context.planId, target: context.target!, workflow: context.workflow, enforceAt: context.push?.enforceAt ?? null, updateAction: context.push?.updateAction ?? null }),
        onDone: [
          toDeciding,
          {
            guard: 'scheduled',
            target: 'scheduled',
            actions: assign({
              outcome: ({ context, event }) => ({ result: 'scheduled', evidence: valueOf(event).evidence, enforceAt: context.push?.enforceAt ?? '' }),
            }),
          },
          {
            target: 'verified',
            actions: assign({ outcome: ({ event }) => ({ result: 'verified', evidence: valueOf(event).evidence }) }),
          },
        ],
        onError: 'crashed',
      },
    },
    installingLocally: {
      invoke: {
        src: 'installLocally',
        // After a failover the user's own credential is used (the edge holds it).
        input: ({ context }) => ({ target: context.target!, method: context.failedOver ? 'user' : context.authMethod! }),
        onDone: [toDeciding, { target: 'installedLocally' }],
        onError: 'crashed',
      },
    },
    deciding: {
      invoke: {
        src: 'decideRecovery',
        input: ({ context }) => ({
          failure: context.failure!,
          failedOver: context.failedOver,
          installNow: context.installNow,
          authMethod: context.authMethod,
          target: context.target,
        }),
        onDone: [
          { guard: 'failingOver', target: 'authenticatingUser', actions: assign({ recovery: ({ event }) => event.output }) },
          { guard: 'deferring', target: 'deferring', actions: assign({ recovery: ({ event }) => event.output }) },
          {
            target: 'failed',
            actions: assign({
              recovery: ({ event }) => event.output,
              outcome: ({ context, event }) => ({
                result: 'failed',
                needs: event.output.action === 'fatal' ? event.output.needs : 'configuration',
                failure: context.failure!,
              }),
            }),
          },
        ],
        onError: 'crashed',
      },
    },
    authenticatingUser: {
      entry: assign({ failedOver: true }),
      invoke: {
        src: 'authenticateUser',
        input: ({ context }) => ({ reason: context.failure?.reason ?? 'failover' }),
        onDone: [
          toDeciding,
          { guard: 'reescrowWanted', target: 'reescrowing' },
          { target: 'installingLocally' },
        ],
        onError: 'crashed',
      },
    },
    reescrowing: {
      invoke: {
        src: 'reescrowBootstrap',
        // With a valid bootstrap token again, the MDM path is tried once more.
        onDone: [toDeciding, { target: 'checkingPreconditions' }],
        onError: 'crashed',
      },
    },
    deferring: {
      invoke: {
        src: 'scheduleRetry',
        input: ({ context }) => ({ failure: context.failure! }),
        onDone: {
          target: 'deferred',
          actions: assign({
            outcome: ({ context, event }) => ({ result: 'deferred', nextAttempt: event.output, failure: context.failure! }),
          }),
        },
        onError: 'crashed',
      },
    },
    describingPush: {
      invoke: {
        src: 'describePush',
        input: ({ context }) => ({ workflow: context.workflow!, computer: context.computer!, target: context.target!, installNow: context.installNow }),
        onDone: { target: 'tested', actions: assign({ outcome: ({ event }) => ({ result: 'test-mode', request: event.output }) }) },
        onError: 'crashed',
      },
    },
    tested: { type: 'final' },
    scheduled: { type: 'final' },
    updateCheckDisabled: {
      type: 'final',
      entry: assign({ outcome: { result: 'update-check-disabled' } }),
    },
    upToDate: {
      type: 'final',
      entry: assign({ outcome: { result: 'up-to-date' } }),
    },
    verified: { type: 'final' },
    installedLocally: {
      type: 'final',
      entry: assign({ outcome: { result: 'installed-locally' } }),
    },
    deferred: { type: 'final' },
    failed: { type: 'final' },
    crashed: {
      type: 'final',
      entry: assign({
        outcome: ({ event }) => ({
          result: 'crashed',
          message: errorMessage((event as { error?: unknown }).error),
        }),
      }),
    },
  },
  output: ({ context }) => context.outcome!,
});

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The states in which a killed run must be resumed rather than started again (a plan may exist). */
export const RESUMABLE_STATES = ['pushing', 'verifying'] as const;
