export interface TickState {
  readonly now: Date;
  /** A worker (run or heartbeat) is running: never start a second one. */
  readonly busy: boolean;
  /** The next attempt the last run scheduled (status plist), absolute. */
  readonly nextAttempt: Date | null;
  /** A recurring update check, a policy hand-off or a changed profile asked for a run. */
  readonly runRequested: boolean;
  /** A run was interrupted (its snapshot is still in the status plist). */
  readonly interrupted: boolean;
  /** The recurring update check (absolute, with a per-Mac offset). */
  readonly updateCheckDue?: Date | null;
  /** When the credential heartbeat is due; null when there is no Jamf credential to check. */
  readonly heartbeatDue: Date | null;
}

/**
 * What the daemon does on a tick. Pure. Times are absolute and compared with the wall clock,
 * so a Mac that slept, or a clock that jumped forward, runs an overdue retry at the next tick.
 * A run goes before a heartbeat; nothing starts while a worker runs.
 */
export function decideTick(s: TickState): 'run' | 'heartbeat' | null {
  if (s.busy) return null;
  if (s.interrupted || s.runRequested) return 'run';
  if (s.nextAttempt !== null && s.nextAttempt.getTime() <= s.now.getTime()) return 'run';
  if (s.updateCheckDue && s.updateCheckDue.getTime() <= s.now.getTime()) return 'run';
  if (s.heartbeatDue !== null && s.heartbeatDue.getTime() <= s.now.getTime()) return 'heartbeat';
  return null;
}
