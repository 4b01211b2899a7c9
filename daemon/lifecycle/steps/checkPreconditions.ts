import { checkPreconditions as checkMac } from '../../workflow/preconditions';
import { fail, ok } from '../runSession';
import type { Step } from './step';

/** MDM enrollment and the bootstrap token, each with a named reason when unmet. */
export const checkPreconditions: Step<'checkPreconditions'> = async (session, { host }, signal) => {
  const r = await checkMac(session.deps.run, { macOSVersion: host.macOSVersion, signal });
  return r.ok ? ok(null) : fail(r.failure);
};
