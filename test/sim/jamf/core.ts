import { EventEmitter } from 'node:events';
import { SimClock } from './clock';
import { FaultInjector } from './faults';
import type { Principal } from './http';
import { PlanEngine } from './plans';
import { accountPrivileges } from './privileges';
import type { RequestLogEntry } from './requestLog';
import { Store, defaultSettings, type SimSettings } from './state';
import { FeatureToggle } from './toggle';
import { TokenStore, type TokenRecord } from './tokens';
import { fullVersionString, parseVersion } from './version';

export interface CoreOptions {
  version?: string;
  now?: () => number;
  lockoutThreshold?: number;
  tokenLifetimeSeconds?: number;
}

/** Everything the routes and the control API share: clock, data, tokens, plans, toggle, faults, log. */
export class SimCore {
  readonly clock: SimClock;
  readonly store = new Store();
  readonly settings: SimSettings = defaultSettings();
  readonly tokens: TokenStore;
  readonly events = new EventEmitter();
  readonly plans: PlanEngine;
  readonly toggle: FeatureToggle;
  readonly faults = new FaultInjector();
  readonly requests: RequestLogEntry[] = [];
  url = '';
  private versionString: string;

  constructor(opts: CoreOptions = {}) {
    this.clock = new SimClock(opts.now);
    const now = (): number => this.clock.now();
    if (opts.lockoutThreshold !== undefined) this.settings.lockoutThreshold = opts.lockoutThreshold;
    if (opts.tokenLifetimeSeconds !== undefined) this.settings.userTokenLifetimeSeconds = opts.tokenLifetimeSeconds;
    this.versionString = fullVersionString(opts.version ?? '11.30.0');
    this.tokens = new TokenStore(now, () => this.url);
    this.plans = new PlanEngine(this.store, this.settings, now, this.events);
    this.toggle = new FeatureToggle(true, now, () => this.settings.toggleJobMs, () => this.plans.purge());
    this.clock.on('change', () => this.tick());
    // Plan events are informational; an 'error' listener is not required for them.
    this.events.setMaxListeners(50);
  }

  /** The version as Jamf Pro reports it (`11.30.0-t1782920582649`). */
  get version(): string {
    return this.versionString;
  }

  setVersion(v: string): void {
    parseVersion(v);
    this.versionString = fullVersionString(v);
  }

  /** Bring time-driven state (toggle job, plan progress) up to the clock. */
  tick(): void {
    this.toggle.tick();
    this.plans.tick();
  }

  /** Resolve an accepted token to its principal, with privileges as they are now. */
  principalFor(record: TokenRecord): Principal | undefined {
    if (record.kind === 'user') {
      const account = this.store.accounts.get(record.principalId);
      if (!account) return undefined;
      return { kind: 'user', account, privileges: new Set(accountPrivileges(account.privilegeLevel, account.privileges)) };
    }
    const client = this.store.clients.get(record.principalId);
    if (!client) return undefined;
    return { kind: 'client', client, roleIds: record.roleIds, privileges: this.store.rolePrivileges(record.roleIds) };
  }
}
