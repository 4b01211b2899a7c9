import { createHmac, randomBytes } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { grantedPrivileges, workflowPrivileges } from '../auth/jamfCredentialCheck';
import { loadSavedAuth } from '../auth/savedAuth';
import type { SecretStore } from '../auth/secretStore';
import { JamfAuthError, JamfPrivilegeError, JamfUnreachableError } from '../errors';
import type { JamfCredential } from '../jamf/credentials';
import { credentialSecrets } from '../jamf/credentials';
import { JamfClient } from '../jamf/jamfClient';
import { loadJamfBaseUrl } from '../jamf/jssUrl';
import { readStatus, updateStatus } from '../status/statusFile';

export type HeartbeatStatus = 'Success' | 'Failed' | 'UnableToConnect' | 'AccountLockedOut' | 'InsufficientPrivileges' | 'UnknownError';

export interface HeartbeatResult {
  readonly status: HeartbeatStatus;
  readonly checkedAt: string;
  readonly message: string;
  readonly missingPrivileges?: readonly string[];
  /** Set when the credential failed before and has not changed: nothing was sent. */
  readonly skipped?: 'paused-after-failure';
}

export interface HeartbeatContext {
  readonly root: string;
  readonly store: SecretStore;
  readonly dispatcher: Dispatcher;
  readonly customUrl: string | null;
  readonly workflow: 'auto' | 'plans' | 'legacy' | 'ddm';
  readonly now: () => Date;
  readonly registerSecret: (secret: string) => void;
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
  const checkedAt = new Date(Math.floor(ctx.now().getTime() / 1000) * 1000).toISOString();
  const saved = await loadSavedAuth(ctx.store);
  if (!saved || !('credential' in saved)) {
    return record(ctx, { status: 'UnknownError', checkedAt, message: 'No Jamf Pro credential is saved; save one with --auth-jamf-client and --auth-jamf-secret.' }, null);
  }
  for (const s of credentialSecrets(saved.credential)) ctx.registerSecret(s);
  const marker = await credentialMarker(ctx.store, saved.credential);
  const status = await readStatus(ctx.root);
  if (status.heartbeatPausedFor === marker) {
    return { status: (status.heartbeat?.status as HeartbeatStatus) ?? 'Failed', checkedAt: status.heartbeat?.checkedAt ?? checkedAt, message: 'This credential failed its last heartbeat; superd does not try it again (that could lock the account) until a new one is saved.', skipped: 'paused-after-failure' };
  }
  const base = await loadJamfBaseUrl({ customUrl: ctx.customUrl, root: ctx.root }).catch(() => null);
  if (!base) return record(ctx, { status: 'UnknownError', checkedAt, message: 'No Jamf Pro server is configured (AuthJamfCustomURL or jss_url).' }, null);
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
    result = classify(error, checkedAt);
  } finally {
    await client.close().catch(() => undefined);
  }
  const pause = result.status === 'Failed' || result.status === 'AccountLockedOut' ? marker : null;
  return record(ctx, result, pause);
}

export function classify(error: unknown, checkedAt: string): HeartbeatResult {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof JamfAuthError) {
    // Jamf Pro answers a locked account with the same 401 as a wrong password; only a reply that
    // names the lockout is reported as such.
    return { status: /locked out|account is locked|ACCOUNT_LOCKED/i.test(message) ? 'AccountLockedOut' : 'Failed', checkedAt, message: `${message} (A locked-out account is refused the same way.)` };
  }
  if (error instanceof JamfPrivilegeError) return { status: 'InsufficientPrivileges', checkedAt, message, missingPrivileges: error.privileges };
  if (error instanceof JamfUnreachableError) return { status: 'UnableToConnect', checkedAt, message };
  return { status: 'UnknownError', checkedAt, message };
}

async function record(ctx: HeartbeatContext, result: HeartbeatResult, pause: string | null): Promise<HeartbeatResult> {
  await updateStatus(ctx.root, { heartbeat: { status: result.status, checkedAt: result.checkedAt }, heartbeatPausedFor: pause }, ctx.now());
  return result;
}

/** Exit status of `superd credentials heartbeat`: 0 Success, 77 rejected, 75 unreachable, 70 otherwise. */
export function heartbeatExitStatus(status: HeartbeatStatus): number {
  if (status === 'Success') return 0;
  if (status === 'UnableToConnect') return 75;
  if (status === 'UnknownError') return 70;
  return 77;
}

export { nextHeartbeatDue } from '../schedule/heartbeatDue';
