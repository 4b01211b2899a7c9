import { parseIoregPlatform } from '../../daemon/host/ioreg';
import { parseSwVers } from '../../daemon/host/sw_vers';
import { parseArm64 } from '../../daemon/host/sysctl';
import { CommandError } from '../../daemon/errors';
import { referenceBlocks } from '../helpers/referenceSamples';
import { describeWithShared } from '../helpers/sharedReference';

describeWithShared('parsers against the real output in reference/macos-commands.md', () => {
  test('sw_vers: macOS 13+ with RSR, 13+ without, 11/12 single tab', () => {
    const blocks = referenceBlocks('### 1.1 `sw_vers`').filter((b) => b.startsWith('ProductName:'));
    expect(blocks).toHaveLength(3);
    const [rsr, plain, old] = blocks.map(parseSwVers);
    expect(rsr).toEqual({ productName: 'macOS', productVersion: '13.3.1', productVersionExtra: '(a)', buildVersion: '22E772610a' });
    expect(plain).toEqual({ productName: 'macOS', productVersion: '13.2.1', productVersionExtra: null, buildVersion: '22D68' });
    expect(old).toEqual({ productName: 'macOS', productVersion: '12.6.1', productVersionExtra: null, buildVersion: '21G217' });
  });

  test('ioreg: both the -r form and the tree form', () => {
    const blocks = referenceBlocks('### 2.1 `ioreg -rd1 -c IOPlatformExpertDevice`');
    expect(parseIoregPlatform(blocks[0] ?? '')).toEqual({ hardwareUUID: 'ABCDEF01-2345-6789-ABCD-EF0123456789', serialNumber: 'FVFXXXXXXXXX' });
    // The second published sample has its values redacted to "xxxxxx": not a usable identity.
    expect(() => parseIoregPlatform(blocks[1] ?? '')).toThrow(CommandError);
  });
});

describe('parsers: edge cases', () => {
  test.each([
    [0, '1\n', true],
    [0, '0\n', false],
    [1, '', false],
    [0, '', false],
  ])('sysctl hw.optional.arm64 exit %s stdout %j → %s', (exit, stdout, expected) => {
    expect(parseArm64(exit, stdout)).toBe(expected);
  });

  test('sw_vers: .0 releases have two components and are accepted', () => {
    expect(parseSwVers('ProductName:\t\tmacOS\nProductVersion:\t\t26.0\nBuildVersion:\t\t25A354\n').productVersion).toBe('26.0');
  });

  test('sw_vers: garbage is a CommandError that quotes the output', () => {
    expect(() => parseSwVers('nope')).toThrow(/no usable ProductVersion/);
  });
});
