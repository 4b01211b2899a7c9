import { hostPath, superdPaths } from '../host/paths';
import { MAX_PLIST_BYTES, moveAside, readRegularFile, type RegularFile } from '../host/safeFile';
import type { PlistDict } from '../config/readPlist';
import { writePlistAtomically, xmlCanCarry, xmlSafeText } from '../config/writePlist';
import { UnsafeFileError } from '../errors';
import { readStatusPlistText } from './statusPlistReader';
// Loaded only for a file superd did not write, or one that needs repair: the full plist reader
// (and the plist library behind it), and the daemon log.
import type * as ReadPlist from '../config/readPlist';
import type * as DaemonLog from '../log/daemonLog';

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
  /**
   * The target version the recorded plan was created for; set just before the plan request, so
   * a run killed before Jamf Pro answered still knows a plan for this version may exist.
   */
  planTargetVersion: string | null;
  /** The update action of the push superd sent or follows (a plan's `updateAction`, or the legacy one). */
  updateAction: string | null;
  /** When macOS enforces the install (a DDM plan's time), ISO 8601. */
  enforceAt: string | null;
  /** Set after a `Failed` heartbeat: an opaque marker of the credential that failed (never a secret). */
  heartbeatPausedFor: string | null;
  /** The machine snapshot of an interrupted run (JSON), restored by the daemon. */
  machineSnapshot: string | null;
  updatedAt: string | null;
  /** The last time the status file was found damaged and repaired: when, what was wrong, where the damaged file was kept. */
  repair: StatusRepair | null;
}

export interface StatusRepair {
  at: string;
  reason: string;
  /** The damaged file, moved aside for diagnosis; null when only wrongly typed fields were dropped. */
  movedTo: string | null;
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
  planTargetVersion: 'PlanTargetVersion',
  updateAction: 'UpdateAction',
  enforceAt: 'EnforceAt',
  heartbeatPausedFor: 'HeartbeatPausedFor',
  machineSnapshot: 'MachineSnapshot',
  updatedAt: 'UpdatedAt',
  repairedAt: 'RepairedAt',
  repairReason: 'RepairReason',
  repairMovedTo: 'RepairMovedTo',
} as const;

const STATES: readonly RunState[] = ['idle', 'running', 'deferred', 'scheduled', 'waiting-restart', 'done', 'error'];
const METHODS: readonly AuthMethod[] = ['jamf-client', 'jamf-account', 'local-account', 'service-account', 'user'];

/** A time as the status plist keeps it (whole seconds, ISO 8601), so what is compared agrees with what is read back. */
export function statusTime(at: Date): string {
  return new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString();
}

export function emptyStatus(): StatusRecord {
  return { state: 'idle', stateText: null, authMethod: null, computerId: null, nextAttempt: null, lastError: null, heartbeat: null, jamfClientInUse: null, targetVersion: null, targetFirstSeen: null, errorStreak: null, planId: null, planTargetVersion: null, updateAction: null, enforceAt: null, heartbeatPausedFor: null, machineSnapshot: null, updatedAt: null, repair: null };
}

/** Label of a moved-aside status file: `status.plist.corrupt-<time>`. */
export const CORRUPT_LABEL = 'corrupt';

/**
 * Reads the status plist; a missing file is a Mac where superd has not run yet. The file superd
 * wrote is read by the small reader; anything else (edited, converted to binary) by the plist
 * library.
 *
 * It repairs itself (issue 16): a file that is not a property list, is truncated, is not a
 * regular file (a link, a FIFO, a folder) or is over MAX_PLIST_BYTES is moved aside as
 * `status.plist.corrupt-<time>` (the newest three kept), a warning goes to superd's log, and a
 * fresh status that says so is written in its place; a field of the wrong type is dropped (the
 * rest, such as the plan superd follows, is kept) and noted in `repair`. So no damaged status
 * file ever blocks a run or `superd status`. Only a file that cannot be read at all (EACCES,
 * EIO) is still an error.
 */
export async function readStatus(root: string, now: Date = new Date()): Promise<StatusRecord> {
  const file = hostPath(superdPaths.status, root);
  let read: RegularFile | null;
  try {
    read = await readRegularFile(file, MAX_PLIST_BYTES);
  } catch (error) {
    if (error instanceof UnsafeFileError) return repairStatus(root, file, error.issues[0]?.message ?? error.message, now);
    throw error;
  }
  if (read === null) return emptyStatus();
  let dict = readStatusPlistText(read.bytes.toString('utf8'));
  if (dict === null) {
    try {
      dict = await (require('../config/readPlist') as typeof ReadPlist).parsePlistDict(read.bytes, file);
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(`${file}: `, '') : String(error);
      return repairStatus(root, file, reason, now, read);
    }
  }
  const { status, dropped } = checkStatusPlist(dict);
  if (dropped.length === 0) return status;
  const reason = xmlSafeText(`had wrongly typed fields, dropped: ${dropped.join('; ')}`);
  warnOnce(root, `${file}: ${reason}; the next write leaves them out`);
  // The repair is noted with the record, so the next write keeps the note for `superd status`.
  return { ...status, repair: { at: statusTime(now), reason, movedTo: null } };
}

/** Moves the damaged file aside, logs it, and writes a fresh status that says so. */
async function repairStatus(root: string, file: string, fault: string, now: Date, read?: RegularFile): Promise<StatusRecord> {
  // A parser's message may quote the damaged bytes: kept to what the status file can hold.
  const reason = xmlSafeText(fault);
  let movedTo: string | null = null;
  try {
    movedTo = moveAside(file, CORRUPT_LABEL, now, read);
    if (movedTo === null && read) {
      // Another process replaced the damaged file since it was read (it repaired it first): read that one.
      return readStatus(root, now);
    }
  } catch (error) {
    // Not allowed to move it (`superd status` run by a user who is not root): answer, change nothing.
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    return { ...emptyStatus(), repair: { at: statusTime(now), reason: `${reason} (could not move it aside: ${why}; superd repairs it on its next run as root)`, movedTo: null } };
  }
  const repair: StatusRepair = { at: statusTime(now), reason, movedTo };
  warnOnce(root, `${file}: ${reason}; moved aside to ${movedTo ?? '(already gone)'} and the status rebuilt (superd works on; a retry time, plan or heartbeat it held is forgotten)`);
  const fresh: StatusRecord = { ...emptyStatus(), repair, updatedAt: now.toISOString() };
  try {
    await writePlistAtomically(file, statusToPlist(fresh));
  } catch {
    // The next write by a run creates it; the repair is still reported now.
  }
  return fresh;
}

const warned = new Set<string>();

/** A warning in superd's log, once per process for one damage (the daemon reads status every minute). */
function warnOnce(root: string, message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  const { createDaemonLog } = require('../log/daemonLog') as typeof DaemonLog;
  createDaemonLog(hostPath(superdPaths.folder, root))(`status.plist repaired: ${message}`, 'warn', 'status');
}

export function statusFromPlist(d: PlistDict): StatusRecord {
  return checkStatusPlist(d).status;
}

/** A time: a valid plist date, or an ISO 8601 string (an edited file); normalized. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function describeValue(v: unknown): string {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'an invalid date' : 'a date';
  if (v instanceof Uint8Array) return 'data';
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'a dictionary';
  // JSON escapes, then anything outside printable ASCII as "?": the reason is itself written to the file.
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v).replace(/[^\x20-\x7E]/g, '?');
  return `${typeof v} ${String(v)}`;
}

/**
 * The record a status plist holds, each field checked by type: a field of the wrong type is
 * dropped and named in `dropped` (the others are kept, so one bad field never costs the plan
 * superd follows). Keys superd does not know are ignored.
 */
export function checkStatusPlist(d: PlistDict): { status: StatusRecord; dropped: string[] } {
  const dropped: string[] = [];
  const has = (k: string) => Object.hasOwn(d, k);
  const drop = (k: string, expected: string) => {
    dropped.push(`${k} (expected ${expected}, got ${describeValue(d[k])})`);
    return null;
  };
  const str = (k: string): string | null => {
    if (!has(k)) return null;
    const v = d[k];
    if (typeof v !== 'string') return drop(k, 'a string');
    if (!xmlCanCarry(v)) return drop(k, 'text without control characters');
    return v === '' ? null : v;
  };
  const oneOf = <T extends string>(k: string, allowed: readonly T[]): T | null => {
    const v = str(k);
    if (v === null) return null;
    return (allowed as readonly string[]).includes(v) ? (v as T) : drop(k, `one of ${allowed.join(', ')}`);
  };
  const date = (k: string): string | null => {
    if (!has(k)) return null;
    const v = d[k];
    if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString();
    if (typeof v === 'string' && v === '') return null;
    if (typeof v === 'string' && ISO_TIME.test(v)) {
      const ms = Date.parse(v);
      if (Number.isFinite(ms)) return new Date(ms).toISOString();
    }
    return drop(k, 'a date');
  };
  const count = (k: string): number | null => {
    if (!has(k)) return null;
    const v = d[k];
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : drop(k, 'a whole number of at least 0');
  };
  const state = oneOf(KEYS.state, STATES);
  const method = oneOf(KEYS.authMethod, METHODS);
  const code = str(KEYS.lastErrorCode);
  const message = str(KEYS.lastErrorMessage);
  const errorAt = date(KEYS.lastErrorDate);
  const hbStatus = str(KEYS.heartbeatStatus);
  const hbDate = date(KEYS.heartbeatDate);
  const firstSeenVersion = str(KEYS.targetFirstSeenVersion);
  const firstSeenDate = date(KEYS.targetFirstSeenDate);
  const streakCode = str(KEYS.errorStreakCode);
  const streakCount = count(KEYS.errorStreakCount);
  const streakConfig = str(KEYS.errorStreakConfig);
  const repairedAt = date(KEYS.repairedAt);
  const repairReason = str(KEYS.repairReason);
  const repairMovedTo = str(KEYS.repairMovedTo);
  const status: StatusRecord = {
    state: state ?? 'idle',
    stateText: str(KEYS.stateText),
    authMethod: method,
    computerId: str(KEYS.computerId),
    nextAttempt: date(KEYS.nextAttempt),
    lastError: code ? { code, message: message ?? '', at: errorAt } : null,
    heartbeat: hbStatus && hbDate ? { status: hbStatus, checkedAt: hbDate } : null,
    jamfClientInUse: str(KEYS.jamfClientInUse),
    targetVersion: str(KEYS.targetVersion),
    targetFirstSeen: firstSeenVersion && firstSeenDate ? { version: firstSeenVersion, at: firstSeenDate } : null,
    errorStreak: streakCode && streakCount !== null ? { code: streakCode, count: streakCount, configHash: streakConfig ?? '' } : null,
    planId: str(KEYS.planId),
    planTargetVersion: str(KEYS.planTargetVersion),
    updateAction: str(KEYS.updateAction),
    enforceAt: date(KEYS.enforceAt),
    heartbeatPausedFor: str(KEYS.heartbeatPausedFor),
    machineSnapshot: str(KEYS.machineSnapshot),
    updatedAt: date(KEYS.updatedAt),
    repair: repairedAt && repairReason ? { at: repairedAt, reason: repairReason, movedTo: repairMovedTo } : null,
  };
  return { status, dropped };
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
  put(KEYS.planTargetVersion, s.planTargetVersion);
  put(KEYS.updateAction, s.updateAction);
  put(KEYS.enforceAt, s.enforceAt ? new Date(s.enforceAt) : null);
  put(KEYS.heartbeatPausedFor, s.heartbeatPausedFor);
  put(KEYS.machineSnapshot, s.machineSnapshot);
  put(KEYS.updatedAt, s.updatedAt ? new Date(s.updatedAt) : null);
  put(KEYS.repairedAt, s.repair ? new Date(s.repair.at) : null);
  put(KEYS.repairReason, s.repair?.reason ?? null);
  put(KEYS.repairMovedTo, s.repair?.movedTo ?? null);
  return out;
}

/** Merges a change into the status plist and writes it atomically. */
export async function updateStatus(root: string, change: Partial<StatusRecord>, now: Date = new Date()): Promise<StatusRecord> {
  const next: StatusRecord = { ...(await readStatus(root, now)), ...change, updatedAt: now.toISOString() };
  await writePlistAtomically(hostPath(superdPaths.status, root), statusToPlist(next));
  return next;
}
