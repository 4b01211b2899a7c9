import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import {
  DDM_PATH, MDM_PATH, REJECT_PATH, TERMINAL_STATES, buildFor, parseLocalDateTime, preflight, resolveTarget,
  type ObjectType, type Plan, type PlanConfig, type PlanState,
} from './planModel';
import type { SimSettings, Store } from './state';

/** Payload of the `plan` event, emitted on every plan state change. */
export interface PlanEvent {
  planId: string;
  deviceId: string;
  managementId: string | undefined;
  udid: string | undefined;
  state: PlanState;
  updateAction: string;
  versionType: string;
  specificVersion: string;
  forceInstallLocalDateTime?: string;
  errorReasons: string[];
}

export interface PlannedFailure {
  errorReasons: string[];
  /** The state at which the plan fails; default: at validation (RejectingPlan, then PlanFailed). */
  atState?: PlanState;
}

/**
 * Managed software update plans and their progress. Plans move through the
 * MDM or DDM state sequence as the simulator clock advances (or when a test
 * drives them), and fail with `errorReasons` when the device cannot take the
 * update or a failure was injected.
 */
export class PlanEngine {
  readonly plans = new Map<string, Plan>();
  private readonly queuedFailures: PlannedFailure[] = [];

  constructor(
    private readonly store: Store,
    private readonly settings: SimSettings,
    private readonly now: () => number,
    private readonly events: EventEmitter,
  ) {}

  create(deviceId: string, objectType: ObjectType, config: PlanConfig): Plan {
    const now = this.now();
    const computer = objectType === 'COMPUTER' ? this.store.computers.get(Number(deviceId)) : undefined;
    let reasons: string[] = [];
    let targetVersion: string | null = null;
    if (!computer) {
      reasons = ['NOT_MANAGED'];
    } else {
      reasons = preflight(config, computer);
      if (this.activeFor(deviceId, objectType)) reasons.push('EXISTING_PLAN_FOR_DEVICE_IN_PROGRESS');
      const target = resolveTarget(config, computer.osVersion, this.store.availableUpdates.macOS);
      if ('version' in target) targetVersion = target.version;
      else reasons.push(target.reason);
    }
    const injected = this.queuedFailures.shift();
    const ddm = config.updateAction === 'DOWNLOAD_INSTALL_SCHEDULE';
    const rejectNow = reasons.length > 0 || (injected !== undefined && (injected.atState === undefined || injected.atState === 'RejectingPlan'));
    const plan: Plan = {
      ...config,
      planUuid: randomUUID().toUpperCase(),
      deviceId,
      objectType,
      recipeId: '-1',
      state: 'Init',
      errorReasons: [],
      path: rejectNow ? REJECT_PATH : ddm ? DDM_PATH : MDM_PATH,
      enteredAt: now,
      createdAt: now,
      targetVersion,
      history: [{ state: 'Init', at: now }],
    };
    if (rejectNow) plan.failAt = { state: 'PlanFailed', reasons: reasons.length > 0 ? reasons : (injected?.errorReasons ?? []) };
    else if (injected?.atState) {
      // A state that is not on this plan's path (e.g. a DDM state for an MDM plan): fail just before completing.
      const state = plan.path.includes(injected.atState) ? injected.atState : (plan.path[plan.path.length - 2] ?? 'Init');
      plan.failAt = { state, reasons: injected.errorReasons };
    }
    else if (computer && computer.bootDriveAvailableSpaceMegabytes < 20_000 && config.updateAction !== 'DOWNLOAD_ONLY') {
      plan.failAt = { state: ddm ? 'CollectingDDMStatus' : 'CollectingOSUpdateStatus', reasons: ['NO_DISK_SPACE'] };
    }
    this.plans.set(plan.planUuid, plan);
    this.emit(plan);
    return plan;
  }

  queueFailure(f: PlannedFailure, count = 1): void {
    for (let i = 0; i < count; i++) this.queuedFailures.push(f);
  }

  activeFor(deviceId: string, objectType: ObjectType): Plan | undefined {
    for (const p of this.plans.values()) if (p.deviceId === deviceId && p.objectType === objectType && !TERMINAL_STATES.has(p.state)) return p;
    return undefined;
  }

  /** Advance every running plan whose time in its current state is up. */
  tick(): void {
    if (!this.settings.autoAdvancePlans) return;
    const now = this.now();
    for (const plan of this.plans.values()) {
      while (!TERMINAL_STATES.has(plan.state)) {
        const due = plan.enteredAt + this.duration(plan);
        if (now < due) break;
        this.step(plan, due);
      }
    }
  }

  /** Move one plan one step, or on to `toState` if it lies ahead on the plan's path. */
  drive(planId: string, toState?: PlanState): Plan {
    const plan = this.mustGet(planId);
    if (toState === undefined) {
      if (!TERMINAL_STATES.has(plan.state)) this.step(plan, this.now());
      return plan;
    }
    if (!plan.path.includes(toState)) throw new Error(`plan ${planId} never reaches ${toState} (its path: ${plan.path.join(' → ')})`);
    while (plan.state !== toState && !TERMINAL_STATES.has(plan.state)) this.step(plan, this.now());
    return plan;
  }

  fail(planId: string, errorReasons: string[], state: PlanState = 'PlanFailed'): Plan {
    const plan = this.mustGet(planId);
    if (TERMINAL_STATES.has(plan.state)) throw new Error(`plan ${planId} already ended in ${plan.state}`);
    plan.errorReasons = [...errorReasons];
    this.enter(plan, state, this.now());
    return plan;
  }

  /** Switching the feature toggle purges update records (reference §4.2). */
  purge(): number {
    const n = this.plans.size;
    this.plans.clear();
    return n;
  }

  private mustGet(planId: string): Plan {
    const plan = this.plans.get(planId);
    if (!plan) throw new Error(`no plan ${planId}`);
    return plan;
  }

  private duration(plan: Plan): number {
    if (plan.state === 'WaitingForScheduledOSUpdateScanToComplete') return this.settings.planScanWaitMs;
    if (plan.state === 'DDMPlanScheduled' && plan.forceInstallLocalDateTime) {
      const at = parseLocalDateTime(plan.forceInstallLocalDateTime);
      if (at !== undefined && at > plan.enteredAt) return at - plan.enteredAt;
    }
    return this.settings.planStepMs;
  }

  private step(plan: Plan, at: number): void {
    const failAt = plan.failAt;
    if (failAt && plan.state === failAt.state && failAt.state !== 'PlanFailed') {
      plan.errorReasons = [...failAt.reasons];
      this.enter(plan, 'PlanFailed', at);
      return;
    }
    const next = plan.path[plan.path.indexOf(plan.state) + 1];
    if (!next) return;
    if (next === 'PlanFailed' && failAt) plan.errorReasons = [...failAt.reasons];
    this.enter(plan, next, at);
  }

  private enter(plan: Plan, state: PlanState, at: number): void {
    plan.state = state;
    plan.enteredAt = at;
    plan.history.push({ state, at });
    if (state === 'PlanCompleted') this.applyToInventory(plan, at);
    this.emit(plan);
  }

  private applyToInventory(plan: Plan, at: number): void {
    if (plan.objectType !== 'COMPUTER' || plan.updateAction === 'DOWNLOAD_ONLY' || !plan.targetVersion) return;
    const computer = this.store.computers.get(Number(plan.deviceId));
    if (!computer) return;
    computer.osVersion = plan.targetVersion;
    computer.osBuild = buildFor(plan.targetVersion);
    computer.reportDate = at;
    computer.lastContact = at;
  }

  private emit(plan: Plan): void {
    const computer = plan.objectType === 'COMPUTER' ? this.store.computers.get(Number(plan.deviceId)) : undefined;
    const event: PlanEvent = {
      planId: plan.planUuid,
      deviceId: plan.deviceId,
      managementId: computer?.managementId,
      udid: computer?.udid,
      state: plan.state,
      updateAction: plan.updateAction,
      versionType: plan.versionType,
      specificVersion: plan.specificVersion,
      errorReasons: [...plan.errorReasons],
      ...(plan.forceInstallLocalDateTime ? { forceInstallLocalDateTime: plan.forceInstallLocalDateTime } : {}),
    };
    this.events.emit('plan', event);
  }
}
