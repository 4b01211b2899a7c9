import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import {
  createFakeMac, downloadProgressLines, formatLogLine, mdmCommandLines, mdmIdleLines, mdmStatusLines, parseLogLine,
  prepareProgressLines, preflightLines, restartPendingLines, runFake, softwareupdateProgressLines, type FakeMac,
} from './index';
import { blockAfter, blockContaining, loadReference, REFERENCE_MISSING } from './reference';

// The log line helpers, `log stream` and `logger` (reference §12, §13; super-behaviour §3.9).

const hasReference = loadReference() !== null;
if (!hasReference) console.warn(REFERENCE_MISSING);
const withReference = hasReference ? describe : describe.skip;

const MDM_PREDICATE = 'subsystem == "com.apple.ManagedClient" AND category == "HTTPUtil"';
const PROGRESS_PREDICATE = 'process == "softwareupdated" AND composedMessage CONTAINS "Reported progress"';

/** Local time from a compact timestamp `YYYY-MM-DD HH:MM:SS.mmm`. */
function localTime(stamp: string): Date {
  const [date = '', time = ''] = stamp.split(' ');
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi, rest = '0'] = time.split(':');
  const [s, ms] = rest.split('.').map(Number);
  return new Date(y ?? 0, (mo ?? 1) - 1, d ?? 1, Number(h), Number(mi), s ?? 0, ms ?? 0);
}

withReference('log line helpers reproduce the captured lines', () => {
  test('mdmclient HTTPUtil lines (Idle, Acknowledged(ScheduleOSUpdateScan))', () => {
    const sample = blockContaining('### 12.2', 'Acknowledged(ScheduleOSUpdateScan)').trimEnd().split('\n').slice(2);
    const first = sample[0]?.slice(0, 23) ?? '';
    const ack = sample[2]?.slice(0, 23) ?? '';
    const idle = mdmIdleLines({ style: 'compact', time: localTime(first), stepMs: 213, pid: 9341, tid: 0x6f30 });
    const acked = mdmStatusLines('ScheduleOSUpdateScan', 'e1e48384-d47b-4641-9ba1-b112c87a31da', { style: 'compact', time: localTime(ack), stepMs: 72 });
    expect([...idle, ...acked]).toEqual(sample);
  });

  test('softwareupdated "Reported progress" lines, one by one', () => {
    const lines = blockContaining('### 12.2', 'Reported progress (start): phase:ACCEPTED').trimEnd().split('\n').slice(2);
    expect(lines.length).toBeGreaterThan(10);
    const re = /^(\S+ \S+) Df softwareupdated\[(\d+):([0-9a-f]+)\] .*Reported progress \((start|inter|end)\): phase:(\S+) stalled:(YES|NO) portionComplete:([\d.]+) estimatedTimeRemaining:(\S+)$/;
    for (const line of lines) {
      const m = re.exec(line);
      expect(m).not.toBeNull();
      if (!m) continue;
      const [, stamp = '', pid, tid = '', stage, phase, stalled, portion, eta] = m;
      const [made] = softwareupdateProgressLines(
        [{ phase: phase as never, stage: stage as 'start', stalled: stalled === 'YES', portionComplete: Number(portion), estimatedTimeRemaining: Number(eta) }],
        { style: 'compact', time: localTime(stamp), pid: Number(pid), tid: parseInt(tid, 16) },
      );
      expect(made).toBe(line);
    }
  });

  test('default style (super 2.x capture) with byte counts', () => {
    const sample = blockAfter('### 12.3', 'Real line, macOS 12').trimEnd();
    const line = formatLogLine({
      timestamp: '2022-08-01 12:39:03.238158-0400', threadID: 0x4628, processID: 327,
      processImagePath: '/System/Library/PrivateFrameworks/SoftwareUpdate.framework/Versions/A/Resources/softwareupdated',
      senderImagePath: '/System/Library/PrivateFrameworks/SoftwareUpdateMacController.framework/Versions/A/SoftwareUpdateMacController',
      subsystem: 'com.apple.SoftwareUpdateMacController', category: 'SU',
      eventMessage: '[SUMacControllerProgressManager] Reported progress (inter): phase:DOWNLOADING_UPDATE stalled:NO portionComplete:0.302391 totalWrittenBytes:1734047733 totalExpectedBytes:5552898056 estimatedTimeRemaining:45.146050',
    }, 'default');
    expect(line).toBe(sample);
  });

  test('ndjson carries the fields of the representative sample', () => {
    const sample = JSON.parse(blockContaining('### 12.4', '"eventType":"logEvent"').trim()) as Record<string, unknown>;
    const [, received] = mdmStatusLines('ScheduleOSUpdateScan', 'e1e48384-d47b-4641-9ba1-b112c87a31da', { time: new Date(2023, 4, 3, 14, 49, 55, 601), stepMs: 72 });
    const ours = JSON.parse(received ?? '') as Record<string, unknown>;
    for (const [key, value] of Object.entries(sample)) {
      if (key === 'timestamp') expect(String(ours.timestamp).slice(0, 26)).toBe(String(value).slice(0, 26));
      else expect([key, ours[key]]).toEqual([key, value]);
    }
  });
});

test('helper sequences: ordered phases, portionComplete scales, parseable lines', () => {
  const time = new Date(2026, 0, 1, 10, 0, 0, 0);
  const all = [...preflightLines({ time }), ...downloadProgressLines({ time }), ...prepareProgressLines({ time }), ...restartPendingLines({ time })];
  const phases = all.map((line) => /phase:(\w+)/.exec(parseLogLine(line)?.eventMessage ?? '')?.[1]);
  expect(phases).toEqual(['ACCEPTED', 'PREFLIGHT_WAKEUP', 'PREFLIGHT_WAKEUP', 'PREFLIGHT_PREREQUISITE', 'DOWNLOADING_UPDATE', 'DOWNLOADING_UPDATE',
    'DOWNLOADING_UPDATE', 'DOWNLOADING_UPDATE', 'DOWNLOADING_UPDATE', 'DOWNLOADED_UPDATE', 'PREPARING_UPDATE', 'PREPARING_UPDATE', 'PREPARING_UPDATE',
    'PREPARED', 'COMPLETED', 'ACCEPTED', 'APPLYING']);
  const download = downloadProgressLines({ style: 'compact', time });
  expect(download.at(-2)).toMatch(/phase:DOWNLOADING_UPDATE stalled:NO portionComplete:0\.600000 totalWrittenBytes:5552898056 totalExpectedBytes:5552898056 /);
  expect(restartPendingLines({ rsr: true, style: 'compact' }).at(-1)).toContain('phase:PREPARED_COMMITTING_STASH stalled:NO portionComplete:0.504500');
  expect(mdmCommandLines('ScheduleOSUpdate', 'ABC', { style: 'compact' })).toEqual([
    expect.stringContaining('>>>>> Sending HTTP request (PUT) [Idle] >>>>>'),
    expect.stringContaining('<<<<< Received HTTP response (200) [Idle] <<<<<'),
    expect.stringContaining('>>>>> Sending HTTP request (PUT) [Acknowledged(ScheduleOSUpdate):ABC] >>>>>'),
    expect.stringContaining('<<<<< Received HTTP response (200) [Acknowledged(ScheduleOSUpdate):ABC] <<<<<'),
  ]);
  expect(mdmStatusLines('DeclarativeManagement', 'X', { status: 'Error', style: 'compact' })[1]).toContain('Received HTTP response (200) [Error(DeclarativeManagement):X]');
});

// ------------------------------------------------------------------ the running fake

interface Stream {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  waitFor(test: (line: string) => boolean): Promise<string>;
  stop(): Promise<number | null>;
}

function startStream(mac: FakeMac, args: string[]): Stream {
  const child = spawn(path.join(mac.root, '/usr/bin/log'), ['stream', ...args]);
  const lines: string[] = [];
  const waiters: Array<{ test: (line: string) => boolean; resolve: (line: string) => void }> = [];
  let partial = '';
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString('utf8');
  });
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter((x) => x.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  return {
    child,
    lines,
    waitFor(test) {
      const seen = lines.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out; got:\n${lines.join('\n')}\nstderr:\n${errors}`)), 5000);
        waiters.push({ test, resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        } });
      });
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      });
    },
  };
}

describe('log stream', () => {
  let mac: FakeMac;
  beforeAll(async () => {
    mac = await createFakeMac();
  });
  afterAll(() => mac.cleanup());

  withReference('headers', () => {
    test('compact: "Filtering the log data using …" and the column header, as captured', async () => {
      const stream = startStream(mac, ['--style', 'compact', '--predicate', MDM_PREDICATE]);
      await stream.waitFor((line) => line.startsWith('Timestamp'));
      const sample = blockContaining('### 12.2', 'Acknowledged(ScheduleOSUpdateScan)').split('\n');
      expect(stream.lines.slice(0, 2)).toEqual(sample.slice(0, 2));
      expect(await stream.stop()).toBe(0);
    });
  });

  test('follows emitLog: MDM lines pass the ManagedClient predicate, progress lines do not', async () => {
    const stream = startStream(mac, ['--style', 'compact', '--predicate', MDM_PREDICATE]);
    await stream.waitFor((line) => line.startsWith('Timestamp'));
    mac.emitLog([...downloadProgressLines(), ...mdmCommandLines('ScheduleOSUpdate', '1111-2222')]);
    await stream.waitFor((line) => line.includes('Received HTTP response (200) [Acknowledged(ScheduleOSUpdate):1111-2222]'));
    const body = stream.lines.slice(2).filter((line) => line !== '');
    expect(body).toHaveLength(4);
    expect(body.every((line) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} Df mdmclient\[9341:6f30\] \[com\.apple\.ManagedClient:HTTPUtil\] /.test(line))).toBe(true);
    mac.emitLog(mdmStatusLines('AvailableOSUpdates', '3333'));
    await stream.waitFor((line) => line.includes('Acknowledged(AvailableOSUpdates):3333'));
    expect(await stream.stop()).toBe(0);
  });

  test('ndjson: a non-JSON first line, then one object per line; compact input is re-rendered', async () => {
    const stream = startStream(mac, ['--style', 'ndjson', '--predicate', PROGRESS_PREDICATE]);
    const first = await stream.waitFor(() => true);
    expect(first).toBe(`Filtering the log data using "${PROGRESS_PREDICATE}"`);
    mac.emitLog(restartPendingLines({ style: 'compact' }));
    const applying = await stream.waitFor((line) => line.includes('phase:APPLYING'));
    const entry = JSON.parse(applying) as Record<string, unknown>;
    expect(entry).toMatchObject({ subsystem: 'com.apple.SoftwareUpdateMacController', category: 'SU', messageType: 'Default', eventType: 'logEvent', processID: 13719 });
    expect(String(entry.processImagePath).endsWith('/softwareupdated')).toBe(true);
    // Every line the stream printed before (replayed history) is JSON and matches the predicate.
    for (const line of stream.lines.slice(1)) expect((JSON.parse(line) as { eventMessage: string }).eventMessage).toContain('Reported progress');
    await stream.stop();
  });

  test('history: replayed by default, not with logHistory "new-only"; Info needs --level info', async () => {
    mac.emitLog(restartPendingLines());
    mac.emitLog([formatLogLine({ process: 'softwareupdated', messageType: 'Info', subsystem: 'com.apple.SoftwareUpdateMacController', category: 'SU', eventMessage: 'Reported progress (info-level)' })]);
    const replay = startStream(mac, ['--style', 'compact', '--predicate', PROGRESS_PREDICATE, '--level', 'info']);
    await replay.waitFor((line) => line.includes('Reported progress (info-level)'));
    expect(replay.lines.some((line) => line.includes('phase:APPLYING'))).toBe(true);
    await replay.stop();

    const noInfo = startStream(mac, ['--style', 'compact', '--predicate', PROGRESS_PREDICATE]);
    await noInfo.waitFor((line) => line.includes('phase:APPLYING'));
    expect(noInfo.lines.some((line) => line.includes('info-level'))).toBe(false);
    await noInfo.stop();

    mac.update({ logHistory: 'new-only' });
    const fresh = startStream(mac, ['--style', 'compact', '--predicate', PROGRESS_PREDICATE]);
    await fresh.waitFor((line) => line.startsWith('Timestamp'));
    mac.emitLog(preflightLines());
    await fresh.waitFor((line) => line.includes('PREFLIGHT_PREREQUISITE'));
    expect(fresh.lines.some((line) => line.includes('phase:APPLYING'))).toBe(false);
    await fresh.stop();
    mac.update({ logHistory: 'replay' });
  });

  withReference('logger', () => {
    test('an entry of process "logger" without subsystem; the tag is not in the message', async () => {
      const predicate = 'process == "logger" AND eventMessage BEGINSWITH "superd:"';
      const stream = startStream(mac, ['--style', 'compact', '--predicate', predicate]);
      await stream.waitFor((line) => line.startsWith('Timestamp'));
      expect(await runFake(mac.root, '/usr/bin/logger', ['-t', 'superd', 'superd: state checkHost -> loadSettings'])).toEqual({ stdout: '', stderr: '', code: 0 });
      expect(await runFake(mac.root, '/usr/bin/logger', ['-t', 'superd'], { stdin: 'not ours\nsuperd: from stdin\n' })).toMatchObject({ code: 0 });
      const line = await stream.waitFor((l) => l.includes('superd: from stdin'));
      const sample = blockContaining('## 13.', 'Df logger[').trimEnd().split('\n').pop() ?? '';
      const shape = (text: string) => text.replace(/^\S+ \S+ /, 'T ').replace(/\[\d+:[0-9a-f]+\]/, '[P:T]').replace(/\] .*$/, '] M');
      expect(shape(line)).toBe(shape(sample));
      expect(stream.lines.slice(2).filter((l) => l.includes('superd:')).map((l) => l.replace(/^.*\] /, ''))).toEqual(['superd: state checkHost -> loadSettings', 'superd: from stdin']);
      expect(stream.lines.some((l) => l.includes('not ours'))).toBe(false);
      await stream.stop();
    });
  });

  test('cleanup() stops streams that are still running', async () => {
    const other = await createFakeMac();
    const stream = startStream(other, ['--style', 'compact']);
    await stream.waitFor((line) => line.startsWith('Timestamp'));
    const exited = new Promise((resolve) => stream.child.once('exit', resolve));
    await other.cleanup();
    await expect(exited).resolves.toBeDefined();
  });
});
