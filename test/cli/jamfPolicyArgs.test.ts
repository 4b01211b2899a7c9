import { jamfPolicyArgs } from '../../daemon/cli/jamfPolicyArgs';
import { parseOptions } from '../../daemon/config/parseOptions';

// Jamf Pro passes $1 the mount point "/", $2 the computer name, $3 the user name (empty when no
// one is logged in), then $4–$11 the admin's parameters, empty when unset.

describe('jamfPolicyArgs', () => {
  test("Jamf's order: the first three are Jamf's, empty parameters are dropped, the rest are options", () => {
    expect(jamfPolicyArgs(['/', 'Mac-042', 'jdoe', '--verbose-mode', '', '  ', '--deferral-timer-default=30', '', '', '', ''])).toEqual({
      fromJamfPolicy: true,
      computerName: 'Mac-042',
      userName: 'jdoe',
      options: ['--verbose-mode', '--deferral-timer-default=30'],
    });
  });

  test('no one logged in: an empty user name is still a Jamf policy', () => {
    expect(jamfPolicyArgs(['/', 'Mac-042', ''])).toEqual({ fromJamfPolicy: true, computerName: 'Mac-042', userName: '', options: [] });
  });

  test('a command line without the mount point is all options, untouched', () => {
    expect(jamfPolicyArgs(['--verbose-mode', ''])).toEqual({ fromJamfPolicy: false, computerName: null, userName: null, options: ['--verbose-mode', ''] });
    expect(jamfPolicyArgs([])).toEqual({ fromJamfPolicy: false, computerName: null, userName: null, options: [] });
    // A volume path is not Jamf's mount point.
    expect(jamfPolicyArgs(['/Volumes/Data', 'Mac', 'jdoe']).fromJamfPolicy).toBe(false);
  });

  test('agrees with the option parser on what a policy is and which options it carries', () => {
    const argv = ['/', 'Mac-042', 'jdoe', '--verbose-mode', '', '--deferral-timer-default=30'];
    const parsed = parseOptions(argv);
    expect(parsed.fromJamfPolicy).toBe(jamfPolicyArgs(argv).fromJamfPolicy);
    expect(parseOptions(jamfPolicyArgs(argv).options).options).toEqual(parsed.options);
  });
});
