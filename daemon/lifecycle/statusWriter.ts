/**
 * The one writer of `status.plist` during a run. The run reads the file once, at its start;
 * steps note what they learn (a target first seen, an error streak, a paused credential) and the
 * writer puts it on disk together with the machine's own transitions, at the few moments that
 * matter: the start, the states in which a killed run must resume, a plan created, the end.
 * Each write merges only what this run changed, so a heartbeat recorded meanwhile survives.
 */
import { updateStatus, type StatusRecord } from '../status/statusFile';

export interface StatusWriter {
  /** The status as the run started, with what it has noted since. */
  readonly view: Readonly<StatusRecord>;
  /** Remembers facts for the next write (no I/O now). */
  note(change: Partial<StatusRecord>): void;
  /** Writes the noted facts and `change` now; resolves once they are on disk. */
  write(change?: Partial<StatusRecord>): Promise<void>;
  /** Resolves when every write asked for so far is on disk. */
  flushed(): Promise<void>;
  /** How many times this run wrote the file (the bench and tests read it). */
  readonly writes: number;
}

export function createStatusWriter(root: string, initial: StatusRecord, now: () => Date): StatusWriter {
  let view: StatusRecord = { ...initial };
  let pending: Partial<StatusRecord> = {};
  let chain: Promise<unknown> = Promise.resolve();
  let writes = 0;
  return {
    get view() {
      return view;
    },
    get writes() {
      return writes;
    },
    note(change) {
      view = { ...view, ...change };
      pending = { ...pending, ...change };
    },
    write(change = {}) {
      view = { ...view, ...change };
      const merged = { ...pending, ...change };
      pending = {};
      writes += 1;
      const at = now();
      chain = chain.then(() => updateStatus(root, merged, at));
      return chain.then(() => undefined);
    },
    flushed: () => chain.then(() => undefined),
  };
}
