import { startLogStream, type LogStreamEntry } from '../../host/logStream';
import { LOG, logShowArguments, showLogEntries } from '../../host/logShow';
import { hostPath } from '../../host/paths';
import { OSLOG_HELPER_PATH } from '../../log/osLogHelperProtocol';
import { SUBSYSTEM } from '../../log/createLogger';
import { selectUnifiedLogSink } from '../../log/unifiedLogTransport';
import { CommandError } from '../../errors';
import { confirmed, differs, type CheckContext, type DoctorCheck } from '../types';

const CATEGORY = 'doctor';
/** How long the stream may take to deliver the line once it was written. */
const STREAM_WAIT_MS = 45_000;
/** `log show` may lag the write by a moment on a busy Mac: a few tries, a little apart. */
const SHOW_TRIES = 5;
const SHOW_RETRY_MS = 2_000;
/** Long enough to cover the checks that ran since the line was written. */
const SHOW_LAST = '10m';

export const marker = (token: string) => `superd doctor line ${token}`;
export const predicateFor = (token: string) => `eventMessage CONTAINS "${marker(token)}"`;

/**
 * Writes the one doctor line through superd's own unified-log sink: on macOS the one superd's
 * logger picks (superd's os_log helper if installed, else /usr/bin/logger); elsewhere (a fake Mac under
 * SUPERD_ROOT) /usr/bin/logger, the only sink there is.
 */
async function writeDoctorLine(ctx: CheckContext): Promise<'logger' | 'helper'> {
  if (ctx.state.logLineSink) return ctx.state.logLineSink;
  const choice = selectUnifiedLogSink(ctx.platform === 'darwin' ? 'auto' : 'logger', {
    platform: ctx.platform,
    helperFile: hostPath(OSLOG_HELPER_PATH, ctx.root),
    runCommand: ctx.run,
  });
  const sink = choice.sink;
  if (!sink) throw new CommandError(LOG, null, '', `superd has no unified-log writer on this system${choice.problem ? `: ${choice.problem}` : ''}`);
  sink.write({ level: 'info', category: CATEGORY, message: marker(ctx.token) });
  await sink.close();
  ctx.state.logLineSink = sink.kind;
  return sink.kind;
}

/** The entry is the doctor's: its marker, and the shape the sink that wrote it gives entries. */
function isDoctorEntry(entry: LogStreamEntry, token: string, sink: 'logger' | 'helper'): boolean {
  if (!entry.message.includes(marker(token))) return false;
  return sink === 'helper' ? entry.subsystem === SUBSYSTEM && entry.category === CATEGORY : true;
}

export const logStreamCheck: DoctorCheck = {
  id: 'log-stream',
  command: [LOG, 'stream', '--style', 'ndjson', '--level', 'info', '--predicate', predicateFor('TOKEN')],
  expected: 'the "Filtering the log data using …" header, then the line superd wrote as an ndjson entry',
  boundMs: 90_000,
  async run(ctx) {
    const predicate = predicateFor(ctx.token);
    ctx.note([LOG, 'stream', '--style', 'ndjson', '--level', 'info', '--predicate', predicate]);
    let seen: (() => void) | undefined;
    const arrived = new Promise<void>((resolve) => (seen = resolve));
    let sink: 'logger' | 'helper' | undefined;
    const pending: LogStreamEntry[] = [];
    const stream = await startLogStream(ctx.root, predicate, (entry) => {
      pending.push(entry);
      if (sink && pending.some((e) => isDoctorEntry(e, ctx.token, sink!))) seen?.();
    }, ctx.signal);
    try {
      sink = await writeDoctorLine(ctx);
      if (pending.some((e) => isDoctorEntry(e, ctx.token, sink!))) seen?.();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), STREAM_WAIT_MS);
        ctx.signal.addEventListener('abort', () => resolve(false), { once: true });
      });
      const found = await Promise.race([arrived.then(() => true), timedOut]);
      clearTimeout(timer);
      if (!found) return differs(`log stream subscribed, but the line superd wrote (through ${sink}) did not arrive within ${STREAM_WAIT_MS / 1000} s`);
      return confirmed(`subscribed, and the line superd wrote through ${sink} arrived`);
    } finally {
      await stream.stop();
    }
  },
};

export const logShowCheck: DoctorCheck = {
  id: 'log-show',
  command: [LOG, ...logShowArguments(predicateFor('TOKEN'), SHOW_LAST)],
  expected: 'the line superd wrote, as an ndjson entry (reference/macos-commands.md §13)',
  boundMs: 90_000,
  async run(ctx) {
    const sink = await writeDoctorLine(ctx);
    for (let attempt = 1; attempt <= SHOW_TRIES; attempt++) {
      const entries = await showLogEntries(ctx.run, predicateFor(ctx.token), SHOW_LAST, ctx.signal);
      if (entries.some((e) => isDoctorEntry(e, ctx.token, sink))) return confirmed(`the line superd wrote through ${sink} was found${attempt > 1 ? ` (try ${attempt})` : ''}`);
      if (attempt < SHOW_TRIES) await ctx.sleep(SHOW_RETRY_MS);
    }
    return differs(`the line superd wrote through ${sink} was not found after ${SHOW_TRIES} tries`);
  },
};
