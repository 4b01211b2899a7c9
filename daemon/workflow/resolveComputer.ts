import { ConfigError } from '../errors';
import { findComputerByUdid, readComputer } from '../jamf/computerInventory';
import type { JamfClient } from '../jamf/jamfClient';
import type { ComputerIdentity } from './contracts';

export interface ResolveComputerInput {
  /** AuthJamfComputerID from the profile or options (may be an unresolved `$JSSID`). */
  readonly configuredId: string | null;
  /** The id a previous run found. */
  readonly savedId: string | null;
  readonly hardwareUUID: string;
  readonly serverVersion: string | null;
  /** `jamf recon`, the last resort: it sends a whole inventory. */
  readonly recon?: () => Promise<string | null>;
  readonly signal?: AbortSignal;
}

export interface ResolvedComputer extends ComputerIdentity {
  readonly warnings: readonly string[];
}

/**
 * This Mac's Jamf Pro computer id and management id. Order: the configured id, the saved id
 * (kept only if its inventory UDID is this Mac's), a lookup by hardware UUID, and only then
 * `jamf recon`. Returns null when none finds it.
 */
export async function resolveComputer(client: JamfClient, input: ResolveComputerInput): Promise<ResolvedComputer | null> {
  const warnings: string[] = [];
  if (input.configuredId !== null && /^\$/.test(input.configuredId)) {
    throw new ConfigError([{ subject: 'AuthJamfComputerID', message: `is the literal ${input.configuredId}: the profile was not deployed by Jamf Pro, which replaces $JSSID with the computer id. Deploy it from Jamf Pro or remove the key.` }], 'configuration');
  }
  const candidates: Array<[ComputerIdentity['source'], string]> = [];
  if (input.configuredId !== null) candidates.push(['profile', input.configuredId]);
  if (input.savedId !== null && input.savedId !== input.configuredId) candidates.push(['saved', input.savedId]);
  for (const [source, id] of candidates) {
    const computer = await readComputer(client, id, input.serverVersion, input.signal);
    if (computer && computer.udid.toUpperCase() === input.hardwareUUID.toUpperCase()) {
      return { id: computer.id, managementId: computer.managementId, declarativeManagement: computer.declarativeManagement, source, warnings };
    }
    warnings.push(computer
      ? `Jamf Pro computer ${id} (${source}) belongs to another Mac (UDID ${computer.udid}); looking this Mac up by its hardware UUID.`
      : `Jamf Pro has no computer ${id} (${source}); looking this Mac up by its hardware UUID.`);
  }
  const found = await findComputerByUdid(client, input.hardwareUUID, input.serverVersion, input.signal);
  if (found) return { id: found.id, managementId: found.managementId, declarativeManagement: found.declarativeManagement, source: 'lookup', warnings };
  if (input.recon) {
    warnings.push('This Mac is not in Jamf Pro inventory under its hardware UUID; running jamf recon as a last resort.');
    const id = await input.recon();
    if (id !== null) {
      const computer = await readComputer(client, id, input.serverVersion, input.signal);
      return { id, managementId: computer?.managementId ?? null, declarativeManagement: computer?.declarativeManagement ?? null, source: 'recon', warnings };
    }
  }
  return null;
}
