import { parseIoregPlatform, readHardwareIdentity } from '../../daemon/host/ioreg';
import { CommandError } from '../../daemon/errors';
import { loadCase, replay } from '../helpers/macosCorpus';

describe('ioreg IOPlatformExpertDevice over the corpus (test/fixtures/macos/ioreg)', () => {
  test('the -r form: UUID and serial from the quoted properties, not the binary serial-number', async () => {
    const c = loadCase('ioreg', 'platform-expert-apple-silicon');
    const expected = { hardwareUUID: 'ABCDEF01-2345-6789-ABCD-EF0123456789', serialNumber: 'FVFXXXXXXXXX' };
    expect(parseIoregPlatform(c.stdout)).toEqual(expected);
    const { run, calls } = replay(c);
    expect(await readHardwareIdentity(run)).toEqual(expected);
    expect(calls[0]?.args).toEqual(['-rd1', '-c', 'IOPlatformExpertDevice']);
  });

  test('the published tree form has redacted values: refused, not a usable identity', () => {
    expect(() => parseIoregPlatform(loadCase('ioreg', 'platform-expert-tree-redacted').stdout)).toThrow(CommandError);
  });

  test('a non-zero exit is a CommandError', async () => {
    const { run } = replay(loadCase('ioreg', 'platform-expert-apple-silicon'), { exit: 1 });
    await expect(readHardwareIdentity(run)).rejects.toBeInstanceOf(CommandError);
  });
});
