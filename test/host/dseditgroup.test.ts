import { isAdmin, parseCheckmember } from '../../daemon/host/dseditgroup';
import { loadCase, replay } from '../helpers/macosCorpus';

describe('dseditgroup -o checkmember over the corpus (test/fixtures/macos/dseditgroup)', () => {
  test.each([
    ['checkmember-yes', true],
    ['checkmember-no', false],
  ])('%s → %s', async (name, expected) => {
    const c = loadCase('dseditgroup', name);
    const { run, calls } = replay(c);
    expect(await isAdmin(run, 'jdoe')).toBe(expected);
    expect(calls[0]?.args).toEqual(['-o', 'checkmember', '-m', 'jdoe', 'admin']);
  });

  test('the exit code of "no" differs between versions: "no" with exit 0 is still not a member', () => {
    expect(parseCheckmember(0, loadCase('dseditgroup', 'checkmember-no').stdout)).toBe(false);
    expect(parseCheckmember(0, '')).toBe(false);
  });
});
