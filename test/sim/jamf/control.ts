import { randomUUID } from 'node:crypto';
import { setPassword } from './accountModel';
import { unlock } from './login';
import type { SimCore } from './core';
import type { FaultHandle, FaultSpec } from './faults';
import type { Plan, PlanState } from './planModel';
import type { PlannedFailure } from './plans';
import type { PrivilegeLevel } from './privileges';
import { newClientSecret } from './routes/apiIntegrations';
import type { Router } from './router';
import { newComputer, type Account, type ApiClient, type ApiRole, type Computer, type ComputerInput, type SimSettings } from './state';

export interface AccountInput {
  username: string;
  password: string;
  realname?: string;
  email?: string;
  privilegeLevel?: PrivilegeLevel;
  /** Explicit privileges; setting them without a privilegeLevel makes the account CUSTOM. */
  privileges?: string[];
  accessLevel?: Account['accessLevel'];
  accountStatus?: Account['accountStatus'];
  /** 'ldap' makes a directory account (ldapServerId 1), 'sso' a FEDERATED one. */
  directory?: 'ldap' | 'sso';
  changePasswordOnNextLogin?: boolean;
}

export interface ClientInput {
  displayName: string;
  /** API role display names or ids. */
  roles: (string | number)[];
  enabled?: boolean;
  accessTokenLifetimeSeconds?: number;
  /** false: create the client without generating a secret yet. */
  generateSecret?: boolean;
}

export interface ClientCredentials {
  id: number;
  clientId: string;
  clientSecret: string;
}

/** Test and demo hooks: set up data, steer time-driven behaviour, inject faults. Nothing here goes over HTTP. */
export interface SimControl {
  addAccount(input: AccountInput): Account;
  account(idOrUsername: number | string): Account;
  updateAccount(idOrUsername: number | string, patch: Partial<Omit<Account, 'id'>>): Account;
  setAccountPassword(idOrUsername: number | string, password: string): void;
  unlockAccount(idOrUsername: number | string): void;
  addRole(displayName: string, privileges: string[]): ApiRole;
  setRolePrivileges(idOrName: number | string, privileges: string[]): ApiRole;
  addClient(input: ClientInput): ClientCredentials;
  client(idOrClientId: number | string): ApiClient;
  setClientEnabled(idOrClientId: number | string, enabled: boolean): void;
  rotateClientSecret(idOrClientId: number | string): ClientCredentials;
  addComputer(input?: ComputerInput): Computer;
  computer(id: number): Computer;
  updateComputer(id: number, patch: Partial<Omit<Computer, 'id'>>): Computer;
  setVersion(version: string): void;
  version(): string;
  setAvailableUpdates(updates: { macOS?: string[]; iOS?: string[] }): void;
  /** Set the feature toggle. `immediate` (default true) skips the background job. */
  setFeatureToggle(on: boolean, opts?: { immediate?: boolean }): void;
  configure(settings: Partial<SimSettings>): SimSettings;
  settings(): Readonly<SimSettings>;
  /** Expire every token issued so far (token expiry mid-run). Returns how many were live. */
  expireAllTokens(): number;
  plans(): Plan[];
  plan(planId: string): Plan;
  /** Advance a plan one state, or on to `toState`. */
  advancePlan(planId: string, toState?: PlanState): Plan;
  completePlan(planId: string): Plan;
  failPlan(planId: string, errorReasons: string[]): Plan;
  /** The next `count` plans created fail with these reasons (at validation unless `atState` is given). */
  failNextPlans(failure: PlannedFailure, count?: number): void;
  injectFault(spec: FaultSpec): FaultHandle;
  clearFaults(): void;
  clearRequests(): void;
  /** Method and path template of every route the configured version serves. */
  routes(): { method: string; path: string; privileges: readonly string[] }[];
}

export function createControl(core: SimCore, router: Router): SimControl {
  const store = core.store;
  const account = (key: number | string): Account => {
    const a = typeof key === 'number' ? store.accounts.get(key) : store.accountByName(key);
    if (!a) throw new Error(`no account ${String(key)}`);
    return a;
  };
  const client = (key: number | string): ApiClient => {
    const c = typeof key === 'number' ? store.clients.get(key) : store.clientByClientId(key);
    if (!c) throw new Error(`no API client ${String(key)}`);
    return c;
  };
  const role = (key: number | string): ApiRole => {
    const r = typeof key === 'number' ? store.roles.get(key) : store.roleByName(key);
    if (!r) throw new Error(`no API role ${String(key)}`);
    return r;
  };
  const computer = (id: number): Computer => {
    const c = store.computers.get(id);
    if (!c) throw new Error(`no computer ${id}`);
    return c;
  };
  const plan = (id: string): Plan => {
    const p = core.plans.plans.get(id.toUpperCase());
    if (!p) throw new Error(`no plan ${id}`);
    return p;
  };

  return {
    addAccount(input) {
      if (store.accountByName(input.username)) throw new Error(`account ${input.username} exists`);
      const id = store.nextId('account');
      const a: Account = {
        id,
        username: input.username,
        password: input.password,
        realname: input.realname ?? input.username,
        email: input.email ?? '',
        phone: '',
        ldapServerId: input.directory === 'ldap' ? 1 : -1,
        distinguishedName: input.directory === 'ldap' ? `CN=${input.username},OU=Users,DC=example,DC=com` : '',
        siteId: -1,
        accessLevel: input.accessLevel ?? 'FullAccess',
        privilegeLevel: input.privilegeLevel ?? (input.privileges ? 'CUSTOM' : 'ADMINISTRATOR'),
        privileges: [...(input.privileges ?? [])],
        lastPasswordChange: core.clock.now(),
        changePasswordOnNextLogin: input.changePasswordOnNextLogin ?? false,
        failedLoginAttempts: 0,
        accountStatus: input.accountStatus ?? 'Enabled',
        lockedOut: false,
        accountType: input.directory === 'sso' ? 'FEDERATED' : 'DEFAULT',
      };
      store.accounts.set(id, a);
      return a;
    },
    account,
    updateAccount: (key, patch) => Object.assign(account(key), patch),
    setAccountPassword(key, password) {
      const result = setPassword(core, account(key), password);
      if (!result.ok) throw new Error(result.message);
    },
    unlockAccount: (key) => unlock(account(key)),
    addRole(displayName, privileges) {
      if (store.roleByName(displayName)) throw new Error(`API role ${displayName} exists`);
      const r: ApiRole = { id: store.nextId('role'), displayName, privileges: [...privileges] };
      store.roles.set(r.id, r);
      return r;
    },
    setRolePrivileges: (key, privileges) => Object.assign(role(key), { privileges: [...privileges] }),
    addClient(input) {
      const c: ApiClient = {
        id: store.nextId('client'),
        displayName: input.displayName,
        enabled: input.enabled ?? true,
        accessTokenLifetimeSeconds: input.accessTokenLifetimeSeconds ?? 1800,
        clientId: randomUUID(),
        secret: input.generateSecret === false ? null : newClientSecret(),
        roleIds: input.roles.map((r) => role(r).id),
        appType: 'CLIENT_CREDENTIALS',
      };
      store.clients.set(c.id, c);
      return { id: c.id, clientId: c.clientId, clientSecret: c.secret ?? '' };
    },
    client,
    setClientEnabled: (key, enabled) => void (client(key).enabled = enabled),
    rotateClientSecret(key) {
      const c = client(key);
      c.secret = newClientSecret();
      return { id: c.id, clientId: c.clientId, clientSecret: c.secret };
    },
    addComputer(input = {}) {
      const id = input.id !== undefined ? store.claimId('computer', input.id) : store.nextId('computer');
      if (store.computers.has(id)) throw new Error(`computer ${id} exists`);
      const c = newComputer(id, { jamfBinaryVersion: core.version, ...input }, core.clock.now());
      store.computers.set(id, c);
      return c;
    },
    computer,
    updateComputer: (id, patch) => Object.assign(computer(id), patch),
    setVersion: (v) => core.setVersion(v),
    version: () => core.version,
    setAvailableUpdates(updates) {
      if (updates.macOS) store.availableUpdates.macOS = [...updates.macOS];
      if (updates.iOS) store.availableUpdates.iOS = [...updates.iOS];
    },
    setFeatureToggle(on, opts = {}) {
      if (opts.immediate === false) core.toggle.request(on, core.plans.plans.size);
      else core.toggle.force(on);
    },
    configure: (settings) => Object.assign(core.settings, settings),
    settings: () => ({ ...core.settings }),
    expireAllTokens: () => core.tokens.expireAll(),
    plans: () => [...core.plans.plans.values()],
    plan,
    advancePlan: (id, toState) => core.plans.drive(plan(id).planUuid, toState),
    completePlan: (id) => core.plans.drive(plan(id).planUuid, 'PlanCompleted'),
    failPlan: (id, reasons) => core.plans.fail(plan(id).planUuid, reasons),
    failNextPlans: (failure, count = 1) => core.plans.queueFailure(failure, count),
    injectFault: (spec) => core.faults.add(spec),
    clearFaults: () => core.faults.clear(),
    clearRequests: () => void core.requests.splice(0, core.requests.length),
    routes: () => router.routesFor(core.version).map((r) => ({ method: r.method, path: r.path, privileges: r.privileges ?? [] })),
  };
}
