import { installWithPassword } from '../../host/softwareupdateInstall';
import { fail, ok } from '../runSession';
import type { Step } from './step';

/** `softwareupdate --stdinpass` with the saved local credential, or the user's after a failover. */
export const installLocally: Step<'installLocally'> = async (session, { target, method }, signal) => {
  const { deps } = session;
  const credential = method === 'user' && session.user ? { name: session.user.name, password: session.user.password } : await session.localCredential(signal);
  if (!credential) return fail({ reason: 'local-auth-failed', message: 'No local credential is available to install the update.' });
  if (!target.label) return fail({ reason: 'local-install-failed', message: `softwareupdate does not list macOS ${target.version} on this Mac, so it cannot be installed locally.` });
  deps.log.info('installing with a local credential', { account: credential.name, label: target.label });
  const r = await installWithPassword(deps.run, { label: target.label, user: credential.name, password: credential.password, timeoutMs: session.settings.MDMTimeoutTotal * 60_000 }, signal);
  deps.log.info('softwareupdate finished', { ok: r.ok, downloaded: r.lastProgress });
  if (r.ok) return ok(null);
  return fail(r.authFailed
    ? { reason: 'local-auth-failed', message: `softwareupdate: Failed to authenticate as ${credential.name}. Save the account's current password again.` }
    : { reason: 'local-install-failed', message: `softwareupdate could not install ${target.label}: ${r.message}` });
};
