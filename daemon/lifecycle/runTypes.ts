/**
 * The data the lifecycle machine carries and the answers its actors give. Nothing here is a
 * secret: credentials stay with the actors at the edge (daemon/lifecycle/runSession.ts), so the
 * machine snapshot can be persisted in the status plist.
 */
import type { AuthMethod } from '../status/statusFile';
import type { MdmWorkflow, UpdateTarget } from '../workflow/contracts';
import type { WorkflowFailure } from '../workflow/failureReason';

export interface HostSummary {
  readonly macOSVersion: string;
  readonly appleSilicon: boolean;
  readonly hardwareUUID: string;
}

export interface ComputerIdentity {
  readonly id: string;
  readonly managementId: string | null;
  readonly source: 'profile' | 'saved' | 'lookup' | 'recon';
}

/** What the failover decision chose after a failure (daemon/failover). */
export type RecoveryDecision =
  | { readonly action: 'failover-to-user'; readonly trigger: string; readonly reescrow: boolean }
  | { readonly action: 'defer'; readonly reason: string }
  | { readonly action: 'fatal'; readonly reason: string; readonly exitStatus: 77 | 78 | 70 };

/** How a run ended; `exitStatus` follows design.md §10. */
export type RunOutcome =
  | { readonly result: 'up-to-date'; readonly exitStatus: 0 }
  | { readonly result: 'verified'; readonly exitStatus: 0; readonly evidence: string }
  | { readonly result: 'installed-locally'; readonly exitStatus: 0 }
  | { readonly result: 'deferred'; readonly exitStatus: 75; readonly nextAttempt: string; readonly failure: WorkflowFailure }
  | { readonly result: 'failed'; readonly exitStatus: 77 | 78 | 70; readonly failure: WorkflowFailure }
  | { readonly result: 'crashed'; readonly exitStatus: 70; readonly message: string };

export interface RunInput {
  /** Fingerprint of the settings, without secrets: a changed configuration resets the back-off. */
  readonly configHash: string;
  readonly installNow: boolean;
}

export interface RunContext extends RunInput {
  host: HostSummary | null;
  target: UpdateTarget | null;
  authMethod: AuthMethod | null;
  computer: ComputerIdentity | null;
  workflow: MdmWorkflow | null;
  planId: string | null;
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
