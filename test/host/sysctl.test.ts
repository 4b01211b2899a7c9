import { isAppleSilicon, parseArm64 } from '../../daemon/host/sysctl';
import { loadCase, replay } from '../helpers/macosCorpus';

describe('sysctl -n hw.optional.arm64 over the corpus (test/fixtures/macos/sysctl)', () => {
  test.each([
    ['arm64-apple-silicon', true],
    ['arm64-intel-unknown-oid', false],
  ])('%s → %s', async (name, expected) => {
    const c = loadCase('sysctl', name);
    expect(parseArm64(c.exit, c.stdout)).toBe(expected);
    const { run, calls } = replay(c);
    expect(await isAppleSilicon(run)).toBe(expected);
    expect(calls[0]?.args).toEqual(['-n', 'hw.optional.arm64']);
  });

  test.each([
    [0, '0\n', false], // some Intel systems print 0 (reference §1.3)
    [0, '', false],
    [null, '1\n', false], // ended by a signal
  ])('exit %s stdout %j → %s', (exit, stdout, expected) => {
    expect(parseArm64(exit, stdout)).toBe(expected);
  });
});
