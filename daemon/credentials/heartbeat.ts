import { createHmac, randomBytes } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { grantedPrivileges, workflowPrivileges } from '../auth/jamfCredentialCheck';
import { loadSavedAuth } from '../auth/savedAuth';
import { rememberWorkingClient } from '../auth/secondaryClient';
import type { SecretStore } from '../auth/secretStore';
import { JamfAuthError, JamfPrivilegeError, JamfUnreachableError } from '../errors';
import type { JamfCredential } from '../jamf/credentials';
import { credentialSecrets } from '../jamf/credentials';
import { accountStanding, findJamfAccount } from '../jamf/jamfAccounts';
import { JamfClient } from '../jamf/jamfClient';
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
 * Validates the saved Jamf Pro credential like a password vault's heartbeat: a token,
 * `GET /api/v1/auth` with the privileges the workflow needs, then the token invalidated. After
 * `Failed` or `AccountLockedOut` it stops (nothing is sent) until the credential changes, so it
 * never locks the account out. The result goes to the status plist.
 */
export async function runHeartbeat(ctx: HeartbeatContext): Promise<HeartbeatResult> {
  // Whole seconds: the status plist stores dates to the second, and both must agree.
  const checkedAt = statusTime(ctx.now());
  const saved = await loadSavedAuth(ctx.store);
  if (!saved || !('credential' in saved)) {
    return record(ctx, { status: 'UnknownError', checkedAt, message: 'No Jamf Pro credential is saved; save one with --auth-jamf-client and --auth-jamf-secret.' }, null);
  }
  for (const s of credentialSecrets(saved.credential)) ctx.registerSecret(s);
  const marker = await credentialMarker(ctx.store, saved.credential);
  const status = await readStatus(ctx.root);
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
  const client = new JamfClient({ baseUrl: base.url, credential: saved.credential, dispatcher: ctx.dispatcher, now: () => ctx.now().getTime(), onSecret: ctx.registerSecret });
  let result: HeartbeatResult;
  try {
    const version = await client.getVersion();
    const auth = await client.whoAmI();
    const granted = grantedPrivileges(auth);
    const missing = granted === null || granted === 'all' ? [] : workflowPrivileges(ctx.workflow, version).filter((p) => !granted.has(p));
    result = missing.length > 0
      ? { status: 'InsufficientPrivileges', checkedAt, message: `The credential works but lacks: ${missing.map((m) => `"${m}"`).join(', ')}.`, missingPrivileges: missing }
      : { status: 'Success', checkedAt, message: `Jamf Pro ${version} accepted the saved credential.` };
  } catch (error) {
    result = classify(error, checkedAt, saved.credential.kind);
    if (result.status === 'Failed' && error instanceof JamfAuthError && privileged && account !== null) {
      result = await diagnoseRejectedAccount(ctx, base.url, privileged, account, checkedAt, error.message, false);
    }
  } finally {
    await client.close().catch(() => undefined);
  }
  const pause = result.status === 'Failed' || result.status === 'AccountLockedOut' ? marker : null;
  // Two API clients (fleet rotation): the one Jamf Pro accepted is tried first next time, and
  // named in the status plist for the superd-jamf-client extension attribute.
  const inUse = result.status === 'Success' || result.status === 'InsufficientPrivileges' ? client.clientInUse ?? null : null;
  if (inUse !== null && saved.credential.kind === 'client' && saved.credential.alternate && inUse !== saved.credential.clientId) await rememberWorkingClient(ctx.store, inUse);
  return record(ctx, result, pause, inUse);
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
  if (error instanceof JamfUnreachableError) return { status: 'UnableToConnect', checkedAt, message };
  return { status: 'UnknownError', checkedAt, message };
}

async function record(ctx: HeartbeatContext, result: HeartbeatResult, pause: string | null, clientInUse: string | null = null): Promise<HeartbeatResult> {
  await updateStatus(ctx.root, { heartbeat: { status: result.status, checkedAt: result.checkedAt }, heartbeatPausedFor: pause, ...(clientInUse !== null && { jamfClientInUse: clientInUse }) }, ctx.now());
  return result;
}

export { nextHeartbeatDue } from '../schedule/heartbeatDue';
