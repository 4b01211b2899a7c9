import { createFakeMac, type FakeMac } from '../sim/mac';
import { createRunCommand } from '../../daemon/host/runCommand';
import { findUpdateTarget } from '../../daemon/workflow/updateTarget';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';

// The target search must not depend on `mdmclient AvailableOSUpdates` (slow on a busy Mac,
// items gone on macOS 26.5, verb gone on macOS 27): softwareupdate's list is enough.

const UPDATE_15_6 = { label: 'macOS Sequoia 15.6-24G84', title: 'macOS Sequoia 15.6', version: '15.6', restart: true };
const policy = { installedVersion: '15.5', majorUpgrades: false, majorTarget: null, minorTarget: null };

describe('target search on the fake Mac, time on an injected clock', () => {
  let mac: FakeMac;
  afterEach(() => mac.cleanup());

  test('mdmclient takes longer than the wait (e.g. 70 s, then on): the search goes on with softwareupdate alone', async () => {
    mac = await createFakeMac({ macOS: { productVersion: '15.5', buildVersion: '24F74' }, availableUpdates: [UPDATE_15_6], mdmclientAvailableOSUpdates: 'hang' });
    const waits: number[] = [];
    // The clock: this wait "passes" at once; the fake mdmclient hangs until it is killed.
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    const target = await findUpdateTarget(createRunCommand(mac.root), policy, undefined, { sleep });
    expect(waits).toEqual([120_000]);
    expect(target).toMatchObject({ version: '15.6', label: 'macOS Sequoia 15.6-24G84', build: '24G84', kind: 'minor' });
  });

  test('mdmclient answering within the wait is used, and the wait is cancelled', async () => {
    mac = await createFakeMac({ macOS: { productVersion: '15.5', buildVersion: '24F74' }, availableUpdates: [UPDATE_15_6], mdmclientFormat: 'A+B' });
    let cancelled = false;
    // A wait that only ends when cancelled: the answer must come first.
    const sleep = (_ms: number, signal: AbortSignal) =>
      new Promise<void>((resolve) =>
        signal.addEventListener('abort', () => {
          cancelled = true;
          resolve();
        }, { once: true }),
      );
    const target = await findUpdateTarget(createRunCommand(mac.root), policy, undefined, { sleep });
    expect(cancelled).toBe(true);
    expect(target).toMatchObject({ version: '15.6', build: '24G84' });
  });

  test('superd stopping during the wait is not swallowed', async () => {
    mac = await createFakeMac({ macOS: { productVersion: '15.5', buildVersion: '24F74' }, availableUpdates: [UPDATE_15_6], mdmclientAvailableOSUpdates: 'hang' });
    const stop = new AbortController();
    const sleep = (_ms: number, signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    const pending = findUpdateTarget(createRunCommand(mac.root), policy, stop.signal, { sleep });
    setImmediate(() => stop.abort());
    await expect(pending).rejects.toMatchObject({ code: expect.stringMatching(/^SUPERD_ERR_COMMAND/) });
  });

  test('macOS 27: mdmclient is not asked at all', async () => {
    mac = await createFakeMac({ macOS: { productVersion: '27.0', buildVersion: '26A5416b' }, availableUpdates: [{ label: 'macOS 27.1-27B5', title: 'macOS 27.1', version: '27.1', restart: true }] });
    const target = await findUpdateTarget(createRunCommand(mac.root), { ...policy, installedVersion: '27.0' });
    expect(target).toMatchObject({ version: '27.1' });
    expect(mac.invocations().filter((i) => i.command === '/usr/libexec/mdmclient')).toEqual([]);
  });
});

describe('whole run', () => {
  let w: RunWorld;
  afterEach(() => w.close());

  test('macOS 27 (mdmclient offers no updates): the DDM path finds the target with softwareupdate and verifies from the plan', async () => {
    // The macOS 27 marketing name in softwareupdate's list is unconfirmed; only `macOS` and the version matter here.
    w = await openRunWorld({ ddm: true, mac: { macOS: { productVersion: '27.0', buildVersion: '26A5416b' }, availableUpdates: [{ label: 'macOS 27.1-27B5', title: 'macOS 27.1', version: '27.1', restart: true }] } });
    w.sim.control.setAvailableUpdates({ macOS: ['27.1', '26.1', '15.6'] });
    w.sim.control.updateComputer(w.computer.id, { osVersion: '27.0', osBuild: '26A5416b' });
    await w.saveClient();
    const r = await w.run();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(w.requests('POST', '/managed-software-updates/plans')[0]!.body).toMatchObject({ config: { updateAction: 'DOWNLOAD_INSTALL_SCHEDULE', versionType: 'SPECIFIC_VERSION', specificVersion: '27.1' } });
    expect(w.mac.invocations().filter((i) => i.command === '/usr/libexec/mdmclient' && i.argv[0] === 'AvailableOSUpdates')).toEqual([]);
    expect(await w.status()).toMatchObject({ targetVersion: '27.1', lastError: null });
  });
});
