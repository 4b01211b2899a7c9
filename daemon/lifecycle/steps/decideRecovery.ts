import { deadlineState } from '../../failover/deadlines';
import { decideFailover } from '../../failover/decideFailover';
import type { Step } from './step';

/** Failover to the user, a retry, or a fatal end: decided by daemon/failover from the settings. */
export const decideRecovery: Step<'decideRecovery'> = async (session, input) => {
  const { settings, deps } = session;
  return decideFailover({
    failure: input.failure.reason,
    types: settings.AuthMDMFailoverToUser ?? [],
    deadlines: deadlineState(settings, deps.status.view.targetFirstSeen, deps.now()),
    installNow: input.installNow,
    credentialFailover: settings.AuthCredentialFailoverToUser,
    failedOver: input.failedOver,
  });
};
