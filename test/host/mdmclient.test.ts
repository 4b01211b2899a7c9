import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createFakeMac, type FakeMac } from '../sim/mac';
import { createRunCommand } from '../../daemon/host/runCommand';
import { AVAILABLE_OS_UPDATES_TIMEOUT_MS, availableOSUpdates, parseAvailableOSUpdates } from '../../daemon/host/mdmclient';
import { CommandAbortedError } from '../../daemon/errors';

/** A capture under test/fixtures/macos/mdmclient/: its output after the `# ` header lines. */
function capture(name: string): string {
  const text = readFileSync(path.join(__dirname, '../fixtures/macos/mdmclient', name), 'utf8');
  return text.split('\n').filter((l) => !l.startsWith('# ')).join('\n');
}

describe('real mdmclient AvailableOSUpdates output', () => {
  test('macOS 26.5 prints only the property-list summary: no item blocks, an empty list', () => {
    expect(parseAvailableOSUpdates(capture('available-os-updates-26.5.txt'))).toEqual([]);
  });

  test('a Format A block (macOS 13) gives its version', () => {
    expect(parseAvailableOSUpdates(capture('available-os-updates-13-format-a.txt'))).toEqual([
      { title: 'macOS Ventura', version: '13.6.2', build: null, major: false, label: null },
    ]);
  });
});

describe('on the fake Mac', () => {
  let mac: FakeMac | undefined;
  afterEach(async () => {
    await mac?.cleanup();
    mac = undefined;
  });

  test("waits super's 120 s by default", () => {
    expect(AVAILABLE_OS_UPDATES_TIMEOUT_MS).toBe(120_000);
  });

  test('an mdmclient that never answers is killed at the limit and gives no list (no error)', async () => {
    mac = await createFakeMac({ mdmclientAvailableOSUpdates: 'hang' });
    // A short limit stands for the 120 s: the fake hangs until it is killed, whatever the limit.
    await expect(availableOSUpdates(createRunCommand(mac!.root), undefined, { timeoutMs: 300 })).resolves.toBeNull();
    expect(mac!.invocations().filter((i) => i.command === '/usr/libexec/mdmclient').map((i) => i.argv)).toEqual([['AvailableOSUpdates']]);
  });

  test('superd stopping (abort) is not swallowed', async () => {
    mac = await createFakeMac({ mdmclientAvailableOSUpdates: 'hang' });
    const stop = new AbortController();
    const pending = availableOSUpdates(createRunCommand(mac!.root), stop.signal);
    setImmediate(() => stop.abort());
    await expect(pending).rejects.toBeInstanceOf(CommandAbortedError);
  });

  test('macOS 27: the verb is gone, so no list', async () => {
    mac = await createFakeMac({ macOS: { productVersion: '27.0', buildVersion: '26A5416b' } } as never);
    await expect(availableOSUpdates(createRunCommand(mac!.root))).resolves.toBeNull();
  });
});
