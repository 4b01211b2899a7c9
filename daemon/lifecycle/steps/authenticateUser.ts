import { fail, ok } from '../runSession';
import { askConsoleUser } from './consoleUser';
import type { Step } from './step';

/** The failover: the logged-in user's password, asked for once and checked. */
export const authenticateUser: Step<'authenticateUser'> = async (session, { reason }, signal) => {
  const r = await askConsoleUser(session, `superd could not install the macOS update through Jamf Pro (${reason}).`, signal);
  if (!r.ok) return fail(r.failure);
  session.user = { name: r.user.name, admin: r.user.admin, password: r.password };
  session.deps.log.info('the logged-in user authenticated', { account: r.user.name, admin: r.user.admin });
  return ok({ account: r.user.name });
};
