/**
 * What the steps of one run share: the dependencies, and what the run has learnt so far (the
 * saved credential, read once; the Jamf Pro client and its server version; the `log stream`
 * subscription; the user who authenticated after a failover). The run's secrets live here and
 * nowhere else: the machine and its persisted snapshot never see them.
 */
import type { Dispatcher } from 'undici';
import type { Settings } from '../config/schema';
import { jamfFailure } from '../auth/jamfCredentialCheck';
import { loadSavedAuth, type SavedAuth } from '../auth/savedAuth';
import type { SecretStore } from '../auth/secretStore';
import { credentialMarker } from '../credentials/heartbeat';
import { ConfigError, InternalError, JamfAuthError, JamfHttpError } from '../errors';
import { findComputerByUdid } from '../jamf/computerInventory';
import { jamfBinaryVersion } from '../host/jamfBinary';
import type { RunCommand } from '../host/runCommand';
import { credentialSecrets } from '../jamf/credentials';
import { JamfClient } from '../jamf/jamfClient';
import { loadJamfBaseUrl } from '../jamf/jssUrl';
import { readFeatureToggleState } from '../jamf/softwareUpdatePlans';
import { freshValue, noFacts, SERVER_VERSION_MAX_AGE_MS, readJamfFacts, writeJamfFacts, type JamfFacts, type RememberedComputer } from '../status/jamfFacts';
import { statusTime, type AuthMethod } from '../status/statusFile';
import type { ComputerIdentity, MacProgressWatch, StartMacProgressWatch } from '../workflow/contracts';
import type { WorkflowFailure } from '../workflow/failureReason';
import type { StepResult } from './runTypes';
import type { StatusWriter } from './statusWriter';

export interface RunLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface RunSessionDeps {
  readonly root: string;
  readonly run: RunCommand;
  readonly settings: Settings;
  readonly configHash: string;
  readonly store: SecretStore;
  readonly dispatcher: Dispatcher;
  readonly startWatch: StartMacProgressWatch;
  readonly now: () => Date;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * Waits on a slow macOS command (mdmclient AvailableOSUpdates) before the run goes on
   * without it: wall-clock time, never the run's simulated clock, which only Jamf Pro waits use.
   */
  readonly commandWait?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Every secret the run comes to hold is registered here first, so no log can show it. */
  readonly registerSecret: (secret: string) => void;
  readonly log: RunLog;
  /** The run's one status writer: steps read `status.view` and note facts on it. */
  readonly status: StatusWriter;
  /** A credential this same invocation just validated and saved: not checked a second time. */
  readonly justValidated?: { readonly method: AuthMethod; readonly serverVersion?: string } | null;
}

export const ok = <T>(value: T): StepResult<T> => ({ ok: true, value });
export const fail = (failure: WorkflowFailure): StepResult<never> => ({ ok: false, failure });

export class RunSession {
  private saved: SavedAuth | null = null;
  private savedRead = false;
  private client: JamfClient | null = null;
  private version: string | null = null;
  private progressWatch: MacProgressWatch | null = null;
  /** Jamf Pro facts remembered between runs (status/jamfFacts.ts), loaded with the client. */
  private facts: JamfFacts | null = null;
  private factsChanged = false;
  /** The logged-in user who authenticated after a failover, for the local install and re-escrow. */
  user: { readonly name: string; readonly admin: boolean; readonly password: string } | null = null;
  /** This Mac's macOS version, once checkHost has read it (re-escrow needs it). */
  macOSVersion: string | null = null;
  /** This Mac's hardware UUID, once resolveComputer has used it (a stale computer id is looked up again by it). */
  hardwareUUID: string | null = null;
  /** This process looked for the update itself; a resumed run did not, so its push looks again. */
  targetLookedUp = false;
  /** Failed plans this run handed to the recovery path: a retry the path chose may replace one. */
  readonly failedPlans = new Set<string>();

  constructor(readonly deps: RunSessionDeps) {}

  get settings(): Settings {
    return this.deps.settings;
  }

  /** The saved method, read from the keychain once per run (a resumed run reaches later steps first). */
  async savedAuth(signal?: AbortSignal): Promise<SavedAuth | null> {
    if (this.savedRead) return this.saved;
    this.useSaved(await loadSavedAuth(this.deps.store, signal, this.deps.status.view.authMethod));
    return this.saved;
  }

  /** A credential this run saved itself (the user's password): registered as a secret first. */
  useSaved(saved: SavedAuth | null): void {
    if (saved) for (const secret of 'credential' in saved ? credentialSecrets(saved.credential) : [saved.password]) this.deps.registerSecret(secret);
    this.saved = saved;
    this.savedRead = true;
    // Recorded, so the next run reads this method's items first (savedAuth.ts probeOrder): a
    // credential saved by an earlier version, or put in place by hand, has no record yet.
    if (saved && this.deps.status.view.authMethod !== saved.method) this.deps.status.note({ authMethod: saved.method });
  }

  /** The saved local, service or user credential (the local install path). */
  async localCredential(signal?: AbortSignal): Promise<{ name: string; password: string } | null> {
    const found = await this.savedAuth(signal);
    return found && 'password' in found ? { name: found.account, password: found.password } : null;
  }

  async jamf(): Promise<JamfClient> {
    if (this.client) return this.client;
    const saved = await this.savedAuth();
    if (!saved || !('credential' in saved)) throw new InternalError('a Jamf Pro step ran without a saved Jamf Pro credential');
    const base = await loadJamfBaseUrl({ customUrl: this.settings.AuthJamfCustomURL ?? null, root: this.deps.root });
    const { deps } = this;
    this.facts = await readJamfFacts(deps.root, base.url).catch(() => noFacts(base.url));
    // A version the credential check of this invocation read before the client existed.
    if (this.version !== null && this.version !== '0') this.remember({ serverVersion: { value: this.version, at: deps.now().toISOString() } });
    this.client = new JamfClient({
      baseUrl: base.url,
      credential: saved.credential,
      dispatcher: deps.dispatcher,
      now: () => deps.now().getTime(),
      onSecret: deps.registerSecret,
      // Retry-After waits use the run's clock, like every other wait of the run.
      sleep: (ms, signal) => deps.sleep(ms, signal ?? new AbortController().signal),
      onRequest: (e) => deps.log.info('jamf request', { ...e }),
    });
    return this.client;
  }

  /**
   * Jamf Pro's version: remembered for 90 days between runs (status/jamfFacts.ts), else asked
   * once per run, from the API or else the jamf binary (a fallback that is not remembered).
   */
  async serverVersion(signal?: AbortSignal): Promise<string> {
    if (this.version) return this.version;
    const client = await this.jamf();
    const remembered = freshValue(this.facts?.serverVersion ?? null, this.deps.now(), SERVER_VERSION_MAX_AGE_MS);
    if (remembered !== undefined) return (this.version = remembered);
    try {
      this.knowServerVersion(await client.getVersion(signal));
    } catch (error) {
      // Only the version endpoint's own refusal falls back; a token that was refused or never
      // came (Jamf Pro down) fails here, so the run does not send it again in the next step.
      if (!(error instanceof JamfHttpError) || !/jamf-pro-version/.test(error.path)) throw error;
      this.version = (await jamfBinaryVersion(this.deps.run, signal)) ?? '0';
    }
    return this.version ?? '0';
  }

  /** A version read from Jamf Pro this run (here, or by the credential check): used and remembered. */
  knowServerVersion(version: string | null): void {
    this.version = version;
    if (version !== null && version !== '0') this.remember({ serverVersion: { value: version, at: this.deps.now().toISOString() } });
  }

  /** The plans feature toggle (null: this server has none): remembered for 7 days, else read. */
  async featureToggle(signal?: AbortSignal): Promise<boolean | null> {
    const client = await this.jamf();
    const remembered = freshValue(this.facts?.featureToggle ?? null, this.deps.now());
    if (remembered !== undefined) return remembered;
    const value = await readFeatureToggleState(client, signal);
    this.remember({ featureToggle: { value, at: this.deps.now().toISOString() } });
    return value;
  }

  /** This Mac's computer, as a previous run found it for this hardware UUID; null when unknown. */
  rememberedComputer(hardwareUUID: string): RememberedComputer | null {
    const c = this.facts?.computer ?? null;
    return c && c.udid.toUpperCase() === hardwareUUID.toUpperCase() ? c : null;
  }

  rememberComputer(computer: RememberedComputer | null): void {
    this.remember({ computer });
  }

  /**
   * A push failed in a way that may mean a fact changed (a version upgrade, the toggle switched,
   * the computer record gone): the version and toggle are read again by the next run.
   */
  forgetServerFacts(): void {
    this.version = null;
    this.remember({ serverVersion: null, featureToggle: null });
  }

  /**
   * The push failed with `error`. A 400 or 404 may say a remembered fact changed: the version
   * and toggle are read again by the next run and, when the computer id came from a previous
   * run, this Mac is looked up again by its hardware UUID. Returns the computer to push to again
   * when Jamf Pro now knows this Mac under another id; null when there is nothing to retry.
   */
  async recheckComputer(error: unknown, computer: ComputerIdentity, signal?: AbortSignal): Promise<ComputerIdentity | null> {
    if (!(error instanceof JamfHttpError) || (error.statusCode !== 400 && error.statusCode !== 404)) return null;
    this.forgetServerFacts();
    if (computer.source !== 'saved' || this.hardwareUUID === null) return null;
    this.rememberComputer(null);
    const found = await findComputerByUdid(await this.jamf(), this.hardwareUUID, await this.serverVersion(signal), signal);
    if (!found) return null;
    this.rememberComputer({ id: found.id, managementId: found.managementId, udid: this.hardwareUUID, declarativeManagement: found.declarativeManagement });
    if (found.id === computer.id && found.managementId === computer.managementId) return null;
    this.deps.log.warn(`Jamf Pro no longer knows this Mac as computer ${computer.id}; it is computer ${found.id} now: pushing again.`);
    return { id: found.id, managementId: found.managementId, declarativeManagement: found.declarativeManagement, source: 'lookup' };
  }

  private remember(change: Partial<Omit<JamfFacts, 'server'>>): void {
    if (!this.facts) return;
    this.facts = { ...this.facts, ...change };
    this.factsChanged = true;
  }

  /** The `log stream` subscription, started once (before anything is pushed). */
  async watch(signal: AbortSignal): Promise<MacProgressWatch> {
    this.progressWatch ??= await this.deps.startWatch(signal);
    return this.progressWatch;
  }

  /** Runs a Jamf Pro step; a typed Jamf error becomes a named failure instead of a crash. */
  async jamfStep<T>(fn: () => Promise<StepResult<T>>): Promise<StepResult<T>> {
    try {
      return await fn();
    } catch (error) {
      // No Jamf Pro server configured (no AuthJamfCustomURL, no jss_url): the admin must fix it.
      if (error instanceof ConfigError) return fail({ reason: 'jamf-server-missing', message: error.message });
      const failure = jamfFailure(error);
      if (error instanceof JamfAuthError) await this.pauseRejectedCredential();
      if (failure) return fail(failure);
      throw error;
    }
  }

  /**
   * Jamf Pro rejected the saved credential, in whichever step: like a failed heartbeat, no later
   * run or heartbeat sends it again until a new one is saved (it could lock the account out).
   */
  private async pauseRejectedCredential(): Promise<void> {
    const saved = this.saved;
    if (!saved || !('credential' in saved)) return;
    const { deps } = this;
    deps.status.note({ heartbeat: { status: 'Failed', checkedAt: statusTime(deps.now()) }, heartbeatPausedFor: await credentialMarker(deps.store, saved.credential) });
  }

  /**
   * Stops `log stream`, invalidates the Jamf Pro token and saves what the run learnt about Jamf
   * Pro; called at the end of every run. A version the client read on its own (a 404 from an
   * endpoint only some versions serve makes it ask) replaces the remembered one.
   */
  async close(): Promise<void> {
    await this.progressWatch?.stop();
    await this.client?.close().catch(() => undefined);
    const seen = this.client?.serverVersion;
    if (seen && seen !== this.facts?.serverVersion?.value) this.knowServerVersion(seen);
    if (this.facts && this.factsChanged) {
      await writeJamfFacts(this.deps.root, this.facts).catch((error: unknown) => this.deps.log.warn('the remembered Jamf Pro facts could not be saved; the next run reads them again', { error: error instanceof Error ? error.message : String(error) }));
    }
  }
}
