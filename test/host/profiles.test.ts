import { parseBootstrapTokenStatus, parseEnrollment, readBootstrapTokenStatus, readMdmEnrollment } from '../../daemon/host/profiles';
import { CommandError } from '../../daemon/errors';
import { loadCase, replay } from '../helpers/macosCorpus';

describe('profiles status over the corpus (test/fixtures/macos/profiles)', () => {
  test.each([
    ['enrollment-ade-user-approved', { enrolled: true, viaDEP: true, userApproved: true, serverUrl: 'https://test.example.com/mdm/apple/mdm' }],
    ['enrollment-not-enrolled', { enrolled: false, viaDEP: false, userApproved: false, serverUrl: null }],
  ])('%s', async (name, expected) => {
    const c = loadCase('profiles', name);
    expect(parseEnrollment(c.stdout)).toEqual(expected);
    const { run, calls } = replay(c);
    expect(await readMdmEnrollment(run)).toEqual(expected);
    expect(calls[0]?.args).toEqual(['status', '-type', 'enrollment']);
  });

  test.each([
    ['bootstraptoken-escrowed', { supported: true, escrowed: true }],
    ['bootstraptoken-not-escrowed', { supported: true, escrowed: false }],
    ['bootstraptoken-unsupported-single-line', { supported: false, escrowed: false }],
  ])('%s', async (name, expected) => {
    const c = loadCase('profiles', name);
    expect(parseBootstrapTokenStatus(c.stdout)).toEqual(expected);
    const { run, calls } = replay(c);
    expect(await readBootstrapTokenStatus(run)).toEqual(expected);
    expect(calls[0]?.args).toEqual(['status', '-type', 'bootstraptoken']);
  });

  test('a non-zero exit is a CommandError, never "not enrolled"', async () => {
    const { run } = replay(loadCase('profiles', 'enrollment-ade-user-approved'), { exit: 1 });
    await expect(readMdmEnrollment(run)).rejects.toBeInstanceOf(CommandError);
  });
});
