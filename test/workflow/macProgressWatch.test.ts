import { createFakeMac, downloadProgressLines, mdmCommandLines, mdmStatusLines, prepareProgressLines, restartPendingLines, type FakeMac } from '../sim/mac';
import { startMacProgressWatch } from '../../daemon/workflow/macProgressWatch';
import type { MacProgressEvent } from '../../daemon/workflow/contracts';

let mac: FakeMac;
beforeEach(async () => (mac = await createFakeMac({ logHistory: 'new-only' } as never)));
afterEach(() => mac.cleanup());

async function until(events: MacProgressEvent[], predicate: (e: MacProgressEvent) => boolean): Promise<void> {
  // Each fake `log stream` follows its file with fs.watch; wait for the entry without a timer loop.
  while (!events.some(predicate)) await new Promise((r) => setTimeout(r, 20));
}

test('a line emitted right after the subscription resolves is seen (no race as in super §9 item 8)', async () => {
  const watch = await startMacProgressWatch(mac.root)();
  mac.emitLog(mdmCommandLines('ScheduleOSUpdate', '0f2c9a8e-1b7d-4e3a-9c55-2d8f0e6a4b11'));
  const events: MacProgressEvent[] = [];
  watch.onEvent((e) => events.push(e));
  await until(events, (e) => e.kind === 'mdm-command');
  await watch.stop();
  expect(events).toContainEqual({ kind: 'mdm-command', command: 'ScheduleOSUpdate', status: 'acknowledged' });
});

test('download, preparation, restart pending and MDM errors become events; stop() ends log stream', async () => {
  const watch = await startMacProgressWatch(mac.root)();
  const events: MacProgressEvent[] = [];
  watch.onEvent((e) => events.push(e));
  mac.emitLog([
    ...mdmStatusLines('AvailableOSUpdates', '5e1d2c3b-4a59-4687-9123-abcdefabcdef', { status: 'Error' }),
    ...downloadProgressLines({ steps: [0.5, 1] }),
    ...prepareProgressLines({ steps: [0, 1] }),
    ...restartPendingLines(),
  ]);
  await until(events, (e) => e.kind === 'restart-pending');
  await watch.stop();
  expect(events[0]).toEqual({ kind: 'mdm-command', command: 'AvailableOSUpdates', status: 'error', detail: 'the Mac answered Error to AvailableOSUpdates' });
  expect(events).toContainEqual({ kind: 'download-progress', percent: 30 });
  expect(events).toContainEqual({ kind: 'download-progress', percent: 60 });
  expect(events).toContainEqual({ kind: 'prepare-progress', percent: 99.9 });
  const invocations = mac.invocations().filter((i) => i.command === '/usr/bin/log');
  expect(invocations).toHaveLength(1);
  expect(invocations[0]!.argv.slice(0, 3)).toEqual(['stream', '--style', 'ndjson']);
  await watch.stop(); // idempotent
});
