import { decideTick } from './decideTick';

export type WorkerKind = 'run' | 'heartbeat';

export interface WorkerHandle {
  /** Resolves with the exit status (or the signal's 128 + n). */
  readonly exit: Promise<number>;
  stop(): Promise<void>;
}

export interface ScheduleSnapshot {
  readonly nextAttempt: Date | null;
  /** The next recurring update check. */
  readonly updateCheckDue?: Date | null;
  readonly interrupted: boolean;
  readonly heartbeatDue: Date | null;
}

export interface SchedulerDeps {
  now(): Date;
  /** Reads the absolute times from the status plist (and settings) afresh. */
  readSchedule(): Promise<ScheduleSnapshot>;
  startWorker(kind: WorkerKind): WorkerHandle;
  log(message: string): void;
  /** Told when a run starts (the recurring check counts from it). */
  onRunStarted?(at: Date): void;
}

/**
 * The waiting daemon: on each tick it reads the absolute times and starts at most one worker
 * process (a run or a heartbeat). It holds no workflow code; a run's failure stays in its
 * worker. Between ticks it does nothing.
 */
export class DaemonScheduler {
  #worker: { kind: WorkerKind; handle: WorkerHandle } | null = null;
  #runRequested = false;
  #ticking = false;
  #stopped = false;
  /** A snapshot found at start means the last run was interrupted: resume it once. */
  #resumeChecked = false;

  constructor(private readonly deps: SchedulerDeps) {}

  get busy(): boolean {
    return this.#worker !== null;
  }

  requestRun(reason: string): void {
    this.deps.log(`run requested: ${reason}`);
    this.#runRequested = true;
    void this.tick();
  }

  /** One tick; returns what it started, if anything. */
  async tick(): Promise<WorkerKind | null> {
    if (this.#ticking || this.#stopped) return null;
    this.#ticking = true;
    try {
      const schedule = await this.deps.readSchedule();
      // stop() may have run while the schedule was read (and ended the worker): start nothing
      // then, or the new worker would outlive the daemon's stop and keep it from exiting.
      if (this.#stopped) return null;
      const interrupted = !this.#resumeChecked && schedule.interrupted;
      this.#resumeChecked = true;
      const action = decideTick({ now: this.deps.now(), busy: this.busy, runRequested: this.#runRequested, interrupted, nextAttempt: schedule.nextAttempt, updateCheckDue: schedule.updateCheckDue ?? null, heartbeatDue: schedule.heartbeatDue });
      if (action === null) return null;
      if (action === 'run') this.#runRequested = false;
      this.#start(action);
      return action;
    } finally {
      this.#ticking = false;
    }
  }

  #start(kind: WorkerKind): void {
    this.deps.log(`starting a ${kind} worker`);
    if (kind === 'run') this.deps.onRunStarted?.(this.deps.now());
    const handle = this.deps.startWorker(kind);
    this.#worker = { kind, handle };
    void handle.exit.then((status) => {
      this.deps.log(`${kind} worker exited ${status}`);
      this.#worker = null;
      // A run requested while this worker ran is started now, not a minute later.
      if (this.#runRequested && !this.#stopped) void this.tick();
    });
  }

  /** Stops the worker (if any) and refuses further ticks. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const worker = this.#worker;
    if (worker) {
      this.deps.log(`stopping the ${worker.kind} worker`);
      await worker.handle.stop();
      await worker.handle.exit;
    }
  }
}
