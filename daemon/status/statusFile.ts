import { readFile } from 'node:fs';
import { hostPath, superdPaths } from '../host/paths';
import type { PlistDict } from '../config/readPlist';
import { writePlistAtomically } from '../config/writePlist';
import { ConfigError } from '../errors';
import { readStatusPlistText } from './statusPlistReader';
// The full plist reader (and the plist library behind it) is loaded only for a file superd did not write.
import type * as ReadPlist from '../config/readPlist';

/** What superd is doing, as Jamf Pro extension attributes and `superd status` show it. */
export type RunState = 'idle' | 'running' | 'deferred' | 'scheduled' | 'waiting-restart' | 'done' | 'error';
export type AuthMethod = 'jamf-client' | 'jamf-account' | 'local-account' | 'service-account' | 'user';

export interface StatusRecord {
  state: RunState;
  stateText: string | null;
  authMethod: AuthMethod | null;
  computerId: string | null;
  nextAttempt: string | null;
  /** The last failure of any invocation that acts (a run, a credential save), with when; cleared by the next success. */
  lastError: { code: string; message: string; at: string | null } | null;
  heartbeat: { status: string; checkedAt: string } | null;
  /** The Jamf Pro API client that last worked (of the two held for fleet rotation); an id, never a secret. */
  jamfClientInUse: string | null;
  targetVersion: string | null;
  /** When the current target update was first seen (for `DeadlineDays*`), remembered across runs. */
  targetFirstSeen: { version: string; at: string } | null;
  /** The same fatal error repeated: drives the back-off; reset when the configuration changes. */
  errorStreak: { code: string; count: number; configHash: string } | null;
  /** The managed software update plan superd is following (so a rerun never creates a second). */
  planId: string | null;
  /** The update action of the push superd sent or follows (a plan's `updateAction`, or the legacy one). */
  updateAction: string | null;
  /** When macOS enforces the install (a DDM plan's time), ISO 8601. */
  enforceAt: string | null;
  /** Set after a `Failed` heartbeat: an opaque marker of the credential that failed (never a secret). */
  heartbeatPausedFor: string | null;
  /** The machine snapshot of an interrupted run (JSON), restored by the daemon. */
  machineSnapshot: string | null;
  updatedAt: string | null;
}

/** Status plist keys, read by the extension attributes in docs/extension-attributes/. */
const KEYS = {
  state: 'State',
  stateText: 'StateText',
  authMethod: 'AuthMethod',
  computerId: 'ComputerID',
  nextAttempt: 'NextAttempt',
  lastErrorCode: 'LastErrorCode',
  lastErrorMessage: 'LastErrorMessage',
  lastErrorDate: 'LastErrorDate',
  heartbeatStatus: 'HeartbeatStatus',
  heartbeatDate: 'HeartbeatDate',
  jamfClientInUse: 'JamfClientInUse',
  targetVersion: 'TargetVersion',
  targetFirstSeenVersion: 'TargetFirstSeenVersion',
  targetFirstSeenDate: 'TargetFirstSeenDate',
  errorStreakCode: 'ErrorStreakCode',
  errorStreakCount: 'ErrorStreakCount',
  errorStreakConfig: 'ErrorStreakConfig',
  planId: 'PlanID',
  updateAction: 'UpdateAction',
  enforceAt: 'EnforceAt',
  heartbeatPausedFor: 'HeartbeatPausedFor',
  machineSnapshot: 'MachineSnapshot',
  updatedAt: 'UpdatedAt',
} as const;

const STATES: readonly RunState[] = ['idle', 'running', 'deferred', 'scheduled', 'waiting-restart', 'done', 'error'];
const METHODS: readonly AuthMethod[] = ['jamf-client', 'jamf-account', 'local-account', 'service-account', 'user'];

/** A time as the status plist keeps it (whole seconds, ISO 8601), so what is compared agrees with what is read back. */
export function statusTime(at: Date): string {
  return new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString();
}

export function emptyStatus(): StatusRecord {
  return { state: 'idle', stateText: null, authMethod: null, computerId: null, nextAttempt: null, lastError: null, heartbeat: null, jamfClientInUse: null, targetVersion: null, targetFirstSeen: null, errorStreak: null, planId: null, updateAction: null, enforceAt: null, heartbeatPausedFor: null, machineSnapshot: null, updatedAt: null };
}

/**
 * Reads the status plist; a missing file is a Mac where superd has not run yet. The file superd
 * wrote is read by the small reader; anything else (edited, converted to binary) by the plist
 * library, with the same errors as every other plist superd reads.
 */
export async function readStatus(root: string): Promise<StatusRecord> {
  const file = hostPath(superdPaths.status, root);
  let bytes: Buffer;
  try {
    // node:fs's callback form: the daemon reads this every tick and never loads node:fs/promises.
    bytes = await new Promise<Buffer>((resolve, reject) => readFile(file, (error, data) => (error ? reject(error) : resolve(data))));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyStatus();
    throw new ConfigError([{ subject: file, message: `cannot be read: ${(error as Error).message}` }], 'configuration');
  }
  const dict = readStatusPlistText(bytes.toString('utf8')) ?? (await (require('../config/readPlist') as typeof ReadPlist).parsePlistDict(bytes, file));
  return statusFromPlist(dict);
}

export function statusFromPlist(d: PlistDict): StatusRecord {
  const str = (k: string) => (typeof d[k] === 'string' && d[k] !== '' ? (d[k] as string) : null);
  const date = (k: string) => (d[k] instanceof Date ? (d[k] as Date).toISOString() : str(k));
  const state = str(KEYS.state);
  const method = str(KEYS.authMethod);
  const code = str(KEYS.lastErrorCode);
  const hbStatus = str(KEYS.heartbeatStatus);
  const hbDate = date(KEYS.heartbeatDate);
  const firstSeenVersion = str(KEYS.targetFirstSeenVersion);
  const firstSeenDate = date(KEYS.targetFirstSeenDate);
  const streakCode = str(KEYS.errorStreakCode);
  return {
    state: state && (STATES as readonly string[]).includes(state) ? (state as RunState) : 'idle',
    stateText: str(KEYS.stateText),
    authMethod: method && (METHODS as readonly string[]).includes(method) ? (method as AuthMethod) : null,
    computerId: str(KEYS.computerId),
    nextAttempt: date(KEYS.nextAttempt),
    lastError: code ? { code, message: str(KEYS.lastErrorMessage) ?? '', at: date(KEYS.lastErrorDate) } : null,
    heartbeat: hbStatus && hbDate ? { status: hbStatus, checkedAt: hbDate } : null,
    jamfClientInUse: str(KEYS.jamfClientInUse),
    targetVersion: str(KEYS.targetVersion),
    targetFirstSeen: firstSeenVersion && firstSeenDate ? { version: firstSeenVersion, at: firstSeenDate } : null,
    errorStreak: streakCode && typeof d[KEYS.errorStreakCount] === 'number'
      ? { code: streakCode, count: d[KEYS.errorStreakCount] as number, configHash: str(KEYS.errorStreakConfig) ?? '' }
      : null,
    planId: str(KEYS.planId),
    updateAction: str(KEYS.updateAction),
    enforceAt: date(KEYS.enforceAt),
    heartbeatPausedFor: str(KEYS.heartbeatPausedFor),
    machineSnapshot: str(KEYS.machineSnapshot),
    updatedAt: date(KEYS.updatedAt),
  };
}

export function statusToPlist(s: StatusRecord): PlistDict {
  const out: PlistDict = { [KEYS.state]: s.state };
  const put = (k: string, v: string | Date | null) => {
    if (v !== null) out[k] = v;
  };
  put(KEYS.stateText, s.stateText);
  put(KEYS.authMethod, s.authMethod);
  put(KEYS.computerId, s.computerId);
  put(KEYS.nextAttempt, s.nextAttempt ? new Date(s.nextAttempt) : null);
  put(KEYS.lastErrorCode, s.lastError?.code ?? null);
  put(KEYS.lastErrorMessage, s.lastError?.message ?? null);
  put(KEYS.lastErrorDate, s.lastError?.at ? new Date(s.lastError.at) : null);
  put(KEYS.heartbeatStatus, s.heartbeat?.status ?? null);
  put(KEYS.heartbeatDate, s.heartbeat ? new Date(s.heartbeat.checkedAt) : null);
  put(KEYS.jamfClientInUse, s.jamfClientInUse);
  put(KEYS.targetVersion, s.targetVersion);
  put(KEYS.targetFirstSeenVersion, s.targetFirstSeen?.version ?? null);
  put(KEYS.targetFirstSeenDate, s.targetFirstSeen ? new Date(s.targetFirstSeen.at) : null);
  put(KEYS.errorStreakCode, s.errorStreak?.code ?? null);
  if (s.errorStreak) out[KEYS.errorStreakCount] = s.errorStreak.count;
  put(KEYS.errorStreakConfig, s.errorStreak?.configHash ?? null);
  put(KEYS.planId, s.planId);
  put(KEYS.updateAction, s.updateAction);
  put(KEYS.enforceAt, s.enforceAt ? new Date(s.enforceAt) : null);
  put(KEYS.heartbeatPausedFor, s.heartbeatPausedFor);
  put(KEYS.machineSnapshot, s.machineSnapshot);
  put(KEYS.updatedAt, s.updatedAt ? new Date(s.updatedAt) : null);
  return out;
}

/** Merges a change into the status plist and writes it atomically. */
export async function updateStatus(root: string, change: Partial<StatusRecord>, now: Date = new Date()): Promise<StatusRecord> {
  const next: StatusRecord = { ...(await readStatus(root)), ...change, updatedAt: now.toISOString() };
  await writePlistAtomically(hostPath(superdPaths.status, root), statusToPlist(next));
  return next;
}
