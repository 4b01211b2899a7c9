import type * as LogFormat from './runtime/logformat';
import { requireRuntime } from './runtimeDir';

/**
 * Pure helpers that produce the device's unified-log lines superd watches with `log stream`
 * (reference/macos-commands.md §12, super-behaviour.md §3.9). Give their output to
 * FakeMac.emitLog(): a fake `log stream` re-renders every line in its own --style, so the
 * style chosen here only matters when a test compares text.
 */

export type LogEntry = LogFormat.LogEntry;
export type LogEntryFields = LogFormat.LogEntryFields;
export type LogStyle = 'ndjson' | 'compact';

export interface LogLineOptions {
  /** Default 'ndjson'. */
  style?: LogStyle;
  /** Time of the first line (default now); each further line is `stepMs` later. */
  time?: Date;
  /** Default 5 ms. */
  stepMs?: number;
  pid?: number;
  /** Thread id (also shown inside mdmclient's `<0x…>` prefix). */
  tid?: number;
}

const format = (): typeof LogFormat => requireRuntime<typeof LogFormat>('logformat.js');

/** Renders one entry (missing fields get the defaults of a real ndjson line). */
export function formatLogLine(fields: LogEntryFields, style: LogStyle | 'default' = 'ndjson'): string {
  const f = format();
  return f.render(f.makeEntry(fields), style);
}

/** Parses an ndjson or compact line (null for headers and anything else). */
export function parseLogLine(line: string): LogEntry | null {
  return format().parseLine(line);
}

interface Source {
  process: string;
  processImagePath: string;
  senderImagePath?: string;
  subsystem: string;
  category: string;
  pid: number;
  tid: number;
}

const MDMCLIENT: Source = {
  process: 'mdmclient',
  processImagePath: '/usr/libexec/mdmclient',
  subsystem: 'com.apple.ManagedClient',
  category: 'HTTPUtil',
  pid: 9341,
  tid: 0x6f30,
};

const SOFTWAREUPDATED: Source = {
  process: 'softwareupdated',
  processImagePath: '/System/Library/PrivateFrameworks/SoftwareUpdate.framework/Versions/A/Resources/softwareupdated',
  senderImagePath: '/System/Library/PrivateFrameworks/SoftwareUpdateMacController.framework/Versions/A/SoftwareUpdateMacController',
  subsystem: 'com.apple.SoftwareUpdateMacController',
  category: 'SU',
  pid: 13719,
  tid: 0x89b8,
};

function render(source: Source, messages: string[], opts: LogLineOptions = {}): string[] {
  const f = format();
  const start = (opts.time ?? new Date()).getTime();
  const step = opts.stepMs ?? 5;
  return messages.map((eventMessage, i) => f.render(f.makeEntry({
    processImagePath: source.processImagePath,
    senderImagePath: source.senderImagePath ?? source.processImagePath,
    subsystem: source.subsystem,
    category: source.category,
    processID: opts.pid ?? source.pid,
    threadID: opts.tid ?? source.tid,
    timestamp: f.longTimestamp(new Date(start + i * step)),
    eventMessage,
  }), opts.style ?? 'ndjson'));
}

// ------------------------------------------------------------------ MDM command traffic

/** Request types seen in HTTPUtil lines; any other string is accepted too. */
export type MdmRequestType =
  | 'ScheduleOSUpdateScan'
  | 'AvailableOSUpdates'
  | 'ScheduleOSUpdate'
  | 'OSUpdateStatus'
  | 'DeviceInformation'
  | 'DeclarativeManagement'
  | (string & {});

/** `Error(<type>)` is Derived, `NotNow` unconfirmed (reference §12.2). */
export type MdmCommandStatus = 'Acknowledged' | 'Error' | 'NotNow';

function mdmMessages(bracket: string, tid: number, httpStatus = 200): string[] {
  const prefix = `[0:MDMDaemon:HTTPUtil:<0x${tid.toString(16)}>]`;
  return [
    `${prefix} >>>>> Sending HTTP request (PUT) [${bracket}] >>>>>`,
    `${prefix} <<<<< Received HTTP response (${httpStatus}) [${bracket}] <<<<<`,
  ];
}

/**
 * The device checking in after a push (`[Idle]` request and response): the response is how
 * the device receives its next queued command.
 */
export function mdmIdleLines(opts: LogLineOptions = {}): string[] {
  return render(MDMCLIENT, mdmMessages('Idle', opts.tid ?? MDMCLIENT.tid), opts);
}

/** The device reporting a command's result: `[Acknowledged(<type>):<uuid>]` request and response. */
export function mdmStatusLines(
  requestType: MdmRequestType,
  commandUuid: string,
  opts: LogLineOptions & { status?: MdmCommandStatus; httpStatus?: number } = {},
): string[] {
  const bracket = `${opts.status ?? 'Acknowledged'}(${requestType}):${commandUuid}`;
  return render(MDMCLIENT, mdmMessages(bracket, opts.tid ?? MDMCLIENT.tid, opts.httpStatus), opts);
}

/**
 * A command received (Idle check-in) and acknowledged (status report): four lines. The install
 * action of a ScheduleOSUpdate (InstallASAP, InstallLater, …) is in the command payload and does
 * not appear in HTTPUtil lines.
 */
export function mdmCommandLines(
  requestType: MdmRequestType,
  commandUuid: string,
  opts: LogLineOptions & { status?: MdmCommandStatus } = {},
): string[] {
  const step = opts.stepMs ?? 5;
  const time = opts.time ?? new Date();
  return [
    ...mdmIdleLines({ ...opts, time }),
    ...mdmStatusLines(requestType, commandUuid, { ...opts, time: new Date(time.getTime() + 2 * step) }),
  ];
}

// ------------------------------------------------------------------ softwareupdated progress

export type SoftwareUpdatePhase =
  | 'ACCEPTED' | 'RELOADING_SU' | 'RELOADING_SFR' | 'RELOADING_UPDATE_BRAIN' | 'DOWNLOADING_UPDATE_BRAIN'
  | 'PREFLIGHT_WAKEUP' | 'PREFLIGHT_PREREQUISITE' | 'PREFLIGHT_PERSONALIZE' | 'PREFLIGHT_FDR_RECOVERY'
  | 'DOWNLOADING_SFR' | 'DOWNLOADING_UPDATE' | 'DOWNLOADED_UPDATE' | 'PREPARING_UPDATE' | 'PREPARED' | 'READY'
  | 'COMPLETED' | 'PREPARED_COMMITTING_STASH' | 'APPLYING';

export interface ProgressReport {
  phase: SoftwareUpdatePhase;
  /** Default 'inter'. */
  stage?: 'start' | 'inter' | 'end';
  /** 0–1. */
  portionComplete: number;
  stalled?: boolean;
  totalWrittenBytes?: number;
  totalExpectedBytes?: number;
  /** Default -1. */
  estimatedTimeRemaining?: number;
}

/** `[SUMacControllerProgressManager] Reported progress (<stage>): phase:… stalled:… portionComplete:…` */
export function progressMessage(report: ProgressReport): string {
  const bytes = report.totalWrittenBytes !== undefined && report.totalExpectedBytes !== undefined
    ? ` totalWrittenBytes:${Math.round(report.totalWrittenBytes)} totalExpectedBytes:${Math.round(report.totalExpectedBytes)}`
    : '';
  return `[SUMacControllerProgressManager] Reported progress (${report.stage ?? 'inter'}): phase:${report.phase} ` +
    `stalled:${report.stalled ? 'YES' : 'NO'} portionComplete:${report.portionComplete.toFixed(6)}${bytes} ` +
    `estimatedTimeRemaining:${(report.estimatedTimeRemaining ?? -1).toFixed(6)}`;
}

export function softwareupdateProgressLines(reports: ProgressReport[], opts: LogLineOptions = {}): string[] {
  return render(SOFTWAREUPDATED, reports.map(progressMessage), opts);
}

/** The update accepted and the preflight run (ACCEPTED, PREFLIGHT_WAKEUP, PREFLIGHT_PREREQUISITE). */
export function preflightLines(opts: LogLineOptions = {}): string[] {
  return softwareupdateProgressLines([
    { phase: 'ACCEPTED', stage: 'start', portionComplete: 0.001 },
    { phase: 'PREFLIGHT_WAKEUP', stage: 'start', portionComplete: 0.01 },
    { phase: 'PREFLIGHT_WAKEUP', stage: 'end', portionComplete: 0.999 },
    { phase: 'PREFLIGHT_PREREQUISITE', stage: 'start', portionComplete: 0.08 },
  ], opts);
}

/**
 * DOWNLOADING_UPDATE progress with byte counts, then DOWNLOADED_UPDATE. portionComplete runs
 * 0 → 0.60 over the download, the scale super assumes (≥ 0.60 = downloaded; reference §12.2).
 */
export function downloadProgressLines(
  opts: LogLineOptions & { steps?: number[]; totalBytes?: number } = {},
): string[] {
  const total = opts.totalBytes ?? 5_552_898_056;
  const steps = opts.steps ?? [0.05, 0.25, 0.5, 0.75, 1];
  const reports: ProgressReport[] = steps.map((fraction, i) => ({
    phase: 'DOWNLOADING_UPDATE',
    stage: i === 0 ? 'start' : 'inter',
    portionComplete: 0.6 * fraction,
    totalWrittenBytes: total * fraction,
    totalExpectedBytes: total,
  }));
  reports.push({ phase: 'DOWNLOADED_UPDATE', stage: 'end', portionComplete: 0.6 });
  return softwareupdateProgressLines(reports, opts);
}

/** PREPARING_UPDATE from 0.60 to 0.99, then PREPARED (0.999) and COMPLETED (1.0). */
export function prepareProgressLines(opts: LogLineOptions & { steps?: number[] } = {}): string[] {
  const steps = opts.steps ?? [0, 0.5, 1];
  const reports: ProgressReport[] = steps.map((fraction, i) => ({
    phase: 'PREPARING_UPDATE',
    stage: i === 0 ? 'start' : 'inter',
    portionComplete: 0.6 + 0.39 * fraction,
  }));
  reports.push({ phase: 'PREPARED', stage: 'end', portionComplete: 0.999 }, { phase: 'COMPLETED', stage: 'end', portionComplete: 1 });
  return softwareupdateProgressLines(reports, opts);
}

/**
 * The prepared update being applied: the Mac is about to restart. A full update shows ACCEPTED
 * then APPLYING; a Rapid Security Response shows PREPARED_COMMITTING_STASH (reference §12.2).
 */
export function restartPendingLines(opts: LogLineOptions & { rsr?: boolean } = {}): string[] {
  const reports: ProgressReport[] = opts.rsr
    ? [
        { phase: 'ACCEPTED', stage: 'start', portionComplete: 0.001 },
        { phase: 'PREPARED_COMMITTING_STASH', stage: 'start', portionComplete: 0.01 },
        { phase: 'PREPARED_COMMITTING_STASH', stage: 'inter', portionComplete: 0.5045 },
      ]
    : [
        { phase: 'ACCEPTED', stage: 'start', portionComplete: 0.001 },
        { phase: 'APPLYING', stage: 'start', portionComplete: 0.01 },
      ];
  return softwareupdateProgressLines(reports, opts);
}
