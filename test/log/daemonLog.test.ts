import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createDaemonLog } from '../../daemon/log/daemonLog';
import type { UnifiedLogEntry, UnifiedLogSink } from '../../daemon/log/unifiedLogSink';
import { makeTempRoot } from '../helpers/tempRoot';

test("the daemon's lines go to superd's log file and to the same unified-log sink, redacted and on one line", async () => {
  const { root, cleanup } = await makeTempRoot();
  try {
    const entries: UnifiedLogEntry[] = [];
    const sink: UnifiedLogSink = { kind: 'helper', write: (e) => entries.push(e), close: async () => undefined };
    const log = createDaemonLog(root, () => new Date('2026-12-03T10:00:00Z'), sink);
    log('started (pid 1, tick 60 s)');
    log('superd: Authorization: Bearer abc.def-123\nsecond line', 'warn', 'worker-run');
    const file = await readFile(path.join(root, 'logs/superd.log'), 'utf8');
    expect(file.split('\n')).toEqual([
      '2026-12-03T10:00:00.000Z info [daemon] started (pid 1, tick 60 s)',
      expect.stringMatching(/^2026-12-03T10:00:00.000Z warn \[worker-run\] superd: Authorization: Bearer \[REDACTED\]\\nsecond line$/),
      '',
    ]);
    expect(entries).toEqual([
      { level: 'info', category: 'daemon', message: 'started (pid 1, tick 60 s)' },
      { level: 'warn', category: 'worker-run', message: expect.stringContaining('Bearer [REDACTED]') },
    ]);
    expect(JSON.stringify(entries) + file).not.toContain('abc.def-123');
  } finally {
    await cleanup();
  }
});
