import { deadlineState } from '../../failover/deadlines';
import { decideFailover } from '../../failover/decideFailover';
import type { Step } from './step';

/** Failover to the user, a retry, or a fatal end: decided by daemon/failover from the settings. */
export const decideRecovery: Step<'decideRecovery'> = async (session, input) => {
  const { settings, deps } = session;
  return decideFailover({
    failure: input.failure.reason,
    // TestMode changes nothing on the Mac: no failover dialog, no local install.
    types: settings.TestMode ? [] : (settings.AuthMDMFailoverToUser ?? []),
    deadlines: deadlineState(settings, deps.status.view.targetFirstSeen, deps.now()),
    installNow: input.installNow,
    credentialFailover: settings.TestMode ? false : settings.AuthCredentialFailoverToUser,
    failedOver: input.failedOver,
  });
};
