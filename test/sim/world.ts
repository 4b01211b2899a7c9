import { createHash } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import {
  downloadProgressLines, mdmCommandLines, mdmIdleLines, mdmStatusLines, preflightLines, prepareProgressLines, restartPendingLines,
  type FakeMac, type LogStyle,
} from './mac/index';

/**
 * "One world": what the Jamf Pro simulator does to a device shows up in the fake Mac's unified
 * log, the way superd would see it with `log stream` (super-behaviour.md §3.9).
 *
 * - `plan` events (one per plan state change) become the device's MDM traffic and
 *   softwareupdated progress: the scan command acknowledged, AvailableOSUpdates acknowledged,
 *   ScheduleOSUpdate acknowledged, then download progress, then preparation and — for plans
 *   that install — the "restart pending" phases. DDM plans show a DeclarativeManagement
 *   acknowledgement instead of the three MDM commands. Each step is emitted once per plan.
 * - `blankPush` events naming the device become an Idle check-in.
 * - legacy `sendUpdates` events (when `device.deviceId` is given) become a ScheduleOSUpdate
 *   acknowledgement followed by the whole download/prepare (and install) progress.
 *
 * Failed, cancelled or rejected plans add nothing: the reasons Jamf reports (no escrowed
 * bootstrap token, no disk space, …) have no known device-side line.
 */

export interface CoupledDevice {
  udid: string;
  managementId: string;
  /** Jamf computer id: needed only to follow the legacy send-updates endpoint. */
  deviceId?: string;
}

export interface CoupleOptions {
  /** Style of the emitted lines (the fake `log stream` re-renders them anyway). Default ndjson. */
  style?: LogStyle;
}

interface PlanEventLike {
  planId: string;
  deviceId?: string;
  managementId?: string;
  udid?: string;
  state: string;
  updateAction?: string;
}

type Step = 'scan' | 'available' | 'declarative' | 'schedule' | 'status' | 'download' | 'prepare' | 'restart';

/** Device steps due when a plan enters a state (Jamf's enum, reference jamf-pro-api.md §4.9). */
const STEPS_BY_STATE: Record<string, Step[]> = {
  ProcessingScheduleOSUpdateScanResponse: ['scan'],
  WaitingForScheduledOSUpdateScanToComplete: ['scan'],
  CollectingAvailableOSUpdates: ['scan', 'available'],
  ProcessingAvailableOSUpdatesResponse: ['scan', 'available'],
  DDMPlanScheduled: ['declarative'],
  WaitingToStartDDMUpdate: ['declarative'],
  ProcessingScheduleOSUpdateResponse: ['schedule'],
  CollectingOSUpdateStatus: ['schedule', 'status', 'download'],
  WaitingToCollectOSUpdateStatus: ['schedule', 'status', 'download'],
  ProcessingOSUpdateStatusResponse: ['schedule', 'status', 'download'],
  CollectingDDMStatus: ['declarative', 'download'],
  ProcessingDDMStatusResponse: ['declarative', 'download'],
  VerifyingInstallation: ['download', 'prepare', 'restart'],
  ProcessingInstallationVerification: ['download', 'prepare', 'restart'],
};

/** Simplified state names (e.g. a simulator that reports DOWNLOADING) by keyword. */
function stepsByKeyword(state: string): Step[] {
  if (/scan/i.test(state)) return ['scan'];
  if (/availableosupdates/i.test(state)) return ['available'];
  if (/download/i.test(state)) return ['download'];
  if (/prepar/i.test(state)) return ['download', 'prepare'];
  if (/restart|installing|verif/i.test(state)) return ['download', 'prepare', 'restart'];
  return [];
}

const installs = (updateAction: string | undefined) => updateAction !== undefined && updateAction !== 'DOWNLOAD_ONLY';

/** A stable lower-case command UUID per plan and request type. */
function commandUuid(planId: string, requestType: string): string {
  const h = createHash('sha256').update(`${planId}:${requestType}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const same = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

export function coupleWorld(mac: FakeMac, sim: { events: EventEmitter }, device: CoupledDevice, options: CoupleOptions = {}): () => void {
  const style = options.style ?? 'ndjson';
  const done = new Map<string, Set<Step>>();

  const linesFor = (step: Step, planId: string, updateAction: string | undefined): string[] => {
    const opts = { style };
    switch (step) {
      case 'scan': return mdmCommandLines('ScheduleOSUpdateScan', commandUuid(planId, 'ScheduleOSUpdateScan'), opts);
      case 'available': return mdmCommandLines('AvailableOSUpdates', commandUuid(planId, 'AvailableOSUpdates'), opts);
      case 'declarative': return mdmCommandLines('DeclarativeManagement', commandUuid(planId, 'DeclarativeManagement'), opts);
      case 'schedule': return mdmCommandLines('ScheduleOSUpdate', commandUuid(planId, 'ScheduleOSUpdate'), opts);
      case 'status': return mdmStatusLines('OSUpdateStatus', commandUuid(planId, 'OSUpdateStatus'), opts);
      case 'download': return [...preflightLines(opts), ...downloadProgressLines(opts)];
      case 'prepare': return prepareProgressLines(opts);
      case 'restart': return installs(updateAction) ? restartPendingLines(opts) : [];
    }
  };

  const onPlan = (event: PlanEventLike) => {
    const ours = same(event.udid, device.udid) || same(event.managementId, device.managementId) ||
      (device.deviceId !== undefined && event.deviceId === device.deviceId);
    if (!ours) return;
    const steps = STEPS_BY_STATE[event.state] ?? stepsByKeyword(event.state);
    const seen = done.get(event.planId) ?? new Set<Step>();
    done.set(event.planId, seen);
    const lines: string[] = [];
    for (const step of steps) {
      if (seen.has(step)) continue;
      seen.add(step);
      lines.push(...linesFor(step, event.planId, event.updateAction));
    }
    if (lines.length > 0) mac.emitLog(lines);
  };

  const onBlankPush = (event: { managementIds?: string[] }) => {
    if ((event.managementIds ?? []).some((id) => same(id, device.managementId))) mac.emitLog(mdmIdleLines({ style }));
  };

  const onSendUpdates = (event: { deviceIds?: string[]; updateAction?: string }) => {
    if (device.deviceId === undefined || !(event.deviceIds ?? []).map(String).includes(device.deviceId)) return;
    const id = `legacy:${Date.now()}`;
    const action = event.updateAction === 'DOWNLOAD_AND_INSTALL' ? 'DOWNLOAD_INSTALL' : 'DOWNLOAD_ONLY';
    mac.emitLog((['schedule', 'download', 'prepare', 'restart'] as Step[]).flatMap((step) => linesFor(step, id, action)));
  };

  sim.events.on('plan', onPlan);
  sim.events.on('blankPush', onBlankPush);
  sim.events.on('sendUpdates', onSendUpdates);
  return () => {
    sim.events.off('plan', onPlan);
    sim.events.off('blankPush', onBlankPush);
    sim.events.off('sendUpdates', onSendUpdates);
  };
}
