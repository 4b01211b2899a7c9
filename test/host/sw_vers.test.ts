import { parseSwVers, readMacOSVersion } from '../../daemon/host/sw_vers';
import { CommandError } from '../../daemon/errors';
import { loadCase, loadCases, replay } from '../helpers/macosCorpus';

describe('sw_vers over the corpus (test/fixtures/macos/sw_vers)', () => {
  test.each([
    ['macos13-rsr', { productName: 'macOS', productVersion: '13.3.1', productVersionExtra: '(a)', buildVersion: '22E772610a' }],
    ['macos13-no-rsr', { productName: 'macOS', productVersion: '13.2.1', productVersionExtra: null, buildVersion: '22D68' }],
    ['macos12-single-tab', { productName: 'macOS', productVersion: '12.6.1', productVersionExtra: null, buildVersion: '21G217' }],
  ])('%s', async (name, expected) => {
    const c = loadCase('sw_vers', name);
    expect(parseSwVers(c.stdout)).toEqual(expected);
    const { run, calls } = replay(c);
    expect(await readMacOSVersion(run)).toEqual(expected);
    expect(calls).toEqual([{ command: '/usr/bin/sw_vers', args: [], stdin: undefined }]);
  });

  test('every sw_vers case is in the table above', () => {
    expect(loadCases('sw_vers').map((c) => c.name).sort()).toEqual(['macos12-single-tab', 'macos13-no-rsr', 'macos13-rsr']);
  });

  test('.0 releases have two components (reference §1.1): the 13+ layout with 26.0 is accepted', () => {
    const text = loadCase('sw_vers', 'macos13-no-rsr').stdout.replace('13.2.1', '26.0').replace('22D68', '25A354');
    expect(parseSwVers(text).productVersion).toBe('26.0');
  });

  test('garbage or a non-zero exit is a CommandError, never a version', async () => {
    expect(() => parseSwVers('nope')).toThrow(CommandError);
    expect(() => parseSwVers('nope')).toThrow(/no usable ProductVersion/);
    const { run } = replay(loadCase('sw_vers', 'macos13-rsr'), { exit: 1 });
    await expect(readMacOSVersion(run)).rejects.toBeInstanceOf(CommandError);
  });
});
