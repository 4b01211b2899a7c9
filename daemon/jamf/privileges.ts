import { findEndpoint, type EndpointPattern } from './endpointMatch';

/**
 * Jamf Pro privilege strings, exactly as Jamf Pro spells them (`x-required-privileges` in the
 * Jamf Pro API schema, reference §6.1). API roles and user accounts share these names.
 */
export const JamfPrivilege = {
  readComputers: 'Read Computers',
  readMobileDevices: 'Read Mobile Devices',
  readManagedSoftwareUpdates: 'Read Managed Software Updates',
  createManagedSoftwareUpdates: 'Create Managed Software Updates',
  updateManagedSoftwareUpdates: 'Update Managed Software Updates',
  sendComputerOsUpdate: 'Send Computer Remote Command to Download and Install OS X Update',
  sendMobileDeviceOsUpdate: 'Send Mobile Device Remote Command to Download and Install iOS Update',
  readSmartComputerGroups: 'Read Smart Computer Groups',
  readStaticComputerGroups: 'Read Static Computer Groups',
  readSmartMobileDeviceGroups: 'Read Smart Mobile Device Groups',
  readStaticMobileDeviceGroups: 'Read Static Mobile Device Groups',
  viewMdmCommandInformation: 'View MDM command information in Jamf Pro API',
  readAccounts: 'Read Accounts',
  createAccounts: 'Create Accounts',
  updateAccounts: 'Update Accounts',
  deleteAccounts: 'Delete Accounts',
  changePassword: 'Change Password',
  readApiRoles: 'Read API Roles',
  createApiRoles: 'Create API Roles',
  updateApiRoles: 'Update API Roles',
  deleteApiRoles: 'Delete API Roles',
  readApiIntegrations: 'Read API Integrations',
  createApiIntegrations: 'Create API Integrations',
  updateApiIntegrations: 'Update API Integrations',
  deleteApiIntegrations: 'Delete API Integrations',
} as const;
export type JamfPrivilegeName = (typeof JamfPrivilege)[keyof typeof JamfPrivilege];

/** Every privilege string this table knows. */
export const KNOWN_PRIVILEGES: readonly JamfPrivilegeName[] = Object.values(JamfPrivilege);

export interface EndpointPrivileges extends EndpointPattern {
  /** All of these are required (Jamf lists them in `x-required-privileges`); empty = a valid token is enough. */
  readonly privileges: readonly JamfPrivilegeName[];
}

const P = JamfPrivilege;
const MSU = 'api/v1/managed-software-updates';
const readPlans = [P.readManagedSoftwareUpdates, P.readComputers, P.readMobileDevices] as const;
const createPlans = [P.createManagedSoftwareUpdates, P.readComputers, P.readMobileDevices, P.sendComputerOsUpdate, P.sendMobileDeviceOsUpdate] as const;
const groupReads = [P.readSmartComputerGroups, P.readStaticComputerGroups, P.readSmartMobileDeviceGroups, P.readStaticMobileDeviceGroups] as const;
const toggleWrite = [P.readManagedSoftwareUpdates, P.createManagedSoftwareUpdates, P.updateManagedSoftwareUpdates] as const;

const row = (method: string, path: string, privileges: readonly JamfPrivilegeName[]): EndpointPrivileges => ({ method, path, privileges });
const inventory = (['v1', 'v2', 'v3', 'v4'] as const).flatMap((v) => [
  row('GET', `api/${v}/computers-inventory`, [P.readComputers]),
  row('GET', `api/${v}/computers-inventory/{id}`, [P.readComputers]),
  row('GET', `api/${v}/computers-inventory-detail/{id}`, [P.readComputers]),
]);
const crud = (path: string, read: JamfPrivilegeName, create: JamfPrivilegeName, update: JamfPrivilegeName, del: JamfPrivilegeName) => [
  row('GET', path, [read]),
  row('GET', `${path}/{id}`, [read]),
  row('POST', path, [create]),
  row('PUT', `${path}/{id}`, [update]),
  row('DELETE', `${path}/{id}`, [del]),
];

/**
 * The privileges each endpoint superd (or its credential tools) calls needs, from the Jamf Pro API
 * schema 11.30.0 (`x-required-privileges`) and reference §6.1. Used to name the missing privilege
 * on a 403 and, later, for a preflight check of an API role. Specific paths come before the
 * `{id}` templates that would also match them.
 */
export const ENDPOINT_PRIVILEGES: readonly EndpointPrivileges[] = [
  row('POST', 'api/v1/auth/token', []),
  row('POST', 'api/v1/oauth/token', []),
  row('POST', 'api/oauth/token', []),
  row('GET', 'api/v1/auth', []),
  row('POST', 'api/v1/auth/keep-alive', []),
  row('POST', 'api/v1/auth/invalidate-token', []),
  row('GET', 'api/v1/jamf-pro-version', []),
  ...inventory,
  row('GET', 'JSSResource/computers/**', [P.readComputers]),
  row('GET', `${MSU}/available-updates`, []),
  row('GET', `${MSU}/plans/feature-toggle`, [P.readManagedSoftwareUpdates]),
  row('GET', `${MSU}/plans/feature-toggle/status`, [P.readManagedSoftwareUpdates]),
  row('PUT', `${MSU}/plans/feature-toggle`, toggleWrite),
  row('POST', `${MSU}/plans/feature-toggle/abandon`, toggleWrite),
  row('POST', `${MSU}/plans/group`, [...createPlans, ...groupReads]),
  row('GET', `${MSU}/plans/group/{id}`, [...readPlans, ...groupReads]),
  row('POST', `${MSU}/plans`, createPlans),
  row('GET', `${MSU}/plans`, readPlans),
  row('GET', `${MSU}/plans/{id}`, readPlans),
  row('GET', `${MSU}/plans/{id}/declarations`, readPlans),
  row('GET', `${MSU}/plans/{id}/events`, readPlans),
  row('GET', `${MSU}/update-statuses`, [P.readComputers, P.readMobileDevices]),
  row('GET', `${MSU}/update-statuses/computers/{id}`, [P.readComputers]),
  row('GET', `${MSU}/update-statuses/computer-groups/{id}`, [P.readComputers, P.readSmartComputerGroups, P.readStaticComputerGroups]),
  row('GET', 'api/v1/macos-managed-software-updates/available-updates', []),
  row('POST', 'api/v1/macos-managed-software-updates/send-updates', [P.sendComputerOsUpdate]),
  row('POST', 'api/v2/mdm/blank-push', [P.viewMdmCommandInformation]),
  ...crud('api/v1/accounts', P.readAccounts, P.createAccounts, P.updateAccounts, P.deleteAccounts),
  row('GET', 'JSSResource/accounts/**', [P.readAccounts]),
  row('POST', 'JSSResource/accounts/**', [P.createAccounts]),
  row('PUT', 'JSSResource/accounts/**', [P.updateAccounts]),
  row('DELETE', 'JSSResource/accounts/**', [P.deleteAccounts]),
  row('POST', 'api/v1/user/change-password', [P.changePassword]),
  row('GET', 'api/v1/api-role-privileges', [P.readApiRoles]),
  row('GET', 'api/v1/api-role-privileges/search', [P.readApiRoles]),
  ...crud('api/v1/api-roles', P.readApiRoles, P.createApiRoles, P.updateApiRoles, P.deleteApiRoles),
  row('POST', 'api/v1/api-integrations/{id}/client-credentials', [P.createApiIntegrations]),
  ...crud('api/v1/api-integrations', P.readApiIntegrations, P.createApiIntegrations, P.updateApiIntegrations, P.deleteApiIntegrations),
];

/**
 * The privileges a call needs, or undefined when the endpoint is not in the table.
 * `path` is relative to the base URL; a leading slash and a query are ignored.
 */
export function privilegesFor(method: string, path: string): readonly JamfPrivilegeName[] | undefined {
  return findEndpoint(ENDPOINT_PRIVILEGES, method, path)?.privileges;
}
