import { parseNdjsonEntry } from '../../daemon/host/logStream';
import { createFakeMac, formatLogLine, runFake, type FakeMac } from '../sim/mac';

// The fake `log show` (test/sim/mac/runtime/cmd-logshow.js) that superd doctor's read-back uses.
let mac: FakeMac;
beforeEach(async () => {
  mac = await createFakeMac();
});
afterEach(async () => {
  await mac.cleanup();
});

/** `YYYY-MM-DD HH:MM:SS.ffffff+0000` (the ndjson timestamp, reference §12.4), in UTC. */
function timestamp(date: Date): string {
  return `${date.toISOString().replace('T', ' ').replace('Z', '')}000+0000`;
}

test('log show --last --predicate prints the matching entries of the window, and logger lines are found', async () => {
  const now = Date.now();
  mac.emitLog([
    formatLogLine({ process: 'logger', eventMessage: 'superd doctor line old', timestamp: timestamp(new Date(now - 2 * 3600_000)) }),
    formatLogLine({ process: 'logger', eventMessage: 'superd doctor line recent', timestamp: timestamp(new Date(now - 10_000)) }),
    formatLogLine({ process: 'mdmclient', eventMessage: 'something else', timestamp: timestamp(new Date(now - 5_000)) }),
  ]);
  expect((await runFake(mac.root, '/usr/bin/logger', ['-t', 'superd', '-p', 'user.notice', '[doctor] superd doctor line fresh'])).code).toBe(0);
  const r = await runFake(mac.root, '/usr/bin/log', ['show', '--last', '10m', '--style', 'ndjson', '--predicate', 'eventMessage CONTAINS "superd doctor line"']);
  expect(r.code).toBe(0);
  const messages = r.stdout.split('\n').map(parseNdjsonEntry).filter((e) => e !== null).map((e) => `${e.process}: ${e.message}`);
  expect(messages).toEqual(['logger: superd doctor line recent', 'logger: [doctor] superd doctor line fresh']);
  expect(mac.invocations().filter((i) => i.command === '/usr/bin/log').map((i) => i.argv[0])).toEqual(['show']);
});

test('log show refuses an unreadable --last and an unknown style; other verbs still reach the fake log stream', async () => {
  const bad = await runFake(mac.root, '/usr/bin/log', ['show', '--last', 'soon']);
  expect(bad.code).toBe(64);
  expect(bad.stderr).toContain('--last');
  expect((await runFake(mac.root, '/usr/bin/log', ['show', '--style', 'fancy'])).code).toBe(64);
  const other = await runFake(mac.root, '/usr/bin/log', ['erase']);
  expect(other.code).toBe(64);
  expect(other.stderr).toContain('the fake supports only "log stream"');
});
