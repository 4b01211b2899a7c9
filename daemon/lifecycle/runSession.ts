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
import { ConfigError, InternalError } from '../errors';
import { jamfBinaryVersion } from '../host/jamfBinary';
import type { RunCommand } from '../host/runCommand';
import { credentialSecrets } from '../jamf/credentials';
import { JamfClient } from '../jamf/jamfClient';
import { loadJamfBaseUrl } from '../jamf/jssUrl';
import type { AuthMethod } from '../status/statusFile';
import type { MacProgressWatch, StartMacProgressWatch } from '../workflow/contracts';
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
  /** The logged-in user who authenticated after a failover, for the local install and re-escrow. */
  user: { readonly name: string; readonly admin: boolean; readonly password: string } | null = null;
  /** This Mac's macOS version, once checkHost has read it (re-escrow needs it). */
  macOSVersion: string | null = null;
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
    this.useSaved(await loadSavedAuth(this.deps.store, signal));
    return this.saved;
  }

  /** A credential this run saved itself (the user's password): registered as a secret first. */
  useSaved(saved: SavedAuth | null): void {
    if (saved) for (const secret of 'credential' in saved ? credentialSecrets(saved.credential) : [saved.password]) this.deps.registerSecret(secret);
    this.saved = saved;
    this.savedRead = true;
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

  /** Jamf Pro's version: asked once per run, from the API or else the jamf binary. */
  async serverVersion(signal?: AbortSignal): Promise<string> {
    this.version ??= await (await this.jamf()).getVersion(signal).catch(async () => (await jamfBinaryVersion(this.deps.run, signal)) ?? '0');
    return this.version;
  }

  knowServerVersion(version: string | null): void {
    this.version = version;
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
      if (failure) return fail(failure);
      throw error;
    }
  }

  /** Stops `log stream` and invalidates the Jamf Pro token; called at the end of every run. */
  async close(): Promise<void> {
    await this.progressWatch?.stop();
    await this.client?.close().catch(() => undefined);
  }
}
