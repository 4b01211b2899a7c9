/**
 * The production actors of the lifecycle machine: each step of a run, done by the module that
 * owns it. The run's secrets (the saved credential, a user's password) live in this closure
 * only; the machine and its persisted snapshot never see them.
 */
import type { Dispatcher } from 'undici';
import type { Settings } from '../config/schema';
import { jamfFailure, checkJamfCredential, workflowPrivileges } from '../auth/jamfCredentialCheck';
import { loadSavedAuth, saveAuth, type SavedAuth } from '../auth/savedAuth';
import type { SecretStore } from '../auth/secretStore';
import { checkHost } from '../host/checkHost';
import { jamfBinaryVersion } from '../host/jamfBinary';
import type { RunCommand } from '../host/runCommand';
import { JamfClient } from '../jamf/jamfClient';
import { loadJamfBaseUrl } from '../jamf/jssUrl';
import { readFeatureToggle } from '../jamf/softwareUpdatePlans';
import { credentialSecrets } from '../jamf/credentials';
import { scheduleRetry } from '../schedule/deferral';
import { readStatus, statusTime, updateStatus, type AuthMethod } from '../status/statusFile';
import { chooseWorkflow } from '../workflow/chooseWorkflow';
import type { MacProgressWatch, StartMacProgressWatch } from '../workflow/contracts';
import type { WorkflowFailure } from '../workflow/failureReason';
import { checkPreconditions } from '../workflow/preconditions';
import { pushUpdate } from '../workflow/pushUpdate';
import { resolveComputer } from '../workflow/resolveComputer';
import { findUpdateTarget } from '../workflow/updateTarget';
import { verifyUpdate } from '../workflow/verifyUpdate';
import { versionAtLeast } from '../version';
import { ConfigError, InternalError } from '../errors';
import { verifyLocalUser } from '../auth/verifyLocalUser';
import { decideFailover } from '../failover/decideFailover';
import { deadlineState } from '../failover/deadlines';
import { authenticateConsoleUser } from '../failover/userAuthentication';
import { reescrowBootstrap } from '../failover/bootstrapReescrow';
import { credentialMarker } from '../credentials/heartbeat';
import { checkJssConnection } from '../host/jamfBinary';
import { escrowBootstrapToken } from '../host/profilesBootstrapEscrow';
import { consoleUser } from '../host/scutil';
import { installWithPassword } from '../host/softwareupdateInstall';
import { askForPassword } from '../host/userDialog';
import { checkBootstrap } from '../workflow/preconditions';
import type { RunActors } from './runWorkflow';
import type { HostSummary, StepResult } from './runTypes';

export interface RunActorDeps {
  readonly root: string;
  readonly run: RunCommand;
  readonly settings: Settings;
  readonly configHash: string;
  readonly store: SecretStore;
  readonly dispatcher: Dispatcher;
  readonly startWatch: StartMacProgressWatch;
  readonly now: () => Date;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Every secret the run comes to hold is registered here first, so no log can show it. */
  readonly registerSecret: (secret: string) => void;
  readonly log: { info(m: string, f?: Record<string, unknown>): void; warn(m: string, f?: Record<string, unknown>): void };
  /** A credential this same invocation just validated and saved: not checked a second time. */
  readonly justValidated?: { readonly method: AuthMethod; readonly serverVersion?: string } | null;
}

export interface RunSession {
  readonly actors: RunActors;
  /** Stops `log stream` and invalidates the Jamf Pro token; called at the end of every run. */
  close(): Promise<void>;
}

const ok = <T>(value: T): StepResult<T> => ({ ok: true, value });
const fail = (failure: WorkflowFailure): StepResult<never> => ({ ok: false, failure });

export function createRunSession(deps: RunActorDeps): RunSession {
  const { run, settings, root } = deps;
  let saved: SavedAuth | null = null;
  let client: JamfClient | null = null;
  let serverVersion: string | null = null;
  let watch: MacProgressWatch | null = null;
  /** The logged-in user who authenticated after a failover, for the local install and re-escrow. */
  let user: { name: string; admin: boolean; password: string } | null = null;
  let macOSVersion: string | null = null;

  /** Reads the saved method once; a resumed run reaches later steps without selectAuth. */
  const loadSaved = async (signal?: AbortSignal): Promise<SavedAuth | null> => {
    if (saved) return saved;
    saved = await loadSavedAuth(deps.store, signal);
    if (saved) for (const secret of 'credential' in saved ? credentialSecrets(saved.credential) : [saved.password]) deps.registerSecret(secret);
    return saved;
  };

  const jamf = async (): Promise<JamfClient> => {
    if (client) return client;
    await loadSaved();
    if (!saved || !('credential' in saved)) throw new InternalError('a Jamf Pro step ran without a saved Jamf Pro credential');
    const base = await loadJamfBaseUrl({ customUrl: settings.AuthJamfCustomURL ?? null, root });
    client = new JamfClient({
      baseUrl: base.url,
      credential: saved.credential,
      dispatcher: deps.dispatcher,
      now: () => deps.now().getTime(),
      onSecret: deps.registerSecret,
      // Retry-After waits use the run's clock, like every other wait of the run.
      sleep: (ms, signal) => deps.sleep(ms, signal ?? new AbortController().signal),
      onRequest: (e) => deps.log.info('jamf request', { ...e }),
    });
    return client;
  };

  const version = async (signal?: AbortSignal): Promise<string> => {
    serverVersion ??= await (await jamf()).getVersion(signal).catch(async () => (await jamfBinaryVersion(run, signal)) ?? '0');
    return serverVersion;
  };

  /** The console user's password through the dialog, checked before use and registered as a secret. */
  const askConsoleUser = (reason: string, signal: AbortSignal) =>
    authenticateConsoleUser(
      {
        consoleUser: () => consoleUser(run, signal),
        ask: async (i) => {
          const answer = await askForPassword(run, i, signal);
          // Registered before anything else happens, so no log line can ever show it.
          if (answer.kind === 'ok') deps.registerSecret(answer.text);
          return answer;
        },
        verify: (name, password) => verifyLocalUser(run, name, password, signal),
      },
      { timeoutSeconds: settings.DialogTimeoutUserAuth, reason },
    );

  /** A saved local, service or user credential (the local install path). */
  const localCredential = async (signal?: AbortSignal): Promise<{ name: string; password: string } | null> => {
    const found = await loadSaved(signal);
    return found && 'password' in found ? { name: found.account, password: found.password } : null;
  };

  /** Runs a Jamf Pro step; a typed Jamf error becomes a named failure instead of a crash. */
  const jamfStep = async <T>(fn: () => Promise<StepResult<T>>): Promise<StepResult<T>> => {
    try {
      return await fn();
    } catch (error) {
      // No Jamf Pro server configured (no AuthJamfCustomURL, no jss_url): the admin must fix it.
      if (error instanceof ConfigError) return fail({ reason: 'jamf-server-missing', message: error.message });
      const failure = jamfFailure(error);
      if (failure) return fail(failure);
      throw error;
    }
  };

  const actors: RunActors = {
    async checkHost(signal) {
      const host = await checkHost(run, signal);
      macOSVersion = host.macOS.productVersion;
      if (!host.appleSilicon) return fail({ reason: 'not-apple-silicon', message: 'This Mac is not Apple silicon: superd enforces updates on Apple silicon Macs only (Intel Macs need no MDM or credential to install).' });
      return ok({ macOSVersion: host.macOS.productVersion, appleSilicon: true, hardwareUUID: host.identity.hardwareUUID });
    },

    async findTarget({ host }, signal) {
      const target = await findUpdateTarget(run, {
        installedVersion: host.macOSVersion,
        majorUpgrades: settings.InstallMacOSMajorUpgrades ?? false,
        majorTarget: settings.InstallMacOSMajorVersionTarget ?? null,
        minorTarget: settings.InstallMacOSMinorVersionTarget ?? null,
      }, signal);
      if (target) {
        const status = await readStatus(root);
        if (status.targetFirstSeen?.version !== target.version) await updateStatus(root, { targetFirstSeen: { version: target.version, at: deps.now().toISOString() } }, deps.now());
      }
      return ok(target);
    },

    async selectAuth(signal) {
      const found = await loadSaved(signal);
      // AuthAskUserToSavePassword: the user's own password outranks every other method (seed).
      if (settings.AuthAskUserToSavePassword && found?.method !== 'user') {
        const r = await askConsoleUser('superd can install macOS updates for you with your password, saved in the System keychain.', signal);
        if (!r.ok) return fail(r.failure);
        await saveAuth(deps.store, 'user', r.user.name, r.password, signal);
        saved = { method: 'user', account: r.user.name, password: r.password };
        deps.log.info("the user's password was saved", { account: r.user.name });
        return ok('user');
      }
      if (!found) return fail({ reason: 'no-credentials', message: 'No authentication method is saved. Save one, e.g. `superd run --auth-jamf-client=ID --auth-jamf-secret=-` with the secret on standard input.' });
      return ok(found.method);
    },

    async validateCredentials({ method }, signal) {
      if (deps.justValidated?.method === method) {
        serverVersion = deps.justValidated.serverVersion ?? null;
        return ok(null);
      }
      if (method !== 'jamf-client' && method !== 'jamf-account') {
        // A saved local credential is checked again: passwords change, accounts get disabled.
        const local = await localCredential(signal);
        const check = local ? await verifyLocalUser(run, local.name, local.password, signal) : null;
        if (!check?.ok) return fail({ reason: 'credentials-rejected', message: check ? `The saved ${method} credential no longer works: ${check.message}` : 'The saved local credential is incomplete.' });
        return ok(null);
      }
      // A credential whose heartbeat failed is not tried again: that could lock the account.
      if (saved && 'credential' in saved && (await readStatus(root)).heartbeatPausedFor === (await credentialMarker(deps.store, saved.credential))) {
        return fail({ reason: 'credentials-rejected', message: 'The saved Jamf Pro credential failed its heartbeat; superd does not use it again until a new one is saved.' });
      }
      return jamfStep(async () => {
        const checked = await checkJamfCredential(await jamf(), method === 'jamf-client' ? 'client' : 'account', (v) => workflowPrivileges(settings.MDMWorkflow, v), signal);
        if (!checked.ok && checked.failure.reason === 'credentials-rejected' && saved && 'credential' in saved) {
          // Like a failed heartbeat: no later run or heartbeat tries this credential again.
          const checkedAt = statusTime(deps.now());
          await updateStatus(root, { heartbeat: { status: 'Failed', checkedAt }, heartbeatPausedFor: await credentialMarker(deps.store, saved.credential) }, deps.now());
        }
        if (!checked.ok) return fail(checked.failure);
        serverVersion = checked.serverVersion;
        for (const w of checked.warnings) deps.log.warn(w);
        return ok(null);
      });
    },

    resolveComputer: ({ host }, signal) =>
      jamfStep(async () => {
        const status = await readStatus(root);
        const found = await resolveComputer(await jamf(), {
          configuredId: settings.AuthJamfComputerID ?? null,
          savedId: status.computerId,
          hardwareUUID: host.hardwareUUID,
          serverVersion: await version(signal),
          signal,
        });
        if (!found) return fail({ reason: 'computer-not-found', message: `Jamf Pro has no computer with this Mac's hardware UUID (${host.hardwareUUID}). Check the Mac is enrolled, or set AuthJamfComputerID to $JSSID in a Jamf Pro profile.` });
        for (const w of found.warnings) deps.log.warn(w);
        return ok({ id: found.id, managementId: found.managementId, source: found.source });
      }),

    async checkPreconditions({ host }: { host: HostSummary }, signal) {
      const r = await checkPreconditions(run, { macOSVersion: host.macOSVersion, signal });
      return r.ok ? ok(null) : fail(r.failure);
    },

    chooseWorkflow: ({ host }, signal) =>
      jamfStep(async () => {
        const c = await jamf();
        const v = await version(signal);
        const toggle = versionAtLeast(v, '10.48.0') ? await readFeatureToggle(c, signal).then((t) => t.toggle, () => null) : null;
        const choice = chooseWorkflow({ setting: settings.MDMWorkflow, jamfVersion: v, featureToggleOn: toggle, macOSVersion: host.macOSVersion });
        return 'failure' in choice ? fail(choice.failure) : ok(choice.workflow);
      }),

    pushUpdate: (input, signal) =>
      jamfStep(async () => {
        // Subscribe to the Mac's log before anything is sent, so no acknowledgement is missed.
        watch ??= await deps.startWatch(signal);
        const status = await readStatus(root);
        const pushed = await pushUpdate(await jamf(), {
          workflow: input.workflow,
          computer: input.computer,
          target: input.target,
          installNow: input.installNow,
          existingPlanId: input.planId ?? status.planId,
          serverVersion: await version(signal),
          now: deps.now,
          onPlanCreated: async (planId) => {
            await updateStatus(root, { planId }, deps.now());
          },
          signal,
        });
        if (pushed.followedExisting) deps.log.info('following the plan that is already running for this Mac', { planId: pushed.planId });
        return ok(pushed);
      }),

    verifyUpdate: (input, signal) =>
      jamfStep(async () => {
        watch ??= await deps.startWatch(signal);
        const r = await verifyUpdate(
          { client: await jamf(), watch, sleep: deps.sleep, now: deps.now },
          { planId: input.planId, timeouts: { noProgressMs: settings.MDMTimeoutNoProgress * 60_000, totalMs: settings.MDMTimeoutTotal * 60_000 }, signal },
        );
        return r.ok ? ok(r.evidence) : fail(r.failure);
      }),

    async installLocally({ target, method }, signal) {
      const credential = method === 'user' && user ? { name: user.name, password: user.password } : await localCredential(signal);
      if (!credential) return fail({ reason: 'local-auth-failed', message: 'No local credential is available to install the update.' });
      if (!target.label) return fail({ reason: 'local-install-failed', message: `softwareupdate does not list macOS ${target.version} on this Mac, so it cannot be installed locally.` });
      deps.log.info('installing with a local credential', { account: credential.name, label: target.label });
      const r = await installWithPassword(run, { label: target.label, user: credential.name, password: credential.password, timeoutMs: settings.MDMTimeoutTotal * 60_000 }, signal);
      deps.log.info('softwareupdate finished', { ok: r.ok, downloaded: r.lastProgress });
      if (r.ok) return ok(null);
      return fail(r.authFailed
        ? { reason: 'local-auth-failed', message: `softwareupdate: Failed to authenticate as ${credential.name}. Save the account's current password again.` }
        : { reason: 'local-install-failed', message: `softwareupdate could not install ${target.label}: ${r.message}` });
    },

    async decideRecovery(input) {
      const status = await readStatus(root);
      return decideFailover({
        failure: input.failure.reason,
        types: settings.AuthMDMFailoverToUser ?? [],
        deadlines: deadlineState(settings, status.targetFirstSeen, deps.now()),
        installNow: input.installNow,
        credentialFailover: settings.AuthCredentialFailoverToUser,
        failedOver: input.failedOver,
      });
    },

    async authenticateUser({ reason }, signal) {
      const r = await askConsoleUser(`superd could not install the macOS update through Jamf Pro (${reason}).`, signal);
      if (!r.ok) return fail(r.failure);
      user = { name: r.user.name, admin: r.user.admin, password: r.password };
      deps.log.info('the logged-in user authenticated', { account: r.user.name, admin: r.user.admin });
      return ok({ account: r.user.name });
    },

    async reescrowBootstrap(signal) {
      const r = await reescrowBootstrap(
        {
          mdmReachable: () => checkJssConnection(run, signal),
          escrow: (name, password) => escrowBootstrapToken(run, name, password, signal),
          checkBootstrap: () => checkBootstrap(run, macOSVersion ?? '0', signal),
        },
        user && { ...user, volumeOwner: true },
      );
      if (!r.ok) return fail({ reason: 'bootstrap-missing', message: `The bootstrap token could not be escrowed again: ${r.unmet.join('; ')}.` });
      deps.log.info('bootstrap token escrowed again');
      return ok(null);
    },

    async scheduleRetry({ failure }) {
      const status = await readStatus(root);
      const next = scheduleRetry({
        now: deps.now(),
        failureCode: failure.reason,
        configHash: deps.configHash,
        previous: status.errorStreak,
        deferralErrorMinutes: settings.DeferralTimerError ?? settings.DeferralTimerDefault,
      });
      await updateStatus(root, { errorStreak: next.streak }, deps.now());
      return next.nextAttempt.toISOString();
    },
  };

  return {
    actors,
    async close() {
      await watch?.stop();
      await client?.close().catch(() => undefined);
    },
  };
}
