import { checkJssConnection, jamfBinaryVersion, parseJamfVersion, parseJssConnection } from '../../daemon/host/jamfBinary';
import type { RunCommand } from '../../daemon/host/runCommand';
import { loadCase, replay } from '../helpers/macosCorpus';

describe('jamf over the corpus (test/fixtures/macos/jamf)', () => {
  const available = loadCase('jamf', 'checkjssconnection-available');

  test('checkJSSConnection runs with -retry 1 like super (line 9063) and reads "The JSS is available."', async () => {
    const { run, calls } = replay(available);
    expect(await checkJssConnection(run)).toBe(true);
    expect(calls).toEqual([{ command: '/usr/local/bin/jamf', args: ['checkJSSConnection', '-retry', '1'], stdin: undefined }]);
  });

  test('the same text with a non-zero exit is not reachable', () => {
    expect(parseJssConnection(1, available.stdout)).toBe(false);
  });

  test('no capture of the failure text exists: "… not available" or anything else is not reachable', () => {
    // super's substring test for "available" would accept this (reference §3.2).
    expect(parseJssConnection(0, available.stdout.replace('The JSS is available.', 'The JSS is not available.'))).toBe(false);
    expect(parseJssConnection(0, '')).toBe(false);
  });

  test('jamf -version (shape derived from super line 9053, no capture): unparsable or failing is null', async () => {
    expect(parseJamfVersion(0, 'version=11.4.1-t1712591696\n')).toBe('11.4.1');
    expect(parseJamfVersion(0, '11.4.1\n')).toBeNull();
    expect(parseJamfVersion(1, 'version=11.4.1\n')).toBeNull();
    const missing: RunCommand = async () => {
      throw new Error('ENOENT');
    };
    expect(await jamfBinaryVersion(missing)).toBeNull();
  });
});
