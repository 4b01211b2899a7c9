import { resolveComputer as findComputer } from '../../workflow/resolveComputer';
import { fail, ok } from '../runSession';
import type { Step } from './step';

/**
 * This Mac's Jamf Pro computer id: the one a previous run found for this hardware UUID (no
 * request; forgotten when Jamf Pro says it is gone, pushUpdate.ts), else the profile's, else the
 * saved one, else a lookup by UDID.
 */
export const resolveComputer: Step<'resolveComputer'> = (session, { host }, signal) =>
  session.jamfStep(async () => {
    session.hardwareUUID = host.hardwareUUID;
    const configured = session.settings.AuthJamfComputerID ?? null;
    const remembered = session.rememberedComputer(host.hardwareUUID);
    if (remembered && (configured === null || configured === remembered.id)) return ok({ id: remembered.id, managementId: remembered.managementId, declarativeManagement: remembered.declarativeManagement, source: 'saved' as const });
    const found = await findComputer(await session.jamf(), {
      configuredId: session.settings.AuthJamfComputerID ?? null,
      savedId: session.deps.status.view.computerId,
      hardwareUUID: host.hardwareUUID,
      serverVersion: await session.serverVersion(signal),
      signal,
    });
    if (!found) return fail({ reason: 'computer-not-found', message: `Jamf Pro has no computer with this Mac's hardware UUID (${host.hardwareUUID}). Check the Mac is enrolled, or set AuthJamfComputerID to $JSSID in a Jamf Pro profile.` });
    for (const w of found.warnings) session.deps.log.warn(w);
    session.rememberComputer({ id: found.id, managementId: found.managementId, udid: host.hardwareUUID, declarativeManagement: found.declarativeManagement ?? null });
    return ok({ id: found.id, managementId: found.managementId, declarativeManagement: found.declarativeManagement ?? null, source: found.source });
  });
