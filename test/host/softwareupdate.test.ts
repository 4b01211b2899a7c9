import { listSoftwareUpdates, parseSoftwareUpdateList } from '../../daemon/host/softwareupdate';
import { CommandError } from '../../daemon/errors';
import { loadCase, replay } from '../helpers/macosCorpus';

describe('softwareupdate --list over the corpus (test/fixtures/macos/softwareupdate)', () => {
  test('list-ventura-safari-and-macos (super issue #290): two items, the macOS one restarts', async () => {
    const c = loadCase('softwareupdate', 'list-ventura-safari-and-macos');
    const expected = [
      { label: 'Safari18.3.1VenturaAuto-18.3.1', title: 'Safari', version: '18.3.1', restart: false, recommended: true },
      { label: 'macOS Ventura 13.7.4-22H420', title: 'macOS Ventura 13.7.4', version: '13.7.4', restart: true, recommended: true },
    ];
    expect(parseSoftwareUpdateList(c.stdout)).toEqual(expected);
    const { run, calls } = replay(c, { exit: 0 });
    expect(await listSoftwareUpdates(run)).toEqual(expected);
    expect(calls[0]?.args).toEqual(['--list']);
    // The stream split is unconfirmed: the same text on stderr would list nothing, so superd reads stdout.
  });

  test('list-no-updates → empty list', async () => {
    const c = loadCase('softwareupdate', 'list-no-updates');
    expect(parseSoftwareUpdateList(c.stdout)).toEqual([]);
    const { run } = replay(c, { exit: 0 });
    expect(await listSoftwareUpdates(run)).toEqual([]);
  });

  test('download/install output is not a list', () => {
    expect(parseSoftwareUpdateList(loadCase('softwareupdate', 'download-ventura-13.3-progress').stdout)).toEqual([]);
  });

  test('a non-zero exit (error exits unconfirmed) is a CommandError, never "no updates"', async () => {
    const { run } = replay(loadCase('softwareupdate', 'list-no-updates'), { exit: 1 });
    await expect(listSoftwareUpdates(run)).rejects.toBeInstanceOf(CommandError);
  });
});
