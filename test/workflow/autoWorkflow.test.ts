import { chooseWorkflow } from '../../daemon/workflow/chooseWorkflow';

// Issue 13: auto prefers DDM wherever Jamf Pro serves plans and macOS supports it (14+), decided per
// computer from Jamf's own inventory flag (general.declarativeDeviceManagementEnabled).
describe('auto: which path for which Mac', () => {
  const rows: Array<[string, string, boolean | null, boolean | null, string]> = [
    // jamf version, macOS, toggle, computer DDM flag → path
    ['11.30.0', '14.0', true, true, 'ddm'],
    ['11.30.0', '15.5', true, true, 'ddm'],
    ['11.30.0', '26.1', true, true, 'ddm'],
    ['11.30.0', '15.5', true, false, 'plans'],
    ['11.30.0', '26.1', true, false, 'plans'],
    ['11.30.0', '15.5', true, null, 'plans'],
    ['11.30.0', '26.1', true, null, 'ddm'],
    ['11.30.0', '13.7', true, true, 'plans'],
    ['11.30.0', '15.5', false, true, 'legacy'],
    ['10.47.0', '15.5', null, true, 'legacy'],
  ];
  test.each(rows)('Jamf Pro %s, macOS %s, toggle %s, DDM on for the computer %s → %s', (jamfVersion, macOSVersion, toggle, ddm, path) => {
    const choice = chooseWorkflow({ setting: 'auto', jamfVersion, featureToggleOn: toggle, macOSVersion, declarativeManagement: ddm });
    expect(choice).toMatchObject({ workflow: path });
    expect((choice as { why?: string }).why).toEqual(expect.any(String));
  });

  test('a forced ddm on a computer with DDM off is a named failure, not a plan Jamf Pro will reject', () => {
    const choice = chooseWorkflow({ setting: 'ddm', jamfVersion: '11.30.0', featureToggleOn: true, macOSVersion: '15.5', declarativeManagement: false });
    expect(choice).toMatchObject({ failure: { reason: 'push-rejected', message: expect.stringMatching(/declarativeDeviceManagementEnabled/) } });
  });

  test('a forced path carries no auto reason', () => {
    expect(chooseWorkflow({ setting: 'plans', jamfVersion: '11.30.0', featureToggleOn: true, macOSVersion: '15.5', declarativeManagement: true })).toEqual({ workflow: 'plans' });
  });
});
