import { findUpdateTarget } from '../../workflow/updateTarget';
import type { UpdateTarget } from '../../workflow/contracts';
import { ok, type RunSession } from '../runSession';
import type { Step } from './step';

/** The update to install, if any; remembers when this target was first seen (for DeadlineDays*). */
export const findTarget: Step<'findTarget'> = async (session, { host }, signal) => ok(await lookForTarget(session, host.macOSVersion, signal));

/**
 * softwareupdate's (and mdmclient's) offer for a Mac on `installedVersion`, chosen by the
 * settings; also what a resumed push re-reads before it creates anything.
 */
export async function lookForTarget(session: RunSession, installedVersion: string, signal: AbortSignal): Promise<UpdateTarget | null> {
  const { settings } = session;
  const target = await findUpdateTarget(session.deps.run, {
    installedVersion,
    majorUpgrades: settings.InstallMacOSMajorUpgrades ?? false,
    majorTarget: settings.InstallMacOSMajorVersionTarget ?? null,
    minorTarget: settings.InstallMacOSMinorVersionTarget ?? null,
  }, signal, session.deps.commandWait ? { sleep: session.deps.commandWait } : {});
  session.targetLookedUp = true;
  const status = session.deps.status;
  if (target && status.view.targetFirstSeen?.version !== target.version) {
    status.note({ targetFirstSeen: { version: target.version, at: session.deps.now().toISOString() } });
  }
  return target;
}
