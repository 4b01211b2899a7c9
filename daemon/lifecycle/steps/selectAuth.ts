import { saveAuth } from '../../auth/savedAuth';
import { fail, ok } from '../runSession';
import { askConsoleUser } from './consoleUser';
import type { Step } from './step';

/** The saved method; with AuthAskUserToSavePassword, the user's own password first (seed). */
export const selectAuth: Step<'selectAuth'> = async (session, _input, signal) => {
  const found = await session.savedAuth(signal);
  // TestMode changes no credential, so it does not ask the user for one either.
  if (session.settings.AuthAskUserToSavePassword && !session.settings.TestMode && found?.method !== 'user') {
    const r = await askConsoleUser(session, 'superd can install macOS updates for you with your password, saved in the System keychain.', signal);
    if (!r.ok) return fail(r.failure);
    await saveAuth(session.deps.store, 'user', r.user.name, r.password, signal);
    session.useSaved({ method: 'user', account: r.user.name, password: r.password });
    session.deps.log.info("the user's password was saved", { account: r.user.name });
    return ok('user');
  }
  if (!found) return fail({ reason: 'no-credentials', message: 'No authentication method is saved. Save one, e.g. `superd run --auth-jamf-client=ID --auth-jamf-secret=-` with the secret on standard input.' });
  return ok(found.method);
};
