/**
 * Privilege strings, exactly as Jamf Pro names them (x-required-privileges in
 * the OpenAPI document; reference §6.1). API role privileges and user-account
 * privileges share these names.
 */
export const P = {
  readComputers: 'Read Computers',
  createComputers: 'Create Computers',
  readMobileDevices: 'Read Mobile Devices',
  readMsu: 'Read Managed Software Updates',
  createMsu: 'Create Managed Software Updates',
  updateMsu: 'Update Managed Software Updates',
  sendMacUpdate: 'Send Computer Remote Command to Download and Install OS X Update',
  sendIosUpdate: 'Send Mobile Device Remote Command to Download and Install iOS Update',
  readSmartComputerGroups: 'Read Smart Computer Groups',
  readStaticComputerGroups: 'Read Static Computer Groups',
  readSmartMobileGroups: 'Read Smart Mobile Device Groups',
  readStaticMobileGroups: 'Read Static Mobile Device Groups',
  viewMdmCommands: 'View MDM command information in Jamf Pro API',
  readAccounts: 'Read Accounts',
  createAccounts: 'Create Accounts',
  updateAccounts: 'Update Accounts',
  deleteAccounts: 'Delete Accounts',
  readApiRoles: 'Read API Roles',
  createApiRoles: 'Create API Roles',
  updateApiRoles: 'Update API Roles',
  deleteApiRoles: 'Delete API Roles',
  readApiIntegrations: 'Read API Integrations',
  createApiIntegrations: 'Create API Integrations',
  updateApiIntegrations: 'Update API Integrations',
  deleteApiIntegrations: 'Delete API Integrations',
  changePassword: 'Change Password',
} as const;

/** Privileges that exist in Jamf Pro but no simulated route needs; they make the catalogue realistic. */
const OTHER_PRIVILEGES = [
  'Update Computers',
  'Delete Computers',
  'Create Mobile Devices',
  'Update Mobile Devices',
  'Flush MDM Commands',
  'Send Computer Remote Lock Command',
  'Send Computer Remote Wipe Command',
  'Send Computer Unmanage Command',
  'Send Command to Renew MDM Profile',
  'Send Declarative Management Command',
  'View Disk Encryption Recovery Key',
  'Read Computer Extension Attributes',
  'Read Sites',
  'Read Departments',
  'Read Buildings',
];

export const PRIVILEGE_CATALOGUE: readonly string[] = [...new Set([...Object.values(P), ...OTHER_PRIVILEGES])].sort((a, b) =>
  a.localeCompare(b),
);

/** What superd needs (reference §6.1 "Minimal API role for the update daemon", plus group reads and the toggle). */
export const SUPERD_PRIVILEGES: readonly string[] = [
  P.readComputers,
  P.readMobileDevices,
  P.readMsu,
  P.createMsu,
  P.updateMsu,
  P.sendMacUpdate,
  P.sendIosUpdate,
  P.viewMdmCommands,
  P.readSmartComputerGroups,
  P.readStaticComputerGroups,
];

export type PrivilegeLevel = 'ADMINISTRATOR' | 'AUDITOR' | 'ENROLLMENT' | 'CUSTOM';

/** The privileges a Jamf Pro user account holds, from its privilege set. */
export function accountPrivileges(level: PrivilegeLevel, custom: readonly string[]): string[] {
  switch (level) {
    case 'ADMINISTRATOR':
      return [...PRIVILEGE_CATALOGUE];
    case 'AUDITOR':
      return PRIVILEGE_CATALOGUE.filter((p) => p.startsWith('Read ') || p.startsWith('View '));
    case 'ENROLLMENT':
      return [];
    case 'CUSTOM':
      return [...custom];
  }
}

export function missingPrivileges(held: ReadonlySet<string>, required: readonly string[]): string[] {
  return required.filter((p) => !held.has(p));
}
