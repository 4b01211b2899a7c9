import { localNoZone } from './clock';

/** ManagedSoftwareUpdatePlanToggleStatus (OpenAPI 11.30.0). */
export interface ToggleJobStatus {
  startTime: string | null;
  endTime: string | null;
  elapsedTime: number | null;
  state: 'NOT_RUNNING' | 'RUNNING' | 'NEVER_RAN';
  totalRecords: number;
  processedRecords: number;
  percentComplete: number;
  formattedPercentComplete: string;
  exitState: 'UNKNOWN' | 'EXECUTING' | 'COMPLETED' | 'NOOP' | 'FAILED' | 'STOPPED';
  exitMessage: string;
}

interface Job {
  target: boolean;
  startedAt: number;
  endsAt: number;
  totalRecords: number;
}

const neverRan = (): ToggleJobStatus => ({
  startTime: null,
  endTime: null,
  elapsedTime: null,
  state: 'NEVER_RAN',
  totalRecords: 0,
  processedRecords: 0,
  percentComplete: 0,
  formattedPercentComplete: '',
  exitState: 'UNKNOWN',
  exitMessage: '',
});

/**
 * The "new software updates experience" feature toggle. Changing it starts a
 * background job that purges update records; the new value takes effect
 * only when the job completes (reference §4.2, §4.3).
 */
export class FeatureToggle {
  value: boolean;
  private job: Job | undefined;
  private readonly status: { toggleOn: ToggleJobStatus; toggleOff: ToggleJobStatus } = { toggleOn: neverRan(), toggleOff: neverRan() };

  constructor(
    initial: boolean,
    private readonly now: () => number,
    private readonly jobMs: () => number,
    private readonly purge: () => number,
  ) {
    this.value = initial;
  }

  get running(): boolean {
    return this.job !== undefined;
  }

  /** Start switching to `target`. Returns false when a job is already running. */
  request(target: boolean, countRecords: number): boolean {
    this.tick();
    if (this.job) return false;
    const now = this.now();
    if (target === this.value) {
      const s = this.slot(target);
      Object.assign(s, { startTime: localNoZone(now), endTime: localNoZone(now), elapsedTime: 0, state: 'NOT_RUNNING', exitState: 'NOOP', exitMessage: '' });
      return true;
    }
    this.job = { target, startedAt: now, endsAt: now + this.jobMs(), totalRecords: countRecords };
    Object.assign(this.slot(target), {
      startTime: localNoZone(now),
      endTime: null,
      elapsedTime: 0,
      state: 'RUNNING',
      totalRecords: countRecords,
      processedRecords: 0,
      percentComplete: 0,
      formattedPercentComplete: `0 / ${countRecords} -> 0% Complete`,
      exitState: 'EXECUTING',
      exitMessage: '',
    });
    return true;
  }

  /** Apply immediately (test setup), without a job. */
  force(value: boolean): void {
    this.job = undefined;
    this.value = value;
  }

  /** "Break glass": stop a running job; the value does not change. */
  abandon(): void {
    const job = this.job;
    if (!job) return;
    const now = this.now();
    Object.assign(this.slot(job.target), { endTime: localNoZone(now), state: 'NOT_RUNNING', exitState: 'STOPPED', exitMessage: 'Abandoned' });
    this.job = undefined;
  }

  tick(): void {
    const job = this.job;
    if (!job) return;
    const now = this.now();
    const s = this.slot(job.target);
    const elapsed = Math.max(0, now - job.startedAt);
    const span = Math.max(1, job.endsAt - job.startedAt);
    if (now >= job.endsAt) {
      const purged = this.purge();
      this.value = job.target;
      this.job = undefined;
      const total = Math.max(job.totalRecords, purged);
      Object.assign(s, {
        endTime: localNoZone(job.endsAt),
        elapsedTime: Math.round((job.endsAt - job.startedAt) / 1000),
        state: 'NOT_RUNNING',
        totalRecords: total,
        processedRecords: total,
        percentComplete: 100,
        formattedPercentComplete: `${total} / ${total} -> 100% Complete`,
        exitState: 'COMPLETED',
      });
      return;
    }
    const processed = Math.floor((job.totalRecords * elapsed) / span);
    const pct = job.totalRecords === 0 ? 0 : Math.floor((processed * 100) / job.totalRecords);
    Object.assign(s, {
      elapsedTime: Math.round(elapsed / 1000),
      processedRecords: processed,
      percentComplete: pct,
      formattedPercentComplete: `${processed} / ${job.totalRecords} -> ${pct}% Complete`,
    });
  }

  snapshot(): { toggleOn: ToggleJobStatus; toggleOff: ToggleJobStatus } {
    this.tick();
    return { toggleOn: { ...this.status.toggleOn }, toggleOff: { ...this.status.toggleOff } };
  }

  private slot(target: boolean): ToggleJobStatus {
    return target ? this.status.toggleOn : this.status.toggleOff;
  }
}
