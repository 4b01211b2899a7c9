import { findUpdateTarget } from '../../workflow/updateTarget';
import { ok } from '../runSession';
import type { Step } from './step';

/** The update to install, if any; remembers when this target was first seen (for DeadlineDays*). */
export const findTarget: Step<'findTarget'> = async (session, { host }, signal) => {
  const { settings } = session;
  const target = await findUpdateTarget(session.deps.run, {
    installedVersion: host.macOSVersion,
    majorUpgrades: settings.InstallMacOSMajorUpgrades ?? false,
    majorTarget: settings.InstallMacOSMajorVersionTarget ?? null,
    minorTarget: settings.InstallMacOSMinorVersionTarget ?? null,
  }, signal, session.deps.commandWait ? { sleep: session.deps.commandWait } : {});
  const status = session.deps.status;
  if (target && status.view.targetFirstSeen?.version !== target.version) {
    status.note({ targetFirstSeen: { version: target.version, at: session.deps.now().toISOString() } });
  }
  return ok(target);
};
