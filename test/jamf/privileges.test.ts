import { ENDPOINT_PRIVILEGES, JamfPrivilege, KNOWN_PRIVILEGES, privilegesFor, versionGateFor, versionServes } from '../../daemon/jamf';

describe('privilegesFor: exact Jamf Pro privilege strings per endpoint (x-required-privileges, reference §6.1)', () => {
  test.each([
    ['POST', 'api/oauth/token', []],
    ['GET', '/api/v1/auth', []],
    ['GET', 'api/v1/jamf-pro-version', []],
    ['GET', 'api/v3/computers-inventory?section=GENERAL', ['Read Computers']],
    ['GET', 'api/v4/computers-inventory-detail/12', ['Read Computers']],
    ['GET', 'JSSResource/computers/udid/54C764F5-7DC6-5CC0-B877-641BEDF8AF20/subset/General', ['Read Computers']],
    ['GET', 'api/v1/managed-software-updates/available-updates', []],
    ['GET', 'api/v1/managed-software-updates/plans/feature-toggle', ['Read Managed Software Updates']],
    ['PUT', 'api/v1/managed-software-updates/plans/feature-toggle', ['Read Managed Software Updates', 'Create Managed Software Updates', 'Update Managed Software Updates']],
    ['POST', 'api/v1/managed-software-updates/plans', [
      'Create Managed Software Updates', 'Read Computers', 'Read Mobile Devices',
      'Send Computer Remote Command to Download and Install OS X Update', 'Send Mobile Device Remote Command to Download and Install iOS Update',
    ]],
    ['POST', 'api/v1/managed-software-updates/plans/group', [
      'Create Managed Software Updates', 'Read Computers', 'Read Mobile Devices',
      'Send Computer Remote Command to Download and Install OS X Update', 'Send Mobile Device Remote Command to Download and Install iOS Update',
      'Read Smart Computer Groups', 'Read Static Computer Groups', 'Read Smart Mobile Device Groups', 'Read Static Mobile Device Groups',
    ]],
    ['GET', 'api/v1/managed-software-updates/plans/6E47EF55-5318-494F-A09E-70F613E0AFD1', ['Read Managed Software Updates', 'Read Computers', 'Read Mobile Devices']],
    ['GET', 'api/v1/managed-software-updates/plans/6E47EF55/events', ['Read Managed Software Updates', 'Read Computers', 'Read Mobile Devices']],
    ['GET', 'api/v1/managed-software-updates/update-statuses/computers/12', ['Read Computers']],
    ['POST', 'api/v1/macos-managed-software-updates/send-updates', ['Send Computer Remote Command to Download and Install OS X Update']],
    ['POST', 'api/v2/mdm/blank-push', ['View MDM command information in Jamf Pro API']],
    ['PUT', 'api/v1/accounts/2', ['Update Accounts']],
    ['PUT', 'JSSResource/accounts/userid/2', ['Update Accounts']],
    ['GET', 'JSSResource/accounts/username/svc-superd', ['Read Accounts']],
    ['POST', 'api/v1/user/change-password', ['Change Password']],
    ['GET', 'api/v1/api-role-privileges/search', ['Read API Roles']],
    ['POST', 'api/v1/api-integrations/7/client-credentials', ['Create API Integrations']],
    ['DELETE', 'api/v1/api-roles/3', ['Delete API Roles']],
  ])('%s %s', (method, path, privileges) => {
    expect(privilegesFor(method, path)).toEqual(privileges);
  });

  test('unknown endpoints and methods are undefined, not "no privilege"', () => {
    expect(privilegesFor('GET', 'api/v1/buildings')).toBeUndefined();
    expect(privilegesFor('PATCH', 'api/v1/managed-software-updates/plans')).toBeUndefined();
  });

  test('every privilege in the table is a known string, and the daemon minimum role is in it', () => {
    for (const row of ENDPOINT_PRIVILEGES) for (const p of row.privileges) expect(KNOWN_PRIVILEGES).toContain(p);
    expect(JamfPrivilege.sendComputerOsUpdate).toBe('Send Computer Remote Command to Download and Install OS X Update');
  });
});

describe('version gates', () => {
  test.each([
    ['GET', 'api/v4/computers-inventory', '11.29.0-t1', false],
    ['GET', 'api/v4/computers-inventory', '11.30.0-t1782920582649', true],
    ['PUT', 'api/v1/accounts/2', '11.26.1', false],
    ['PUT', 'api/v1/accounts/2', '11.27.0', true],
    ['POST', 'JSSResource/computercommands/command/BlankPush/id/12', '11.27.1', true],
    ['POST', 'JSSResource/computercommands/command/BlankPush/id/12', '11.28.0', false],
    ['POST', 'api/v1/managed-software-updates/plans', '10.47.0', false],
  ])('%s %s on %s → served: %s', (method, path, version, served) => {
    const gate = versionGateFor(method, path);
    expect(gate).toBeDefined();
    expect(versionServes(gate ?? {}, version)).toBe(served);
  });

  test('endpoints without a gate (a 404 there means "not found")', () => {
    expect(versionGateFor('GET', 'api/v1/managed-software-updates/plans/ABC')).toBeUndefined();
    expect(versionGateFor('GET', 'api/v1/jamf-pro-version')).toBeUndefined();
  });
});
