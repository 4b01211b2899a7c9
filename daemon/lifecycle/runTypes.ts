/**
 * The data the lifecycle machine carries and the answers its actors give. Nothing here is a
 * secret: credentials stay with the actors at the edge (daemon/lifecycle/runSession.ts), so the
 * machine snapshot can be persisted in the status plist.
 */
import type { AuthMethod } from '../status/statusFile';
import type { ComputerIdentity, MdmWorkflow, UpdateTarget } from '../workflow/contracts';
import type { RecoveryDecision } from '../failover/decideFailover';

export type { ComputerIdentity, RecoveryDecision };
import type { WorkflowFailure } from '../workflow/failureReason';

export interface HostSummary {
  readonly macOSVersion: string;
  readonly appleSilicon: boolean;
  readonly hardwareUUID: string;
}

/** How a run ended; its exit status is chosen by daemon/exitStatus.ts (exitStatusForOutcome). */
export type RunOutcome =
  | { readonly result: 'up-to-date' }
  | { readonly result: 'verified'; readonly evidence: string }
  /** A DDM plan is scheduled: macOS installs at `enforceAt`; a later run verifies. */
  | { readonly result: 'scheduled'; readonly evidence: string; readonly enforceAt: string }
  /** TestMode: every read-only step ran; `request` is what superd would have sent. Nothing was. */
  | { readonly result: 'test-mode'; readonly request: string }
  /** WorkflowDisableUpdateCheck: no update was looked for, nothing pushed. */
  | { readonly result: 'update-check-disabled' }
  | { readonly result: 'installed-locally' }
  | { readonly result: 'deferred'; readonly nextAttempt: string; readonly failure: WorkflowFailure }
  | { readonly result: 'failed'; readonly needs: 'configuration' | 'credentials'; readonly failure: WorkflowFailure }
  | { readonly result: 'crashed'; readonly message: string };

export interface RunInput {
  /** Fingerprint of the settings, without secrets: a changed configuration resets the back-off. */
  readonly configHash: string;
  readonly installNow: boolean;
  /** TestMode: stop before anything is sent, and describe it. */
  readonly testMode: boolean;
  /** WorkflowDisableUpdateCheck: look for no update at all. */
  readonly updateCheckDisabled: boolean;
}

export interface RunContext extends RunInput {
  host: HostSummary | null;
  target: UpdateTarget | null;
  authMethod: AuthMethod | null;
  computer: ComputerIdentity | null;
  workflow: MdmWorkflow | null;
  planId: string | null;
  /** What the push asked for: the update action and, for DDM, when macOS enforces it. */
  push: { readonly updateAction: string; readonly enforceAt: string | null } | null;
  failure: WorkflowFailure | null;
  /** The user already authenticated for this run (failover happens at most once per run). */
  failedOver: boolean;
  recovery: RecoveryDecision | null;
  outcome: RunOutcome | null;
}

/** A step either answers or names why it could not (a typed, expected failure). */
export type StepResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: WorkflowFailure };

export interface PushResult {
  readonly planId: string | null;
  readonly followedExisting: boolean;
  readonly updateAction: string;
  readonly enforceAt: string | null;
  /** The target pushed for, when a resumed push looked again and found another one. */
  readonly target?: UpdateTarget;
  /** A resumed push found the Mac already on the target, or nothing offered and no plan on record. */
  readonly nothingToPush?: boolean;
}

/** What verification found: the Mac acted, or (DDM) the plan is scheduled for `enforceAt`. */
export interface VerifyResultValue {
  readonly evidence: string;
  readonly scheduled: boolean;
}

export interface DecideInput {
  readonly failure: WorkflowFailure;
  readonly failedOver: boolean;
  readonly installNow: boolean;
  readonly authMethod: AuthMethod | null;
  readonly target: UpdateTarget | null;
}

export interface UserAuthResult {
  readonly account: string;
}
