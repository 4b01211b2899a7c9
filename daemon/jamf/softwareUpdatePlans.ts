import { JamfEndpointUnavailableError } from '../errors';
import type { JamfClient } from './jamfClient';
import { JamfResponseError } from '../errors';
import { featureToggleShape, legacyUpdateShape, pageShape, planCreatedShape, planRecordProblem, recordShape } from './responseShapes';

const BASE = 'api/v1/managed-software-updates';

export type PlanUpdateAction = 'DOWNLOAD_ONLY' | 'DOWNLOAD_INSTALL' | 'DOWNLOAD_INSTALL_ALLOW_DEFERRAL' | 'DOWNLOAD_INSTALL_RESTART' | 'DOWNLOAD_INSTALL_SCHEDULE';

/** `ManagedSoftwareUpdatePlanPost` (reference §4.6). */
export interface PlanRequest {
  readonly devices: ReadonlyArray<{ readonly deviceId: string; readonly objectType: 'COMPUTER' }>;
  readonly config: {
    readonly updateAction: PlanUpdateAction;
    readonly versionType: 'SPECIFIC_VERSION' | 'LATEST_MINOR' | 'LATEST_MAJOR';
    readonly specificVersion?: string;
    readonly forceInstallLocalDateTime?: string | null;
    /** Required with DOWNLOAD_INSTALL_ALLOW_DEFERRAL (integer ≥ 0). */
    readonly maxDeferrals?: number;
  };
}

export interface PlanRecord {
  readonly planUuid: string;
  readonly device?: { readonly deviceId?: string | number; readonly objectType?: string };
  readonly updateAction?: string;
  readonly versionType?: string;
  readonly specificVersion?: string;
  readonly maxDeferrals?: number;
  readonly forceInstallLocalDateTime?: string | null;
  readonly status?: { readonly state?: string; readonly errorReasons?: readonly string[] | null };
}

export interface FeatureToggle {
  readonly toggle: boolean;
  readonly forceInstallLocalDateEnabled?: boolean;
  readonly dssEnabled?: boolean;
}

/** Terminal plan states (reference §4.9). */
export const TERMINAL_PLAN_STATES = ['PlanCompleted', 'PlanFailed', 'PlanCanceled', 'PlanException'] as const;

export function isTerminalPlanState(state: string | undefined): boolean {
  return state !== undefined && (TERMINAL_PLAN_STATES as readonly string[]).includes(state);
}

export function readFeatureToggle(client: JamfClient, signal?: AbortSignal): Promise<FeatureToggle> {
  return client.request<FeatureToggle>('GET', `${BASE}/plans/feature-toggle`, { shape: featureToggleShape, signal });
}

/**
 * Whether the plans feature toggle is on, for choosing the update path; null only when this
 * server does not offer the toggle (the version gate says so: before 10.48). Every other failure
 * is thrown, a 403 as the JamfPrivilegeError naming "Read Managed Software Updates": falling back
 * to the legacy endpoint then would hide a missing privilege. super does the same
 * (Macjutsu/super `super`, check_jamf_api_update_workflow(): on 10.48+ anything but a 200 is an
 * error, "Verify that the provided Jamf Pro credentials has appropriate privileges").
 */
export async function readFeatureToggleState(client: JamfClient, signal?: AbortSignal): Promise<boolean | null> {
  try {
    return (await readFeatureToggle(client, signal)).toggle === true;
  } catch (error) {
    if (error instanceof JamfEndpointUnavailableError) return null;
    throw error;
  }
}

/** Every plan Jamf Pro keeps for one computer, running or ended (the first page of 100). */
export async function plansFor(client: JamfClient, deviceId: string, signal?: AbortSignal): Promise<PlanRecord[]> {
  const page = await client.request<{ results?: PlanRecord[] }>('GET', `${BASE}/plans`, {
    query: { filter: `device.deviceId==${deviceId};device.objectType==COMPUTER`, 'page-size': 100 },
    shape: pageShape<PlanRecord>(`GET ${BASE}/plans`, planRecordProblem),
    signal,
  });
  return page.results ?? [];
}

/** Plans for one computer that are still running (not in a terminal state). */
export async function activePlansFor(client: JamfClient, deviceId: string, signal?: AbortSignal): Promise<PlanRecord[]> {
  return (await plansFor(client, deviceId, signal)).filter((p) => !isTerminalPlanState(p.status?.state));
}

/** `POST /plans` → the plan id. Never retried blindly (the client repeats a POST only on 429/503 with Retry-After). */
export async function createPlan(client: JamfClient, body: PlanRequest, signal?: AbortSignal): Promise<string> {
  const created = await client.request<{ plans?: Array<{ planId?: string }> }>('POST', `${BASE}/plans`, { json: body, shape: planCreatedShape, signal });
  const planId = created.plans?.[0]?.planId;
  if (typeof planId !== 'string' || planId === '') throw new JamfResponseError('POST', `${BASE}/plans`, 'Jamf Pro answered the plan request without a plan id; the plan may or may not exist, so superd looks for it before pushing again');
  return planId;
}

export function readPlan(client: JamfClient, planId: string, signal?: AbortSignal): Promise<PlanRecord> {
  return client.request<PlanRecord>('GET', `${BASE}/plans/${encodeURIComponent(planId)}`, { shape: recordShape<PlanRecord>(`GET ${BASE}/plans/{id}`, planRecordProblem), signal });
}

/** The legacy endpoint (reference §5.1), for servers without the plans feature. */
/** `POST /v1/macos-managed-software-updates/send-updates` (the legacy endpoint, reference §4.5). */
export interface LegacyUpdateRequest {
  readonly deviceIds: string[];
  readonly version: string;
  readonly skipVersionVerification: boolean;
  readonly updateAction: 'DOWNLOAD_ONLY' | 'DOWNLOAD_AND_INSTALL';
  readonly forceRestart: boolean;
  readonly applyMajorUpdate?: boolean;
}

export async function sendLegacyUpdate(
  client: JamfClient,
  body: LegacyUpdateRequest,
  signal?: AbortSignal,
): Promise<{ processManagerUuids: string[]; errors: unknown[] }> {
  const r = await client.request<{ processManagerUuids?: string[]; errors?: unknown[] }>('POST', 'api/v1/macos-managed-software-updates/send-updates', { json: body, shape: legacyUpdateShape, signal });
  return { processManagerUuids: r.processManagerUuids ?? [], errors: r.errors ?? [] };
}
