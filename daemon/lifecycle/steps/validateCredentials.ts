import { checkJamfCredential, workflowPrivileges } from '../../auth/jamfCredentialCheck';
import { verifyLocalUser } from '../../auth/verifyLocalUser';
import { credentialMarker } from '../../credentials/heartbeat';
import { statusTime } from '../../status/statusFile';
import { fail, ok } from '../runSession';
import type { Step } from './step';

/**
 * The saved credential still works: a local one is checked with dscl, a Jamf Pro one with a
 * token and the privileges the workflow needs. A Jamf credential whose heartbeat failed is not
 * tried again (that could lock the account out); one rejected now is paused the same way.
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
    const checked = await checkJamfCredential(await session.jamf(), method === 'jamf-client' ? 'client' : 'account', (v) => workflowPrivileges(session.settings.MDMWorkflow, v), signal);
    if (!checked.ok && checked.failure.reason === 'credentials-rejected' && credential) {
      // Like a failed heartbeat: no later run or heartbeat tries this credential again.
      deps.status.note({ heartbeat: { status: 'Failed', checkedAt: statusTime(deps.now()) }, heartbeatPausedFor: await credentialMarker(deps.store, credential) });
    }
    if (!checked.ok) return fail(checked.failure);
    session.knowServerVersion(checked.serverVersion);
    for (const w of checked.warnings) deps.log.warn(w);
    return ok(null);
  });
};
