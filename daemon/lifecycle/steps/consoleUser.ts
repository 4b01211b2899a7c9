import { verifyLocalUser } from '../../auth/verifyLocalUser';
import { authenticateConsoleUser } from '../../failover/userAuthentication';
import { consoleUser } from '../../host/scutil';
import { askForPassword } from '../../host/userDialog';
import type { RunSession } from '../runSession';

/** The console user's password through the dialog, checked before use and registered as a secret. */
export function askConsoleUser(session: RunSession, reason: string, signal: AbortSignal) {
  const { run, registerSecret } = session.deps;
  return authenticateConsoleUser(
    {
      consoleUser: () => consoleUser(run, signal),
      ask: async (i) => {
        const answer = await askForPassword(run, i, signal);
        // Registered before anything else happens, so no log line can ever show it.
        if (answer.kind === 'ok') registerSecret(answer.text);
        return answer;
      },
      verify: (name, password) => verifyLocalUser(run, name, password, signal),
    },
    { timeoutSeconds: session.settings.DialogTimeoutUserAuth, reason },
  );
}
