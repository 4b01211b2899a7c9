import { JamfEndpointUnavailableError, JamfHttpError } from '../errors';
import type { JamfClient } from '../jamf/jamfClient';
import { sendBlankPush } from '../jamf/blankPush';
import { activePlansFor, createPlan, isTerminalPlanState, plansFor, readPlan, sendLegacyUpdate, type LegacyUpdateRequest, type PlanRecord, type PlanRequest } from '../jamf/softwareUpdatePlans';
import type { MdmWorkflow, UpdateTarget } from './contracts';
import type { WorkflowFailure } from './failureReason';
import { planErrorAdvice } from './planErrorAdvice';
import { IMMEDIATE_MS, type UpdateIntent } from './updateIntent';

export interface PushInput {
  readonly workflow: MdmWorkflow;
  readonly computer: { readonly id: string; readonly managementId: string | null };
  readonly target: UpdateTarget;
  /** What the admin asked for: download only, install now, or install by a time (updateIntent.ts). */
  readonly intent: UpdateIntent;
  /** The plan a previous (interrupted) run created, if any. */
  readonly existingPlanId: string | null;
  /**
   * The target version the recorded plan was asked for (status `planTargetVersion`): with no
   * plan id, a plan for it may exist that a killed run never learnt the id of.
   */
  readonly recordedTarget?: string | null;
  /**
   * Whether this failed plan may be replaced: only when this run already handed its failure to
   * the recovery path and that path chose to try the push again (docs/decisions.md).
   */
  readonly mayReplace?: (planId: string) => boolean;
  /** False when a resumed run found the update no longer offered: follow a plan, never create one. */
  readonly mayCreate?: boolean;
  readonly serverVersion: string;
  readonly now: () => Date;
  /** Called just before a plan is requested, so a run killed before the answer knows one may exist. */
  readonly onPlanRequested?: (targetVersion: string) => Promise<void>;
  /** Called as soon as a new plan's id is known, so it is saved before anything else can fail. */
  readonly onPlanCreated: (planId: string) => Promise<void>;
  readonly signal?: AbortSignal;
}

/** The plan on record for this target ended in failure (or is gone) and no recovery chose to retry yet. */
export interface PushRefused {
  readonly refused: true;
  readonly planId: string;
  readonly failure: WorkflowFailure;
}

/** A resumed run found nothing to push: no plan on record and the update is no longer offered. */
export interface NothingToPush {
  readonly nothingToPush: true;
}

export interface PushOutcome {
  readonly planId: string | null;
  readonly followedExisting: boolean;
  /** The update action sent (or followed): a plan's `updateAction`, or the legacy endpoint's. */
  readonly updateAction: string;
  /** When macOS enforces the install (DDM), ISO 8601; null when the request sets no time. */
  readonly enforceAt: string | null;
  /** The plan followed had already completed: verification reads it, nothing was sent. */
  readonly completed?: boolean;
}

/** The one request a push sends (before the blank push), as TestMode prints it. */
export interface PushRequest {
  readonly method: 'POST';
  readonly path: string;
  readonly body: PlanRequest | LegacyUpdateRequest;
}

/**
 * Asks Jamf Pro for the update. For plans (MDM or DDM) it first looks at the plan on record
 * (by id, or — when a killed run never learnt the id — among this Mac's plans for the target):
 * - still running: followed, whatever its target;
 * - completed for this target: followed to verification, nothing is sent;
 * - failed, cancelled or gone for this target: refused with the plan's reasons, so the recovery
 *   path (failover, error deferral) decides; a second plan for the same target is created only
 *   after that path chose to retry (`mayReplace`).
 * Then it follows any other running plan for this Mac, and only then creates one. Legacy servers
 * get send-updates. A blank push wakes the Mac.
 */
export async function pushUpdate(client: JamfClient, input: PushInput): Promise<PushOutcome | PushRefused | NothingToPush> {
  const { computer, signal } = input;
  const request = pushRequest(input);
  const sent = { updateAction: actionOf(request), enforceAt: enforceTimeOf(input) };
  if (input.workflow === 'legacy') {
    if (input.mayCreate === false) return { nothingToPush: true };
    await sendLegacyUpdate(client, request.body as LegacyUpdateRequest, signal);
    await sendBlankPush(client, { computerId: computer.id, managementId: computer.managementId }, input.serverVersion, signal);
    return { planId: null, followedExisting: false, ...sent };
  }
  const followed = (p: PlanRecord, completed = false): PushOutcome => {
    const d = described(p);
    return { planId: d.planUuid, followedExisting: true, updateAction: d.updateAction ?? sent.updateAction, enforceAt: d.enforceAt ?? sent.enforceAt, ...(completed ? { completed: true } : {}) };
  };
  const onRecord = await recordedPlan(client, input);
  if (onRecord) {
    const state = onRecord.plan?.status?.state;
    if (onRecord.plan && !isTerminalPlanState(state)) return followed(onRecord.plan);
    const sameTarget = (onRecord.plan?.specificVersion ?? onRecord.target ?? input.target.version) === input.target.version;
    if (sameTarget && onRecord.plan && state === 'PlanCompleted') return followed(onRecord.plan, true);
    if (sameTarget && !(input.mayReplace?.(onRecord.id) ?? false)) return { refused: true, planId: onRecord.id, failure: endedFailure(onRecord, input.target.version) };
  }
  const active = await activePlansFor(client, computer.id, signal);
  const running = active.find((p) => p.specificVersion === input.target.version) ?? active[0];
  if (running) return followed(running);
  if (input.mayCreate === false) return { nothingToPush: true };
  await input.onPlanRequested?.(input.target.version);
  const planId = await createPlan(client, request.body as PlanRequest, signal);
  await input.onPlanCreated(planId);
  await sendBlankPush(client, { computerId: computer.id, managementId: computer.managementId }, input.serverVersion, signal);
  return { planId, followedExisting: false, ...sent };
}

interface OnRecord {
  readonly id: string;
  /** null: Jamf Pro answered 404 for the recorded id (the plan is gone). */
  readonly plan: PlanRecord | null;
  /** The target the record names, when it names one. */
  readonly target: string | null;
}

/**
 * The plan on record: the saved id read back (a 404 means gone; any other error is thrown, so an
 * unreadable plan is never taken as absent), else — when only the target was recorded (a run
 * killed between the plan request and Jamf Pro's answer) — this Mac's plan for that target:
 * a running one first, then a completed one, then the last failed one.
 */
async function recordedPlan(client: JamfClient, input: PushInput): Promise<OnRecord | null> {
  const recordedTarget = input.recordedTarget ?? null;
  // A plan on record for another target needs no read by id: if it still runs, this Mac's
  // active plans (read next) include it; if it ended, it says nothing about this target. This
  // keeps the push at a new release within issue 18's request budget.
  if (recordedTarget !== null && recordedTarget !== input.target.version) return null;
  if (input.existingPlanId !== null) {
    try {
      return { id: input.existingPlanId, plan: await readPlan(client, input.existingPlanId, input.signal), target: recordedTarget };
    } catch (error) {
      if (error instanceof JamfHttpError && error.statusCode === 404 && !(error instanceof JamfEndpointUnavailableError)) return { id: input.existingPlanId, plan: null, target: recordedTarget };
      throw error;
    }
  }
  if (recordedTarget === null || recordedTarget !== input.target.version) return null;
  const forTarget = (await plansFor(client, input.computer.id, input.signal)).filter((p) => p.specificVersion === recordedTarget);
  const pick = forTarget.find((p) => !isTerminalPlanState(p.status?.state)) ?? forTarget.find((p) => p.status?.state === 'PlanCompleted') ?? forTarget[forTarget.length - 1];
  return pick ? { id: pick.planUuid, plan: pick, target: recordedTarget } : null;
}

/** Why the plan on record cannot be followed: Jamf Pro's own reasons, or that it is gone. */
function endedFailure(onRecord: OnRecord, version: string): WorkflowFailure {
  if (!onRecord.plan) return { reason: 'plan-failed', message: `Jamf Pro no longer has plan ${onRecord.id} for macOS ${version}. ${planErrorAdvice(['PLAN_NOT_FOUND'])}` };
  const state = onRecord.plan.status?.state ?? 'in an unknown state';
  return { reason: 'plan-failed', message: `Jamf Pro plan ${onRecord.id} for macOS ${version} ended ${state}. ${planErrorAdvice(onRecord.plan.status?.errorReasons ?? [])}` };
}

/** The request a push sends for these inputs: a plan (MDM or DDM), or the legacy endpoint. */
export function pushRequest(input: Pick<PushInput, 'workflow' | 'computer' | 'target' | 'now' | 'intent'>): PushRequest {
  if (input.workflow === 'legacy') return { method: 'POST', path: '/api/v1/macos-managed-software-updates/send-updates', body: legacyRequest(input) };
  return { method: 'POST', path: '/api/v1/managed-software-updates/plans', body: planRequest(input) };
}

const actionOf = (request: PushRequest): string => ('config' in request.body ? request.body.config.updateAction : request.body.updateAction);

/** When macOS enforces the install: only a DDM plan carries a time. */
function enforceTimeOf(input: Pick<PushInput, 'workflow' | 'now' | 'intent'>): string | null {
  if (input.workflow !== 'ddm' || input.intent.kind === 'download-only') return null;
  return (input.intent.kind === 'install-by' ? input.intent.enforceAt : new Date(input.now().getTime() + IMMEDIATE_MS)).toISOString();
}

/** What a followed plan asks for: its update action and (DDM) its enforcement time. */
function described(p: PlanRecord): { planUuid: string; updateAction?: string; enforceAt?: string } {
  const enforceAt = p.forceInstallLocalDateTime ? fromLocalDateTime(p.forceInstallLocalDateTime) : undefined;
  return { planUuid: p.planUuid, ...(p.updateAction ? { updateAction: p.updateAction } : {}), ...(enforceAt ? { enforceAt } : {}) };
}

/**
 * The plan body (reference §4.6, OpenAPI PlanConfigurationPost) for the admin's intent, always
 * for the exact version:
 * - DDM (`DOWNLOAD_INSTALL_SCHEDULE`): macOS notifies the user as `forceInstallLocalDateTime`
 *   approaches and installs at it — the deadline, or a minute ahead for install-now;
 * - MDM: `DOWNLOAD_INSTALL_ALLOW_DEFERRAL` with `maxDeferrals` before the deadline (the user
 *   chooses "later" in macOS's own dialog); `DOWNLOAD_INSTALL_RESTART` for install-now or a
 *   passed deadline (a major upgrade: `DOWNLOAD_INSTALL`, Apple's InstallForceRestart is for
 *   minor updates only);
 * - `DOWNLOAD_ONLY` for WorkflowOnlyDownload on either path.
 */
export function planRequest(input: Pick<PushInput, 'workflow' | 'computer' | 'target' | 'now' | 'intent'>): PlanRequest {
  const devices = [{ deviceId: input.computer.id, objectType: 'COMPUTER' as const }];
  const version = { versionType: 'SPECIFIC_VERSION' as const, specificVersion: input.target.version };
  const { intent } = input;
  if (intent.kind === 'download-only') return { devices, config: { updateAction: 'DOWNLOAD_ONLY', ...version } };
  if (input.workflow === 'ddm') {
    const at = intent.kind === 'install-by' ? intent.enforceAt : new Date(input.now().getTime() + IMMEDIATE_MS);
    return { devices, config: { updateAction: 'DOWNLOAD_INSTALL_SCHEDULE', ...version, forceInstallLocalDateTime: localDateTime(at) } };
  }
  if (intent.kind === 'install-by') return { devices, config: { updateAction: 'DOWNLOAD_INSTALL_ALLOW_DEFERRAL', ...version, maxDeferrals: intent.maxDeferrals } };
  return { devices, config: { updateAction: input.target.kind === 'major' ? 'DOWNLOAD_INSTALL' : 'DOWNLOAD_INSTALL_RESTART', ...version } };
}

/**
 * The legacy endpoint (reference §4.5) can say only "download" or "download and install", and
 * whether to force a restart: before the deadline it downloads (the user installs from System
 * Settings), at install-now or a passed deadline it installs with a forced restart (minor
 * updates). It has no deferrals and no enforcement time (docs/admin-guide.md).
 */
export function legacyRequest(input: Pick<PushInput, 'computer' | 'target' | 'intent'>): LegacyUpdateRequest {
  const base = { deviceIds: [input.computer.id], version: input.target.version, skipVersionVerification: true };
  const major = input.target.kind === 'major' ? { applyMajorUpdate: true } : {};
  if (input.intent.kind !== 'install-now') return { ...base, updateAction: 'DOWNLOAD_ONLY', forceRestart: false, ...major };
  return { ...base, updateAction: 'DOWNLOAD_AND_INSTALL', forceRestart: input.target.kind === 'minor', ...major };
}

/** `yyyy-MM-ddTHH:mm:ss` in the Mac's local time, as Jamf Pro wants it (no zone). */
export function localDateTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The inverse of {@link localDateTime}: a Jamf Pro device-local time read in this Mac's zone. */
export function fromLocalDateTime(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, se).toISOString();
}
