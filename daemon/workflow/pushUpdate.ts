import type { JamfClient } from '../jamf/jamfClient';
import { sendBlankPush } from '../jamf/blankPush';
import { activePlansFor, createPlan, sendLegacyUpdate, type LegacyUpdateRequest, type PlanRecord, type PlanRequest } from '../jamf/softwareUpdatePlans';
import type { MdmWorkflow, UpdateTarget } from './contracts';
import { IMMEDIATE_MS, type UpdateIntent } from './updateIntent';

export interface PushInput {
  readonly workflow: MdmWorkflow;
  readonly computer: { readonly id: string; readonly managementId: string | null };
  readonly target: UpdateTarget;
  /** What the admin asked for: download only, install now, or install by a time (updateIntent.ts). */
  readonly intent: UpdateIntent;
  /** The plan a previous (interrupted) run created, if any. */
  readonly existingPlanId: string | null;
  readonly serverVersion: string;
  readonly now: () => Date;
  /** Called as soon as a new plan's id is known, so it is saved before anything else can fail. */
  readonly onPlanCreated: (planId: string) => Promise<void>;
  readonly signal?: AbortSignal;
}

export interface PushOutcome {
  readonly planId: string | null;
  readonly followedExisting: boolean;
  /** The update action sent (or followed): a plan's `updateAction`, or the legacy endpoint's. */
  readonly updateAction: string;
  /** When macOS enforces the install (DDM), ISO 8601; null when the request sets no time. */
  readonly enforceAt: string | null;
}

/** The one request a push sends (before the blank push), as TestMode prints it. */
export interface PushRequest {
  readonly method: 'POST';
  readonly path: string;
  readonly body: PlanRequest | LegacyUpdateRequest;
}

/**
 * Asks Jamf Pro for the update. For plans (MDM or DDM) it first follows a plan that is still
 * running for this Mac — the saved one, or any active one — so a rerun never creates a second
 * plan; otherwise it creates one. Legacy servers get send-updates. Then a blank push wakes the Mac.
 */
export async function pushUpdate(client: JamfClient, input: PushInput): Promise<PushOutcome> {
  const { computer, signal } = input;
  const request = pushRequest(input);
  const sent = { updateAction: actionOf(request), enforceAt: enforceTimeOf(input) };
  if (input.workflow === 'legacy') {
    await sendLegacyUpdate(client, request.body as LegacyUpdateRequest, signal);
    await sendBlankPush(client, { computerId: computer.id, managementId: computer.managementId }, input.serverVersion, signal);
    return { planId: null, followedExisting: false, ...sent };
  }
  const existing = await runningPlan(client, input);
  if (existing) return { planId: existing.planUuid, followedExisting: true, updateAction: existing.updateAction ?? sent.updateAction, enforceAt: existing.enforceAt ?? sent.enforceAt };
  const planId = await createPlan(client, request.body as PlanRequest, signal);
  await input.onPlanCreated(planId);
  await sendBlankPush(client, { computerId: computer.id, managementId: computer.managementId }, input.serverVersion, signal);
  return { planId, followedExisting: false, ...sent };
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

/** A plan still running for this Mac (the saved one, else any active one), with what it asks for. */
async function runningPlan(client: JamfClient, input: PushInput): Promise<{ planUuid: string; updateAction?: string; enforceAt?: string } | null> {
  const described = (p: PlanRecord) => ({
    planUuid: p.planUuid,
    ...(p.updateAction ? { updateAction: p.updateAction } : {}),
    ...(p.forceInstallLocalDateTime ? { enforceAt: fromLocalDateTime(p.forceInstallLocalDateTime) } : {}),
  });
  // One request: the saved plan, if still running, is among this Mac's active plans (reading it
  // by id as well cost a request per push; issue 18's budget).
  const active = await activePlansFor(client, input.computer.id, input.signal);
  const saved = input.existingPlanId === null ? undefined : active.find((p) => p.planUuid.toUpperCase() === input.existingPlanId!.toUpperCase());
  if (saved) return described(saved);
  const same = active.find((p) => p.specificVersion === input.target.version) ?? active[0];
  return same ? described(same) : null;
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
