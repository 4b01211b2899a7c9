import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createFakeMac, type FakeMac } from '../sim/mac';
import { parseNdjsonEntry, startLogStream, type LogStreamEntry } from '../../daemon/host/logStream';

/** Lines of a capture under test/fixtures/macos/log-stream/ (after the `# ` header lines). */
function capture(name: string): string[] {
  return readFileSync(path.join(__dirname, '../fixtures/macos/log-stream', name), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('# '));
}

test('real ndjson lines: the process is the last part of processImagePath, the message is eventMessage', () => {
  const entries = capture('mdm-command-error-installapplication-26.ndjson').map(parseNdjsonEntry);
  expect(entries[3]).toEqual({
    process: 'mdmclient',
    subsystem: 'com.apple.ManagedClient',
    category: '', // trimmed by the project the capture comes from
    message: '[*] [0:MDMAgent:HTTPUtil:<0x20b>] <<<<< Received HTTP response (200) [Error(InstallApplication):701] <<<<<',
  });
});

test('header and compact lines are not ndjson entries', () => {
  for (const line of capture('mdm-command-acknowledged-13.3.1.compact.txt')) expect(parseNdjsonEntry(line)).toBeNull();
});

describe('on the fake Mac', () => {
  let mac: FakeMac;
  afterEach(() => mac.cleanup());

  test("super's predicate: a real HTTPUtil line passes, resolved only after the header, in ndjson", async () => {
    mac = await createFakeMac({ logHistory: 'new-only' } as never);
    const seen: LogStreamEntry[] = [];
    const stream = await startLogStream(mac.root, 'subsystem == "com.apple.ManagedClient" AND category == "HTTPUtil"', (e) => seen.push(e));
    mac.emitLog(capture('mdm-command-acknowledged-13.3.1.compact.txt').slice(2));
    while (seen.length < 4) await new Promise((r) => setTimeout(r, 20));
    await stream.stop();
    expect(seen.map((e) => e.message)).toEqual(capture('mdm-command-acknowledged-13.3.1.compact.txt').slice(2).map((l) => l.slice(l.indexOf('[0:MDMDaemon'))));
    expect(seen.every((e) => e.process === 'mdmclient' && e.category === 'HTTPUtil')).toBe(true);
  });
});
