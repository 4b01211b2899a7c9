import type { Computer } from './state';

/** Enumerations of ManagedSoftwareUpdatePlanPost / ManagedSoftwareUpdatePlan (OpenAPI 11.30.0). */
export const UPDATE_ACTIONS = [
  'DOWNLOAD_ONLY',
  'DOWNLOAD_INSTALL',
  'DOWNLOAD_INSTALL_ALLOW_DEFERRAL',
  'DOWNLOAD_INSTALL_RESTART',
  'DOWNLOAD_INSTALL_SCHEDULE',
  'UNKNOWN',
] as const;
export const VERSION_TYPES = ['LATEST_MAJOR', 'LATEST_MINOR', 'LATEST_ANY', 'SPECIFIC_VERSION', 'CUSTOM_VERSION', 'UNKNOWN'] as const;
export const OBJECT_TYPES = ['COMPUTER', 'MOBILE_DEVICE', 'APPLE_TV'] as const;

export type UpdateAction = (typeof UPDATE_ACTIONS)[number];
export type VersionType = (typeof VERSION_TYPES)[number];
export type ObjectType = (typeof OBJECT_TYPES)[number];

export type PlanState =
  | 'Init' | 'PendingPlanValidation' | 'AcceptingPlan' | 'RejectingPlan' | 'ProcessingPlanType' | 'ProcessingPlanTypeMdm'
  | 'StartingPlan' | 'PlanFailed' | 'SchedulingScanForOSUpdates' | 'ProcessingScheduleOSUpdateScanResponse'
  | 'WaitingForScheduledOSUpdateScanToComplete' | 'CollectingAvailableOSUpdates' | 'ProcessingAvailableOSUpdatesResponse'
  | 'ProcessingSchedulingType' | 'SchedulingDDM' | 'DDMPlanScheduled' | 'WaitingToStartDDMUpdate' | 'ProcessingDDMStatusResponse'
  | 'CollectingDDMStatus' | 'SchedulingMDM' | 'MDMPlanScheduled' | 'SchedulingOSUpdate' | 'ProcessingScheduleOSUpdateResponse'
  | 'CollectingOSUpdateStatus' | 'ProcessingOSUpdateStatusResponse' | 'WaitingToCollectOSUpdateStatus' | 'VerifyingInstallation'
  | 'ProcessingInstallationVerification' | 'PlanCompleted' | 'PlanCanceled' | 'PlanException' | 'Unknown';

export const TERMINAL_STATES: ReadonlySet<PlanState> = new Set(['PlanCompleted', 'PlanFailed', 'PlanCanceled', 'PlanException']);

/**
 * State sequences (reference §10.6; the real ordering is undocumented and
 * inferred from state names and the MDM command order devices observe).
 */
export const MDM_PATH: readonly PlanState[] = [
  'Init', 'PendingPlanValidation', 'AcceptingPlan', 'ProcessingPlanType', 'ProcessingPlanTypeMdm', 'StartingPlan',
  'SchedulingScanForOSUpdates', 'WaitingForScheduledOSUpdateScanToComplete', 'CollectingAvailableOSUpdates',
  'SchedulingOSUpdate', 'CollectingOSUpdateStatus', 'VerifyingInstallation', 'PlanCompleted',
];
export const DDM_PATH: readonly PlanState[] = [
  'Init', 'PendingPlanValidation', 'AcceptingPlan', 'ProcessingPlanType', 'ProcessingSchedulingType', 'SchedulingDDM',
  'DDMPlanScheduled', 'WaitingToStartDDMUpdate', 'CollectingDDMStatus', 'VerifyingInstallation', 'PlanCompleted',
];
export const REJECT_PATH: readonly PlanState[] = ['Init', 'PendingPlanValidation', 'RejectingPlan', 'PlanFailed'];

export interface PlanConfig {
  updateAction: UpdateAction;
  versionType: VersionType;
  specificVersion: string;
  buildVersion: string | null;
  maxDeferrals: number;
  forceInstallLocalDateTime: string | null;
}

export interface Plan extends PlanConfig {
  planUuid: string;
  deviceId: string;
  objectType: ObjectType;
  recipeId: string;
  state: PlanState;
  errorReasons: string[];
  path: readonly PlanState[];
  enteredAt: number;
  createdAt: number;
  /** The OS version this plan installs, when it could be resolved. */
  targetVersion: string | null;
  /** A failure the plan meets when it reaches `state` (injected by a test, or from the device's condition). */
  failAt?: { state: PlanState; reasons: string[] };
  history: { state: PlanState; at: number }[];
}

const versionParts = (v: string): number[] => v.split('.').map((x) => Number.parseInt(x, 10) || 0);

export function compareOs(a: string, b: string): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const major = (v: string): number => versionParts(v)[0] ?? 0;

/** The version a plan would install on a computer, or the reason it cannot. */
export function resolveTarget(config: PlanConfig, current: string, available: readonly string[]): { version: string } | { reason: string } {
  const newer = available.filter((v) => compareOs(v, current) > 0).sort((a, b) => compareOs(b, a));
  switch (config.versionType) {
    case 'SPECIFIC_VERSION':
    case 'CUSTOM_VERSION': {
      const wanted = config.specificVersion;
      if (config.versionType === 'SPECIFIC_VERSION' && !available.includes(wanted)) return { reason: 'SPECIFIC_VERSION_UNAVAILABLE' };
      const cmp = compareOs(wanted, current);
      if (cmp < 0) return { reason: 'DOWNGRADE_NOT_SUPPORTED' };
      if (cmp === 0) return { reason: 'NO_UPDATES_AVAILABLE' };
      return { version: wanted };
    }
    case 'LATEST_MINOR': {
      const v = newer.find((x) => major(x) === major(current));
      return v ? { version: v } : { reason: 'NO_UPDATES_AVAILABLE' };
    }
    case 'LATEST_MAJOR': {
      const v = newer.find((x) => major(x) > major(current));
      return v ? { version: v } : { reason: 'NO_UPDATES_AVAILABLE' };
    }
    case 'LATEST_ANY': {
      const v = newer[0];
      return v ? { version: v } : { reason: 'NO_UPDATES_AVAILABLE' };
    }
    case 'UNKNOWN':
      return { reason: 'ILLEGAL_ARGUMENT_EXCEPTION' };
  }
}

/** Why the server would reject a plan for this computer at validation time (empty = accepted). */
export function preflight(config: PlanConfig, computer: Computer): string[] {
  const reasons: string[] = [];
  if (!computer.managed || !computer.mdmCapable) reasons.push('NOT_MANAGED');
  if (!computer.supervised) reasons.push('NOT_SUPERVISED');
  if (computer.appleSilicon && !computer.bootstrapTokenEscrowed) reasons.push('APPLE_SILICON_NO_ESCROW_KEY');
  if (config.updateAction === 'DOWNLOAD_INSTALL_SCHEDULE' && (major(computer.osVersion) < 14 || !computer.declarativeDeviceManagementEnabled)) {
    reasons.push('DECLARATIVE_DEVICE_MANAGEMENT_SOFTWARE_UPDATES_NOT_SUPPORTED_FOR_DEVICE_OS_VERSION');
  }
  if (config.updateAction === 'UNKNOWN') reasons.push('ACTION_NOT_SUPPORTED_FOR_DEVICE_TYPE');
  return reasons;
}

/** A plausible build number for a macOS version (used when a completed plan updates inventory). */
export function buildFor(version: string): string {
  const [maj = 15, min = 0, pat = 0] = versionParts(version);
  const letter = String.fromCharCode(65 + Math.min(min, 25));
  return `${maj + 9}${letter}${50 + pat * 10 + min}`;
}

/** Parses `yyyy-MM-ddTHH:mm:ss` (device-local; the simulator reads it as UTC). */
export function parseLocalDateTime(s: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(s)) return undefined;
  const ms = Date.parse(`${s}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}
