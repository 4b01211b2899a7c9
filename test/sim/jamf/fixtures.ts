import { randomBytes } from 'node:crypto';
import type { ClientCredentials } from './control';
import { P, SUPERD_PRIVILEGES } from './privileges';
import type { JamfSim } from './server';
import type { Computer } from './state';

export interface StandardFixtures {
  admin: { id: number; username: string; password: string };
  /** A local account with the Classic/Pro account privileges a rotation tool needs, plus superd's. */
  rotator: { id: number; username: string; password: string };
  limited: { id: number; username: string; password: string };
  disabled: { id: number; username: string; password: string };
  ldap: { id: number; username: string; password: string };
  sso: { id: number; username: string; password: string };
  superdRole: { id: number; displayName: string };
  superdClient: ClientCredentials;
  disabledClient: ClientCredentials;
  computer: Computer;
}

const password = (): string => `Sim-${randomBytes(9).toString('base64url')}`;

/**
 * The fixtures reference §10.7 suggests: an admin, a limited user, a disabled
 * user, an LDAP and an SSO account, an API role with superd's privileges, an
 * enabled and a disabled API client, and one managed Apple-silicon Mac.
 */
export function seedStandardFixtures(sim: JamfSim): StandardFixtures {
  const c = sim.control;
  const user = (username: string, extra: Parameters<typeof c.addAccount>[0] extends infer T ? Partial<T> : never) => {
    const pw = password();
    const a = c.addAccount({ username, password: pw, ...extra });
    return { id: a.id, username, password: pw };
  };
  const admin = user('jamf-admin', { realname: 'Jamf Administrator', privilegeLevel: 'ADMINISTRATOR' });
  const rotator = user('superd-rotator', {
    realname: 'superd credential rotation',
    privileges: [...SUPERD_PRIVILEGES, P.readAccounts, P.updateAccounts, P.readApiIntegrations, P.createApiIntegrations, P.readApiRoles],
  });
  const limited = user('helpdesk', { realname: 'Help Desk', privileges: [P.readComputers] });
  const disabled = user('former-admin', { accountStatus: 'Disabled' });
  const ldap = user('ldap-admin', { directory: 'ldap', realname: 'Directory Admin' });
  const sso = user('sso-admin', { directory: 'sso', realname: 'SSO Admin' });
  const role = c.addRole('superd', [...SUPERD_PRIVILEGES]);
  const superdClient = c.addClient({ displayName: 'superd', roles: [role.id], accessTokenLifetimeSeconds: 600 });
  const disabledClient = c.addClient({ displayName: 'retired integration', roles: [role.id], enabled: false });
  const computer = c.addComputer({ name: "Llama's MacBook Air", serialNumber: 'C02ZC2QYLVDL', osVersion: '15.6.1', osBuild: '24G90' });
  return { admin, rotator, limited, disabled, ldap, sso, superdRole: { id: role.id, displayName: role.displayName }, superdClient, disabledClient, computer };
}
