import { randomUUID } from 'node:crypto';
import type { PrivilegeLevel } from './privileges';

export type AccessLevel = 'FullAccess' | 'SiteAccess' | 'GroupBasedAccess';

/** A Jamf Pro user account (an administrator of the console/API, not a device user). */
export interface Account {
  id: number;
  username: string;
  password: string;
  realname: string;
  email: string;
  phone: string;
  /** -1 for a local account; a positive LDAP server id for a directory account. */
  ldapServerId: number;
  distinguishedName: string;
  siteId: number;
  accessLevel: AccessLevel;
  privilegeLevel: PrivilegeLevel;
  /** Explicit privileges (used when privilegeLevel is CUSTOM). */
  privileges: string[];
  lastPasswordChange: number;
  changePasswordOnNextLogin: boolean;
  failedLoginAttempts: number;
  accountStatus: 'Enabled' | 'Disabled';
  /**
   * Locked by the password policy after too many failed logins. Jamf Pro shows a locked account
   * with the access status "Disabled" until it is unlocked (Jamf Pro guide, "Unlocking a Jamf Pro
   * User Account"), so a lockout also sets `accountStatus` to Disabled.
   */
  lockedOut: boolean;
  /** FEDERATED = SSO-only account: cannot use the API with a password. */
  accountType: 'DEFAULT' | 'FEDERATED';
}

export interface ApiRole {
  id: number;
  displayName: string;
  privileges: string[];
}

/** An API client ("API integration"). */
export interface ApiClient {
  id: number;
  displayName: string;
  enabled: boolean;
  accessTokenLifetimeSeconds: number;
  clientId: string;
  /** Current secret; null until one is generated. Earlier secrets stop working when rotated. */
  secret: string | null;
  roleIds: number[];
  appType: 'CLIENT_CREDENTIALS' | 'NATIVE_APP_OAUTH' | 'NONE';
}

export interface Computer {
  id: number;
  udid: string;
  name: string;
  serialNumber: string;
  managementId: string;
  model: string;
  modelIdentifier: string;
  appleSilicon: boolean;
  osVersion: string;
  osBuild: string;
  supervised: boolean;
  mdmCapable: boolean;
  managed: boolean;
  declarativeDeviceManagementEnabled: boolean;
  bootstrapTokenEscrowed: boolean;
  bootDriveAvailableSpaceMegabytes: number;
  softwareUpdateDeviceId: string;
  jamfBinaryVersion: string;
  macAddress: string;
  ipAddress: string;
  username: string;
  reportDate: number;
  lastContact: number;
  lastEnrolledDate: number;
}

export type ComputerInput = Partial<Omit<Computer, 'id'>> & { id?: number };

export interface SimSettings {
  lockoutThreshold: number;
  userTokenLifetimeSeconds: number;
  /** Classic API answer when the caller lacks a privilege: 401 (observed) or 403 (documented). */
  classicPrivilegeFailureStatus: 401 | 403;
  /** OAuth answer for an unknown client or a wrong secret: 401 (Jamf's own CLI) or 400 (the OpenAPI document). */
  oauthInvalidClientStatus: 401 | 400;
  /** Legacy servers (before 11.5) still accepted Basic auth on the Classic API. */
  classicBasicAuth: boolean;
  invalidateTokensOnPasswordChange: boolean;
  /** What POST /plans does while the feature toggle is off. */
  plansWhenToggleOff: 'reject' | 'accept';
  /** What POST /plans does for a device id that is not in inventory. */
  unknownPlanDevice: 'reject' | 'failPlan';
  passwordMinLength: number;
  /** How long the asynchronous feature-toggle job runs (sim-clock ms). */
  toggleJobMs: number;
  /** How long a plan stays in each state (sim-clock ms) when plans advance with the clock. */
  planStepMs: number;
  /** The "mandatory 5 minute delay" between the OS-update scan and collecting available updates. */
  planScanWaitMs: number;
  autoAdvancePlans: boolean;
  /** Pretty-print JSON with CRLF line ends (seen on some servers). */
  crlf: boolean;
}

export function defaultSettings(): SimSettings {
  return {
    lockoutThreshold: 5,
    userTokenLifetimeSeconds: 1200,
    classicPrivilegeFailureStatus: 401,
    oauthInvalidClientStatus: 401,
    classicBasicAuth: false,
    invalidateTokensOnPasswordChange: false,
    plansWhenToggleOff: 'reject',
    unknownPlanDevice: 'reject',
    passwordMinLength: 1,
    toggleJobMs: 20_000,
    planStepMs: 10_000,
    planScanWaitMs: 5 * 60_000,
    autoAdvancePlans: true,
    crlf: false,
  };
}

/** All mutable server data. Route handlers and the control API share one Store. */
export class Store {
  readonly accounts = new Map<number, Account>();
  readonly roles = new Map<number, ApiRole>();
  readonly clients = new Map<number, ApiClient>();
  readonly computers = new Map<number, Computer>();
  availableUpdates: { macOS: string[]; iOS: string[] } = {
    macOS: ['26.1', '26.0.1', '15.7.2', '14.8.2'],
    iOS: ['26.1', '18.7.2'],
  };
  private nextIds = { account: 1, role: 1, client: 1, computer: 1 };

  nextId(kind: keyof Store['nextIds']): number {
    return this.nextIds[kind]++;
  }

  /** Reserve an explicit id so later automatic ids do not collide with it. */
  claimId(kind: keyof Store['nextIds'], id: number): number {
    if (id >= this.nextIds[kind]) this.nextIds[kind] = id + 1;
    return id;
  }

  accountByName(username: string): Account | undefined {
    const wanted = username.toLowerCase();
    for (const a of this.accounts.values()) if (a.username.toLowerCase() === wanted) return a;
    return undefined;
  }

  clientByClientId(clientId: string): ApiClient | undefined {
    for (const c of this.clients.values()) if (c.clientId === clientId) return c;
    return undefined;
  }

  roleByName(displayName: string): ApiRole | undefined {
    for (const r of this.roles.values()) if (r.displayName === displayName) return r;
    return undefined;
  }

  computerByManagementId(managementId: string): Computer | undefined {
    const wanted = managementId.toLowerCase();
    for (const c of this.computers.values()) if (c.managementId.toLowerCase() === wanted) return c;
    return undefined;
  }

  /** Union of the privileges of the given roles, read now (role edits affect live tokens). */
  rolePrivileges(roleIds: readonly number[]): Set<string> {
    const out = new Set<string>();
    for (const id of roleIds) for (const p of this.roles.get(id)?.privileges ?? []) out.add(p);
    return out;
  }
}

export function isDirectoryAccount(a: Account): boolean {
  return a.ldapServerId > 0 || a.accountType === 'FEDERATED';
}

const hex = (n: number): string => Array.from({ length: n }, () => '0123456789ABCDEF'[Math.floor(Math.random() * 16)]).join('');

export function newComputer(id: number, input: ComputerInput, now: number): Computer {
  const serial = input.serialNumber ?? `Z${hex(9)}`;
  return {
    id,
    udid: input.udid ?? randomUUID().toUpperCase(),
    name: input.name ?? `Mac ${serial}`,
    serialNumber: serial,
    managementId: input.managementId ?? randomUUID(),
    model: input.model ?? 'MacBook Air (M2, 2022)',
    modelIdentifier: input.modelIdentifier ?? 'Mac14,2',
    appleSilicon: input.appleSilicon ?? true,
    osVersion: input.osVersion ?? '15.6.1',
    osBuild: input.osBuild ?? '24G90',
    supervised: input.supervised ?? true,
    mdmCapable: input.mdmCapable ?? true,
    managed: input.managed ?? true,
    declarativeDeviceManagementEnabled: input.declarativeDeviceManagementEnabled ?? true,
    bootstrapTokenEscrowed: input.bootstrapTokenEscrowed ?? true,
    bootDriveAvailableSpaceMegabytes: input.bootDriveAvailableSpaceMegabytes ?? 180_000,
    softwareUpdateDeviceId: input.softwareUpdateDeviceId ?? 'J413AP',
    jamfBinaryVersion: input.jamfBinaryVersion ?? '11.30.0-t1782920582649',
    macAddress: input.macAddress ?? '3C:22:FB:12:34:56',
    ipAddress: input.ipAddress ?? '10.0.0.42',
    username: input.username ?? 'user',
    reportDate: input.reportDate ?? now - 3_600_000,
    lastContact: input.lastContact ?? now - 600_000,
    lastEnrolledDate: input.lastEnrolledDate ?? now - 30 * 86_400_000,
  };
}
