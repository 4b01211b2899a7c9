import { isoSeconds } from './clock';
import { unlock } from './login';
import type { SimCore } from './core';
import { accountPrivileges } from './privileges';
import type { FieldGetters } from './rsql';
import { isDirectoryAccount, type Account } from './state';
import type { XmlValue } from './xml';

/** UserAccount as the Jamf Pro API returns it (never with plainPassword). */
export function renderUserAccount(a: Account): Record<string, unknown> {
  return {
    id: String(a.id),
    username: a.username,
    realname: a.realname,
    email: a.email,
    phone: a.phone,
    ldapServerId: a.ldapServerId,
    distinguishedName: a.distinguishedName,
    siteId: a.siteId,
    accessLevel: a.accessLevel,
    privilegeLevel: a.privilegeLevel,
    lastPasswordChange: isoSeconds(a.lastPasswordChange),
    changePasswordOnNextLogin: a.changePasswordOnNextLogin,
    failedLoginAttempts: a.failedLoginAttempts,
    accountStatus: a.accountStatus,
    accountType: a.accountType,
  };
}

export const ACCOUNT_FIELDS: FieldGetters<Account> = {
  id: (a) => a.id,
  lastPasswordChange: (a) => isoSeconds(a.lastPasswordChange),
  failedLoginAttempts: (a) => a.failedLoginAttempts,
  username: (a) => a.username,
  realname: (a) => a.realname,
  email: (a) => a.email,
  phone: (a) => a.phone,
  ldapServerId: (a) => a.ldapServerId,
  distinguishedName: (a) => a.distinguishedName,
  siteId: (a) => a.siteId,
  privilegeLevel: (a) => a.privilegeLevel,
  changePasswordOnNextLogin: (a) => a.changePasswordOnNextLogin,
  accountStatus: (a) => a.accountStatus,
};

export type PasswordChange = { ok: true } | { ok: false; reason: 'directory' | 'policy'; message: string };

/**
 * Sets a local account's password: takes effect for the next token request at
 * once, resets failed logins (unlocks), records the change time, and (when
 * the switch is on) invalidates the account's outstanding tokens.
 */
export function setPassword(core: SimCore, account: Account, password: string): PasswordChange {
  if (isDirectoryAccount(account)) {
    return { ok: false, reason: 'directory', message: 'The password of a directory (LDAP/SSO) account cannot be changed in Jamf Pro' };
  }
  if (password.length < core.settings.passwordMinLength) {
    return { ok: false, reason: 'policy', message: `Password must be at least ${core.settings.passwordMinLength} characters long` };
  }
  account.password = password;
  account.lastPasswordChange = core.clock.now();
  unlock(account);
  if (core.settings.invalidateTokensOnPasswordChange) core.tokens.invalidateForAccount(account.id);
  return { ok: true };
}

const ACCESS: Record<Account['accessLevel'], string> = { FullAccess: 'Full Access', SiteAccess: 'Site Access', GroupBasedAccess: 'Group Access' };
const PRIVILEGE_SET: Record<Account['privilegeLevel'], string> = {
  ADMINISTRATOR: 'Administrator',
  AUDITOR: 'Auditor',
  ENROLLMENT: 'Enrollment Only',
  CUSTOM: 'Custom',
};
const SETTINGS_OBJECTS = /API Roles|API Integrations|Sites|Buildings|Departments/;

/** The Classic `<account>` document (reference §7.2); no password, ever. */
export function classicAccount(a: Account): { [key: string]: XmlValue } {
  const held = accountPrivileges(a.privilegeLevel, a.privileges);
  const isAction = (p: string): boolean => /^(Send|View|Flush|Change) /.test(p);
  const directory = a.ldapServerId > 0;
  return {
    id: a.id,
    name: a.username,
    directory_user: directory,
    full_name: a.realname,
    email: a.email,
    email_address: a.email,
    enabled: a.accountStatus,
    ldap_server: { id: a.ldapServerId, name: directory ? 'Corporate Directory' : 'None' },
    force_password_change: a.changePasswordOnNextLogin,
    access_level: ACCESS[a.accessLevel],
    privilege_set: PRIVILEGE_SET[a.privilegeLevel],
    site: { id: a.siteId, name: 'None' },
    privileges: {
      jss_objects: held.filter((p) => !isAction(p) && !SETTINGS_OBJECTS.test(p)),
      jss_settings: held.filter((p) => !isAction(p) && SETTINGS_OBJECTS.test(p)),
      jss_actions: held.filter(isAction),
      recon: [],
      casper_admin: [],
      casper_remote: [],
      casper_imaging: [],
    },
  };
}

export const CLASSIC_ITEM_TAGS: Record<string, string> = {
  jss_objects: 'privilege',
  jss_settings: 'privilege',
  jss_actions: 'privilege',
  recon: 'privilege',
  casper_admin: 'privilege',
  casper_remote: 'privilege',
  casper_imaging: 'privilege',
  users: 'user',
  groups: 'group',
  computer_commands: 'command',
};
