import { createHmac, randomBytes } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { loadSavedAuth } from '../auth/savedAuth';
import { rememberWorkingClient } from '../auth/secondaryClient';
import type { SecretStore } from '../auth/secretStore';
import { JamfAuthError, JamfEndpointUnavailableError, JamfHttpError, JamfPrivilegeError, JamfResponseError, JamfUnreachableError } from '../errors';
import type { JamfCredential } from '../jamf/credentials';
import { credentialSecrets } from '../jamf/credentials';
import { accountStanding, findJamfAccount } from '../jamf/jamfAccounts';
import { normaliseJamfUrl } from '../jamf/baseUrl';
import { DEFAULT_TIMEOUT_MS, JamfClient } from '../jamf/jamfClient';
import { StickySession } from '../jamf/stickySession';
import type { InvalidateOutcome } from '../jamf/tokenRequests';
import { TokenSource } from '../jamf/tokenSource';
import { createTransport } from '../jamf/transport';
import { SUPERD_VERSION } from '../buildInfo';
import { loadJamfBaseUrl } from '../jamf/jssUrl';
import { readStatus, statusTime, updateStatus } from '../status/statusFile';

export type HeartbeatStatus = 'Success' | 'Failed' | 'UnableToConnect' | 'AccountLockedOut' | 'InsufficientPrivileges' | 'UnknownError';

export interface HeartbeatResult {
  readonly status: HeartbeatStatus;
  readonly checkedAt: string;
  readonly message: string;
  readonly missingPrivileges?: readonly string[];
  /** Set when the credential failed before and has not changed: nothing was sent with it. */
  readonly skipped?: 'paused-after-failure';
  /** A rejected Jamf Pro account's record, read with a privileged credential. */
  readonly account?: { readonly accountStatus: string; readonly failedLoginAttempts: number | null };
}

export interface HeartbeatContext {
  readonly root: string;
  readonly store: SecretStore;
  readonly dispatcher: Dispatcher;
  readonly customUrl: string | null;
  /** The update path; unused since the heartbeat no longer checks privileges (issue 18), kept for callers. */
  readonly workflow: 'auto' | 'plans' | 'legacy' | 'ddm';
  readonly now: () => Date;
  readonly registerSecret: (secret: string) => void;
  /**
   * A credential allowed to read Jamf Pro accounts (Read Accounts). Jamf Pro answers a wrong
   * password, a locked-out account and a disabled one with the same 401; with this credential a
   * rejected account's record tells them apart (`AccountLockedOut`).
   */
  readonly privileged?: JamfCredential | null;
}

/** Keychain field of the per-Mac random key behind the pause marker. */
const MARKER_KEY_FIELD = 'heartbeat_key';

/**
 * An opaque name for a credential, to remember "this one failed" in the status plist: an HMAC
 * of the credential under a random per-Mac key kept in the keychain. It changes when the
 * credential changes and reveals nothing about the secret.
 */
export async function credentialMarker(store: SecretStore, credential: JamfCredential): Promise<string> {
  let key = await store.get(MARKER_KEY_FIELD);
  if (key === null) {
    key = randomBytes(32).toString('base64');
    await store.set(MARKER_KEY_FIELD, key);
  }
  const id = credential.kind === 'client' ? `client:${credential.clientId}` : `account:${credential.username}`;
  return createHmac('sha256', key).update(`${id}\n${credentialSecrets(credential)[0]}`).digest('hex').slice(0, 32);
}

/**
 * Validates the saved Jamf Pro credential like a password vault's heartbeat: a token, then the
 * token invalidated — two requests and nothing else (the request budget of issue 18; privileges
 * are checked when the credential is saved, and a push names any privilege Jamf Pro refuses
 * with a 403: docs/decisions.md "A heartbeat is a token and its invalidation"). After
 * `Failed` or `AccountLockedOut` it stops (nothing is sent) until the credential changes, so it
 * never locks the account out. The result goes to the status plist.
 */
export async function runHeartbeat(ctx: HeartbeatContext): Promise<HeartbeatResult> {
  // Whole seconds: the status plist stores dates to the second, and both must agree.
  const checkedAt = statusTime(ctx.now());
  const status = await readStatus(ctx.root);
  const saved = await loadSavedAuth(ctx.store, undefined, status.authMethod);
  if (!saved || !('credential' in saved)) {
    return record(ctx, { status: 'UnknownError', checkedAt, message: 'No Jamf Pro credential is saved; save one with --auth-jamf-client and --auth-jamf-secret.' }, null);
  }
  for (const s of credentialSecrets(saved.credential)) ctx.registerSecret(s);
  const marker = await credentialMarker(ctx.store, saved.credential);
  const paused = status.heartbeatPausedFor === marker;
  const account = saved.credential.kind === 'account' ? saved.credential.username : null;
  const privileged = ctx.privileged ?? null;
  if (privileged) for (const s of credentialSecrets(privileged)) ctx.registerSecret(s);
  if (paused && !(privileged && account !== null)) {
    return { status: (status.heartbeat?.status as HeartbeatStatus) ?? 'Failed', checkedAt: status.heartbeat?.checkedAt ?? checkedAt, message: PAUSED, skipped: 'paused-after-failure' };
  }
  const base = await loadJamfBaseUrl({ customUrl: ctx.customUrl, root: ctx.root }).catch(() => null);
  if (!base) return record(ctx, { status: 'UnknownError', checkedAt, message: 'No Jamf Pro server is configured (AuthJamfCustomURL or jss_url).' }, null);
  if (paused && privileged && account !== null) {
    // Only the account's record is read, with the privileged credential: the saved one is not sent.
    const diagnosed = await diagnoseRejectedAccount(ctx, base.url, privileged, account, checkedAt, PAUSED, true);
    return record(ctx, { ...diagnosed, skipped: 'paused-after-failure' }, marker);
  }
  let result: HeartbeatResult;
  // The client Jamf Pro issued the token to (two API clients, fleet rotation); undefined otherwise.
  let clientInUse: string | undefined;
  try {
    const outcome = await tokenRoundTrip(ctx, base.url, saved.credential, (id) => (clientInUse = id));
    const ended = outcome === 'invalidated' || outcome === 'already-invalid' ? 'and invalidated at once' : `(its invalidation answered ${outcome})`;
    result = { status: 'Success', checkedAt, message: `Jamf Pro issued a token for the saved credential, ${ended}.` };
  } catch (error) {
    result = classify(error, checkedAt, saved.credential.kind);
    if (result.status === 'Failed' && error instanceof JamfAuthError && privileged && account !== null) {
      result = await diagnoseRejectedAccount(ctx, base.url, privileged, account, checkedAt, error.message, false);
    }
  }
  const pause = result.status === 'Failed' || result.status === 'AccountLockedOut' ? marker : null;
  // Two API clients (fleet rotation): the one Jamf Pro accepted is tried first next time, and
  // named in the status plist for the superd-jamf-client extension attribute.
  const inUse = result.status === 'Success' || result.status === 'InsufficientPrivileges' ? clientInUse ?? null : null;
  if (inUse !== null && saved.credential.kind === 'client' && saved.credential.alternate && inUse !== saved.credential.clientId) await rememberWorkingClient(ctx.store, inUse);
  return record(ctx, result, pause, inUse);
}

/**
 * The heartbeat's two requests: a token for the credential (`POST api/oauth/token` or
 * `api/v1/auth/token`) and `POST api/v1/auth/invalidate-token`, through the same transport and
 * token code as every other Jamf Pro call, and no API call between them. A token request that
 * fails throws the typed error `classify` maps. An invalidation that fails after a token was
 * issued does not make the credential bad: its outcome is only reported.
 */
async function tokenRoundTrip(ctx: HeartbeatContext, baseUrl: string, credential: JamfCredential, issuedTo: (clientId: string | undefined) => void): Promise<InvalidateOutcome | 'invalidation-failed'> {
  const send = createTransport({ baseUrl: normaliseJamfUrl(baseUrl, 'Jamf Pro URL'), dispatcher: ctx.dispatcher, timeoutMs: DEFAULT_TIMEOUT_MS, userAgent: `superd/${SUPERD_VERSION}`, session: new StickySession() });
  const tokens = new TokenSource({ credential, send, now: () => ctx.now().getTime(), onSecret: ctx.registerSecret });
  await tokens.token();
  issuedTo(tokens.clientInUse);
  return tokens.invalidate().catch(() => 'invalidation-failed' as const);
}

const PAUSED = 'This credential failed its last heartbeat; superd does not try it again (that could lock the account) until it is saved again.';

/**
 * Reads a rejected account's record with the privileged credential and says which of the three
 * refusals it was: locked out by the password policy (Jamf Pro shows it Disabled, with failed
 * logins), disabled by an administrator, or a wrong password.
 */
async function diagnoseRejectedAccount(ctx: HeartbeatContext, baseUrl: string, privileged: JamfCredential, username: string, checkedAt: string, rejected: string, paused: boolean): Promise<HeartbeatResult> {
  const client = new JamfClient({ baseUrl, credential: privileged, dispatcher: ctx.dispatcher, now: () => ctx.now().getTime(), onSecret: ctx.registerSecret });
  const resave = `superd run --auth-jamf-account=${username} --auth-jamf-password=- (the password on standard input)`;
  try {
    const found = await findJamfAccount(client, username);
    if (!found) return { status: 'Failed', checkedAt, message: `${rejected} Jamf Pro has no account named "${username}": it was deleted or renamed. Save another credential.` };
    const account = { accountStatus: found.accountStatus ?? 'Enabled', failedLoginAttempts: found.failedLoginAttempts ?? null };
    const standing = accountStanding(found);
    if (standing.kind === 'locked-out') {
      return {
        status: 'AccountLockedOut',
        checkedAt,
        account,
        message: `Jamf Pro shows "${username}" as Disabled after ${standing.failedLoginAttempts} failed logins: its password policy has locked the account out. Unlock it in Jamf Pro (Settings › User accounts & groups › ${username} › Edit › Access Status: Enabled), then save the credential again with ${resave}. superd does not try it until then.`,
      };
    }
    if (standing.kind === 'disabled') {
      return { status: 'Failed', checkedAt, account, message: `${rejected} Jamf Pro shows "${username}" as Disabled with no failed logins: an administrator disabled it. Enable it in Jamf Pro (Access Status: Enabled), then save the credential again with ${resave}.` };
    }
    if (standing.kind === 'disabled-or-locked') {
      return { status: 'Failed', checkedAt, account, message: `${rejected} Jamf Pro shows "${username}" as Disabled: locked out by its password policy or disabled by an administrator (this server's Classic API does not count failed logins, so superd cannot say which). Set its Access Status to Enabled in Jamf Pro, then save the credential again with ${resave}.` };
    }
    const count = standing.failedLoginAttempts === null ? '' : ` (${standing.failedLoginAttempts} failed logins since its last success)`;
    if (paused) {
      // Nothing was sent now, so an enabled account says nothing about the saved password.
      return { status: 'Failed', checkedAt, account, message: `${rejected} "${username}" is enabled in Jamf Pro now${count}. If it was locked out and has been unlocked since, save the credential again with ${resave} to resume.` };
    }
    return {
      status: 'Failed',
      checkedAt,
      account,
      message: `${rejected} "${username}" is enabled in Jamf Pro${count}, so the saved password is not the account's password. Save the current one with ${resave}.`,
    };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { status: 'Failed', checkedAt, message: `${rejected} The account's state could not be read with the privileged credential: ${why}` };
  } finally {
    await client.close().catch(() => undefined);
  }
}

export function classify(error: unknown, checkedAt: string, kind: JamfCredential['kind'] = 'account'): HeartbeatResult {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof JamfAuthError) {
    // Jamf Pro gives a wrong password, a locked-out account and a disabled one the same 401.
    const hint = kind === 'account'
      ? ' Jamf Pro answers a wrong password, a locked-out account and a disabled one alike; to tell which, run superd credentials heartbeat --privileged-account=NAME or --privileged-client=ID (a credential with Read Accounts), its secret on standard input.'
      : '';
    return { status: 'Failed', checkedAt, message: `${message}${hint}` };
  }
  if (error instanceof JamfPrivilegeError) return { status: 'InsufficientPrivileges', checkedAt, message, missingPrivileges: error.privileges };
  // Unreachable or failing (jamf/refusal.ts): a connection failure, a 5xx or 429, a garbled 2xx
  // body, a second 401 with a fresh token. Retried at the interval, never a pause.
  if (error instanceof JamfUnreachableError || error instanceof JamfResponseError) return { status: 'UnableToConnect', checkedAt, message };
  if (error instanceof JamfHttpError && !(error instanceof JamfEndpointUnavailableError)) return { status: 'UnableToConnect', checkedAt, message };
  return { status: 'UnknownError', checkedAt, message };
}

async function record(ctx: HeartbeatContext, result: HeartbeatResult, pause: string | null, clientInUse: string | null = null): Promise<HeartbeatResult> {
  await updateStatus(ctx.root, { heartbeat: { status: result.status, checkedAt: result.checkedAt }, heartbeatPausedFor: pause, ...(clientInUse !== null && { jamfClientInUse: clientInUse }) }, ctx.now());
  return result;
}

export { nextHeartbeatDue } from '../schedule/heartbeatDue';
