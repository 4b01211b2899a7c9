import { checkPreconditions } from '../../daemon/workflow/preconditions';
import { findUpdateTarget, type TargetPolicy } from '../../daemon/workflow/updateTarget';
import { createFakeMac, createInProcessRunCommand, type FakeMac, type FakeMacOptions } from '../sim/mac';

const macs: FakeMac[] = [];
afterAll(() => Promise.all(macs.map((m) => m.cleanup())));
async function mac(opts: FakeMacOptions = {}) {
  const m = await createFakeMac(opts);
  macs.push(m);
  return { m, run: createInProcessRunCommand(m.root) };
}

describe('checkPreconditions', () => {
  test.each<[string, FakeMacOptions, string, string | null]>([
    ['all met', {}, '15.5', null],
    ['macOS 11.4', { macOS: { productVersion: '11.4', buildVersion: '20F71' } }, '11.4', 'macos-too-old'],
    ['not enrolled', { enrollment: { enrolled: false } }, '15.5', 'mdm-not-enrolled'],
    ['Jamf Pro unreachable', { jssAvailable: false }, '15.5', 'mdm-service-unavailable'],
    ['bootstrap not supported', { bootstrap: { supported: false, escrowed: false } }, '15.5', 'bootstrap-missing'],
    ['bootstrap not escrowed', { bootstrap: { supported: true, escrowed: false } }, '15.5', 'bootstrap-missing'],
    ['escrowed but invalid on 13.3+', { bootstrap: { supported: true, escrowed: true, valid: false } }, '15.5', 'bootstrap-invalid'],
    ['escrowed, not validated before 13.3', { macOS: { productVersion: '13.2', buildVersion: '22D49' }, bootstrap: { supported: true, escrowed: true, valid: false } }, '13.2', null],
  ])('%s', async (_name, options, version, reason) => {
    const { m, run } = await mac(options);
    const result = await checkPreconditions(run, { macOSVersion: version });
    if (reason === null) {
      expect(result.ok).toBe(true);
    } else {
      expect(result).toMatchObject({ ok: false, failure: { reason } });
      if (!result.ok) expect(result.failure.message.length).toBeGreaterThan(30);
    }
    const mdmclientCalls = m.invocations().filter((i) => i.command === '/usr/libexec/mdmclient');
    // QueryDeviceInformation only where EACSPreflight exists and a token is escrowed.
    expect(mdmclientCalls.length).toBe(reason === null && version === '15.5' ? 1 : reason === 'bootstrap-invalid' ? 1 : 0);
  });

  test('the facts tell the failover what was found', async () => {
    const { run } = await mac({ bootstrap: { supported: true, escrowed: false } });
    const result = await checkPreconditions(run, { macOSVersion: '15.5' });
    expect(result.facts).toMatchObject({ enrollment: { enrolled: true, userApproved: true }, mdmReachable: true, bootstrap: { supported: true, escrowed: false } });
  });
});

describe('findUpdateTarget', () => {
  const updates = [
    { label: 'macOS Sequoia 15.6-24G84', title: 'macOS Sequoia 15.6', version: '15.6', restart: true },
    { label: 'macOS Sequoia 15.7-24H10', title: 'macOS Sequoia 15.7', version: '15.7', restart: true },
    { label: 'macOS Tahoe 26.1-25B78', title: 'macOS Tahoe 26.1', version: '26.1', restart: true },
    { label: 'Safari26.1Sequoia-20622.2.11.1', title: 'Safari', version: '26.1', restart: false },
  ];
  const policy: TargetPolicy = { installedVersion: '15.5', majorUpgrades: false, majorTarget: null, minorTarget: null };

  test.each<[string, Partial<TargetPolicy>, string | null]>([
    ['latest minor by default', {}, '15.7'],
    ['a minor target', { minorTarget: '15.6' }, '15.6'],
    ['a minor target not offered', { minorTarget: '15.6.1' }, null],
    ['majors allowed', { majorUpgrades: true }, '26.1'],
    ['majors allowed but capped below', { majorUpgrades: true, majorTarget: '25' }, '15.7'],
    ['nothing newer', { installedVersion: '15.7' }, null],
  ])('%s', async (_name, change, expected) => {
    const { run } = await mac({ availableUpdates: updates });
    const target = await findUpdateTarget(run, { ...policy, ...change });
    expect(target?.version ?? null).toBe(expected);
    if (target) expect(target).toMatchObject({ restartRequired: true, label: expect.stringContaining(target.version) });
  });

  test('builds come from mdmclient, and softwareupdate alone is enough when mdmclient has no AvailableOSUpdates (macOS 27)', async () => {
    const { run } = await mac({ availableUpdates: updates.slice(0, 1) });
    expect(await findUpdateTarget(run, policy)).toEqual({ version: '15.6', build: '24G84', label: 'macOS Sequoia 15.6-24G84', title: 'macOS Sequoia 15.6', kind: 'minor', restartRequired: true });
    const m27 = await mac({ macOS: { productVersion: '27.0', buildVersion: '27A100' }, availableUpdates: [{ label: 'macOS 27.1-27B50', title: 'macOS 27.1', version: '27.1', restart: true }] });
    expect(await findUpdateTarget(m27.run, { ...policy, installedVersion: '27.0' })).toMatchObject({ version: '27.1', build: '27B50' });
  });
});
