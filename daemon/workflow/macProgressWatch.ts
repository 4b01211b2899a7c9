import { startLogStream, type LogStreamEntry } from '../host/logStream';
import type { MacProgressEvent, MacProgressWatch, StartMacProgressWatch } from './contracts';

/**
 * mdmclient's HTTP exchanges and softwareupdated's progress reports. The first half is super's
 * own predicate for its mdm-command.log (Macjutsu/super `super`, push_macos_mdm():
 * `subsystem == "com.apple.ManagedClient" AND category == "HTTPUtil"`); the second is super's
 * mdm-workflow.log predicate with `eventMessage` for `composedMessage` (reference §12.4).
 */
export const MAC_PROGRESS_PREDICATE =
  '(subsystem == "com.apple.ManagedClient" AND category == "HTTPUtil") OR (process == "softwareupdated" AND eventMessage CONTAINS "Reported progress")';

/**
 * The server's answer to the Mac's status report: `<<<<< Received HTTP response (200)
 * [<Status>(<RequestType>):<CommandUUID>] <<<<<` (real lines: test/fixtures/macos/log-stream/).
 * super matches the same `Received HTTP response (200) [` form (push_macos_mdm()); the
 * `Sending HTTP request (PUT)` line before it carries the same bracket, so only one is read.
 */
const MDM_STATUS = /Received HTTP response \(200\) \[(Acknowledged|Error|CommandFormatError|NotNow)\(([A-Za-z]+)\):([^\]]*)\]/;
const PROGRESS = /phase:([A-Z_]+).*?portionComplete:([\d.]+)/;

/** Turns one unified-log entry into what it says about the update, if anything. */
export function progressEventOf(entry: LogStreamEntry): MacProgressEvent | null {
  const mdm = MDM_STATUS.exec(entry.message);
  if (mdm) {
    const [, status, command = ''] = mdm;
    if (status === 'Acknowledged') return { kind: 'mdm-command', command, status: 'acknowledged' };
    if (status === 'NotNow') return { kind: 'mdm-command', command, status: 'not-now', detail: `the Mac answered NotNow to ${command} (busy; the MDM server sends it again)` };
    return { kind: 'mdm-command', command, status: 'error', detail: `the Mac answered ${status} to ${command}` };
  }
  const progress = PROGRESS.exec(entry.message);
  if (!progress) return null;
  const phase = progress[1] ?? '';
  const percent = Math.round(Number(progress[2]) * 1000) / 10;
  if (phase === 'APPLYING' || phase === 'PREPARED_COMMITTING_STASH') return { kind: 'restart-pending' };
  if (phase.startsWith('DOWNLOAD')) return { kind: 'download-progress', percent };
  if (phase === 'PREPARING_UPDATE' || phase === 'PREPARED' || phase === 'COMPLETED' || phase === 'READY') return { kind: 'prepare-progress', percent };
  return null;
}

/** The production watcher: one `log stream` under the root, subscribed before it resolves. */
export function startMacProgressWatch(root: string): StartMacProgressWatch {
  return async (signal) => {
    const seen: MacProgressEvent[] = [];
    const listeners: Array<(e: MacProgressEvent) => void> = [];
    const stream = await startLogStream(
      root,
      MAC_PROGRESS_PREDICATE,
      (entry) => {
        const event = progressEventOf(entry);
        if (!event) return;
        seen.push(event);
        for (const l of listeners) l(event);
      },
      signal,
    );
    const watch: MacProgressWatch = {
      onEvent(listener) {
        listeners.push(listener);
        for (const e of seen) listener(e);
      },
      stop: () => stream.stop(),
    };
    return watch;
  };
}
