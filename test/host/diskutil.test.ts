import { parseVolumeOwners, volumeOwners } from '../../daemon/host/diskutil';
import { CommandError } from '../../daemon/errors';
import { loadCase, replay } from '../helpers/macosCorpus';

describe('diskutil apfs listcryptousers over the corpus (test/fixtures/macos/diskutil)', () => {
  test.each(['listcryptousers-intel-10.15', 'listcryptousers-single-disk-user'])('%s (no Volume Owner lines) → no owner', async (name) => {
    const c = loadCase('diskutil', name);
    expect(parseVolumeOwners(c.stdout)).toEqual(new Set());
    const { run, calls } = replay(c);
    expect(await volumeOwners(run)).toEqual(new Set());
    expect(calls[0]?.args).toEqual(['apfs', 'listcryptousers', '/']);
  });

  test('masked UUIDs are never taken for an owner', () => {
    expect(parseVolumeOwners(loadCase('diskutil', 'listcryptousers-apple-silicon-volume-owner').stdout)).toEqual(new Set());
  });

  test('Apple silicon layout with the masked digits filled in: only the "Volume Owner: Yes" entry', () => {
    const text = loadCase('diskutil', 'listcryptousers-apple-silicon-volume-owner').stdout
      .replace('5E3B8B1A-XXXX-XXXX-XXXX-XXXXXXXXXXXX', '5E3B8B1A-1111-2222-3333-444455556666')
      .replace('EBC6C064-XXXX-XXXX-XXXX-XXXXXXXXXXXX', 'EBC6C064-0000-11AA-AA11-00306543ECAC');
    expect(parseVolumeOwners(text)).toEqual(new Set(['5E3B8B1A-1111-2222-3333-444455556666']));
  });

  test('a non-zero exit is a CommandError', async () => {
    const { run } = replay(loadCase('diskutil', 'listcryptousers-single-disk-user'), { exit: 1 });
    await expect(volumeOwners(run)).rejects.toBeInstanceOf(CommandError);
  });
});
