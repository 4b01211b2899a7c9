import { verifyLocalUser } from '../../auth/verifyLocalUser';
import { credentialMarker } from '../../credentials/heartbeat';
import { versionAtLeast } from '../../version';
import { fail, ok } from '../runSession';
import type { Step } from './step';

/**
 * The saved credential still works: a local one is checked with dscl. A Jamf Pro one is not
 * checked by requests of its own (issue 18's request budget): its first request — the server
 * version, or the push itself when the version is remembered — gets its token, and a rejection
 * there fails the run and pauses the credential (RunSession.jamfStep). Its privileges were
 * checked when it was saved, and Jamf Pro's 403 on the push names a missing one
 * (docs/decisions.md "A heartbeat is a token and its invalidation"). A Jamf credential whose
 * heartbeat failed is not tried again (that could lock the account out).
 */
export const validateCredentials: Step<'validateCredentials'> = async (session, { method }, signal) => {
  const { deps } = session;
  if (deps.justValidated?.method === method) {
    session.knowServerVersion(deps.justValidated.serverVersion ?? null);
    return ok(null);
  }
  if (method !== 'jamf-client' && method !== 'jamf-account') {
    // A saved local credential is checked again: passwords change, accounts get disabled.
    const local = await session.localCredential(signal);
    const check = local ? await verifyLocalUser(deps.run, local.name, local.password, signal) : null;
    if (!check?.ok) return fail({ reason: 'credentials-rejected', message: check ? `The saved ${method} credential no longer works: ${check.message}` : 'The saved local credential is incomplete.' });
    return ok(null);
  }
  const saved = await session.savedAuth(signal);
  const credential = saved && 'credential' in saved ? saved.credential : null;
  // The marker needs a keychain read: only when some credential is paused at all.
  const pausedFor = deps.status.view.heartbeatPausedFor;
  if (credential && pausedFor !== null && pausedFor === (await credentialMarker(deps.store, credential))) {
    return fail({ reason: 'credentials-rejected', message: 'The saved Jamf Pro credential failed its heartbeat; superd does not use it again until a new one is saved.' });
  }
  return session.jamfStep(async () => {
    const version = await session.serverVersion(signal);
    if (method === 'jamf-client' && version !== '0' && !versionAtLeast(version, '10.49.0')) {
      return fail({ reason: 'credentials-rejected', message: `API clients need Jamf Pro 10.49 or later; this server runs ${version}. Use a Jamf Pro account (--auth-jamf-account) or upgrade Jamf Pro.` });
    }
    if (method === 'jamf-account' && versionAtLeast(version, '10.49.0')) {
      deps.log.warn(`Jamf Pro ${version} supports API clients: an API client (--auth-jamf-client, --auth-jamf-secret) with only the privileges superd needs is safer than a user account.`);
    }
    return ok(null);
  });
};
