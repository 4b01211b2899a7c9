import type { JamfClient } from '../jamf/jamfClient';
import { sendBlankPush } from '../jamf/blankPush';
import { activePlansFor, createPlan, isTerminalPlanState, readPlan, sendLegacyUpdate, type PlanRequest } from '../jamf/softwareUpdatePlans';
import type { MdmWorkflow, UpdateTarget } from './contracts';

export interface PushInput {
  readonly workflow: MdmWorkflow;
  readonly computer: { readonly id: string; readonly managementId: string | null };
  readonly target: UpdateTarget;
  readonly installNow: boolean;
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
}

/**
 * Asks Jamf Pro for the update. For plans (MDM or DDM) it first follows a plan that is still
 * running for this Mac — the saved one, or any active one — so a rerun never creates a second
 * plan; otherwise it creates one. Legacy servers get send-updates. Then a blank push wakes the Mac.
 */
export async function pushUpdate(client: JamfClient, input: PushInput): Promise<PushOutcome> {
  const { computer, signal } = input;
  if (input.workflow === 'legacy') {
    await sendLegacyUpdate(client, {
      deviceIds: [computer.id],
      version: input.target.version,
      skipVersionVerification: true,
      updateAction: 'DOWNLOAD_AND_INSTALL',
      forceRestart: input.target.kind === 'minor',
      ...(input.target.kind === 'major' ? { applyMajorUpdate: true } : {}),
    }, signal);
    await sendBlankPush(client, { computerId: computer.id, managementId: computer.managementId }, input.serverVersion, signal);
    return { planId: null, followedExisting: false };
  }
  const existing = await runningPlan(client, input);
  if (existing) return { planId: existing, followedExisting: true };
  const planId = await createPlan(client, planRequest(input), signal);
  await input.onPlanCreated(planId);
  await sendBlankPush(client, { computerId: computer.id, managementId: computer.managementId }, input.serverVersion, signal);
  return { planId, followedExisting: false };
}

async function runningPlan(client: JamfClient, input: PushInput): Promise<string | null> {
  if (input.existingPlanId !== null) {
    const saved = await readPlan(client, input.existingPlanId, input.signal).catch(() => null);
    if (saved && !isTerminalPlanState(saved.status?.state)) return saved.planUuid;
  }
  const active = await activePlansFor(client, input.computer.id, input.signal);
  const same = active.find((p) => p.specificVersion === input.target.version) ?? active[0];
  return same?.planUuid ?? null;
}

/** The body of reference §4.6: the exact version; DDM plans are scheduled a minute ahead. */
export function planRequest(input: Pick<PushInput, 'workflow' | 'computer' | 'target' | 'now'>): PlanRequest {
  const devices = [{ deviceId: input.computer.id, objectType: 'COMPUTER' as const }];
  if (input.workflow === 'ddm') {
    return {
      devices,
      config: {
        updateAction: 'DOWNLOAD_INSTALL_SCHEDULE',
        versionType: 'SPECIFIC_VERSION',
        specificVersion: input.target.version,
        forceInstallLocalDateTime: localDateTime(new Date(input.now().getTime() + 60_000)),
      },
    };
  }
  return {
    devices,
    config: {
      // Apple: InstallForceRestart works for minor updates only; a major upgrade installs ASAP.
      updateAction: input.target.kind === 'major' ? 'DOWNLOAD_INSTALL' : 'DOWNLOAD_INSTALL_RESTART',
      versionType: 'SPECIFIC_VERSION',
      specificVersion: input.target.version,
    },
  };
}

/** `yyyy-MM-ddTHH:mm:ss` in the Mac's local time, as Jamf Pro wants it (no zone). */
export function localDateTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
