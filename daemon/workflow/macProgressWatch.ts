import { startLogStream, type LogStreamEntry } from '../host/logStream';
import type { MacProgressEvent, MacProgressWatch, StartMacProgressWatch } from './contracts';

/** mdmclient's HTTP exchanges and softwareupdated's progress reports (reference §12). */
export const MAC_PROGRESS_PREDICATE =
  '(process == "mdmclient" AND eventMessage CONTAINS "HTTPUtil") OR (process == "softwareupdated" AND eventMessage CONTAINS "Reported progress")';

const MDM_EXCHANGE = /Sending HTTP request \(PUT\) \[(Acknowledged|Error|CommandFormatError|NotNow)\(([A-Za-z]+)\):/;
const PROGRESS = /phase:([A-Z_]+).*?portionComplete:([\d.]+)/;

/** Turns one unified-log entry into what it says about the update, if anything. */
export function progressEventOf(entry: LogStreamEntry): MacProgressEvent | null {
  const mdm = MDM_EXCHANGE.exec(entry.message);
  if (mdm) {
    const [, status, command] = mdm;
    return {
      kind: 'mdm-command',
      command: command ?? '',
      status: status === 'Acknowledged' ? 'acknowledged' : 'error',
      ...(status === 'Acknowledged' ? {} : { detail: `the Mac answered ${status} to ${command}` }),
    };
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
