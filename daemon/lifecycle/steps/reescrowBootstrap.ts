import { reescrowBootstrap as reescrow } from '../../failover/bootstrapReescrow';
import { checkJssConnection } from '../../host/jamfBinary';
import { escrowBootstrapToken } from '../../host/profilesBootstrapEscrow';
import { checkBootstrap } from '../../workflow/preconditions';
import { fail, ok } from '../runSession';
import type { Step } from './step';

/** Escrows the bootstrap token again with the user who authenticated, then re-checks it. */
export const reescrowBootstrap: Step<'reescrowBootstrap'> = async (session, _input, signal) => {
  const { run, log } = session.deps;
  const r = await reescrow(
    {
      mdmReachable: () => checkJssConnection(run, signal),
      escrow: (name, password) => escrowBootstrapToken(run, name, password, signal),
      checkBootstrap: () => checkBootstrap(run, session.macOSVersion ?? '0', signal),
    },
    session.user && { ...session.user, volumeOwner: true },
  );
  if (!r.ok) return fail({ reason: 'bootstrap-missing', message: `The bootstrap token could not be escrowed again: ${r.unmet.join('; ')}.` });
  log.info('bootstrap token escrowed again');
  return ok(null);
};
