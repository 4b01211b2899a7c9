/**
 * Facts about Jamf Pro that rarely change, remembered between runs so a push does not ask for
 * them again (issue 18, the request budget): the server's version for {@link SERVER_VERSION_MAX_AGE_MS},
 * the plans feature toggle for {@link FACT_MAX_AGE_MS}, and this Mac's computer id (with its management id) until Jamf Pro
 * answers 404 for it or the Mac's hardware UUID differs. A request that says a fact changed makes
 * the run forget it and read it again (runSession.ts). docs/decisions.md "Remembered Jamf Pro facts".
 *
 * Kept in a small property list beside the status plist, written atomically. It is a cache:
 * a missing, unreadable or foreign (another server) file is read as "nothing known", and the
 * facts are read from Jamf Pro again; nothing in it is a secret.
 */
import { readPlistDict } from '../config/readPlist';
import { writePlistAtomically } from '../config/writePlist';
import { hostPath, superdPaths } from '../host/paths';

export const JAMF_FACTS_PATH = `${superdPaths.folder}/jamf-facts.plist`;

/** The feature toggle is read again after 7 days (an admin may switch it at any time). */
export const FACT_MAX_AGE_MS = 7 * 24 * 3600_000;

/**
 * The server's version is read again after 90 days, or as soon as a version-gated endpoint
 * answers 404 (the client then asks, and the run remembers the new version). An upgrade is the
 * only thing that changes it, and an upgrade that matters shows as such a 404; a shorter expiry
 * would only put a seventh request into the push a Mac makes at each macOS release.
 */
export const SERVER_VERSION_MAX_AGE_MS = 90 * 24 * 3600_000;

export interface RememberedFact<T> {
  readonly value: T;
  /** When it was read from Jamf Pro (ISO 8601). */
  readonly at: string;
}

export interface RememberedComputer {
  readonly id: string;
  readonly managementId: string | null;
  /** The hardware UUID it was found for: another Mac (or a new logic board) is not this record. */
  readonly udid: string;
  /**
   * Jamf Pro's `declarativeDeviceManagementEnabled` for it when it was read (null: not said), so
   * a run that uses the remembered id chooses the same update path (workflow/chooseWorkflow.ts).
   */
  readonly declarativeManagement: boolean | null;
}

export interface JamfFacts {
  /** The Jamf Pro URL the facts belong to; facts of another server are never used. */
  readonly server: string;
  readonly serverVersion: RememberedFact<string> | null;
  /** null: this server has no toggle (before 10.48). */
  readonly featureToggle: RememberedFact<boolean | null> | null;
  readonly computer: RememberedComputer | null;
}

export const noFacts = (server: string): JamfFacts => ({ server, serverVersion: null, featureToggle: null, computer: null });

/** A remembered value while it is younger than the limit (and not from the future), else undefined. */
export function freshValue<T>(fact: RememberedFact<T> | null, now: Date, maxAgeMs = FACT_MAX_AGE_MS): T | undefined {
  if (!fact) return undefined;
  const age = now.getTime() - Date.parse(fact.at);
  return age >= 0 && age < maxAgeMs ? fact.value : undefined;
}

/** The facts remembered for `server`; nothing when the file is missing, unreadable or another server's. */
export async function readJamfFacts(root: string, server: string): Promise<JamfFacts> {
  const dict = await readPlistDict(hostPath(JAMF_FACTS_PATH, root)).catch(() => null);
  if (!dict || dict.Server !== server) return noFacts(server);
  const str = (k: string) => (typeof dict[k] === 'string' && dict[k] !== '' ? (dict[k] as string) : null);
  const date = (k: string) => (dict[k] instanceof Date && !Number.isNaN((dict[k] as Date).getTime()) ? (dict[k] as Date).toISOString() : null);
  const version = str('ServerVersion');
  const versionAt = date('ServerVersionDate');
  const toggle = dict.FeatureToggle;
  const toggleAt = date('FeatureToggleDate');
  const computerId = str('ComputerID');
  const udid = str('ComputerUDID');
  return {
    server,
    serverVersion: version && versionAt ? { value: version, at: versionAt } : null,
    featureToggle: toggleAt && (typeof toggle === 'boolean' || toggle === 'none') ? { value: toggle === 'none' ? null : toggle, at: toggleAt } : null,
    computer: computerId && udid ? { id: computerId, managementId: str('ManagementID'), udid, declarativeManagement: typeof dict.DeclarativeManagement === 'boolean' ? dict.DeclarativeManagement : null } : null,
  };
}

export async function writeJamfFacts(root: string, facts: JamfFacts): Promise<void> {
  const out: Record<string, unknown> = { Server: facts.server };
  if (facts.serverVersion) Object.assign(out, { ServerVersion: facts.serverVersion.value, ServerVersionDate: new Date(facts.serverVersion.at) });
  if (facts.featureToggle) Object.assign(out, { FeatureToggle: facts.featureToggle.value ?? 'none', FeatureToggleDate: new Date(facts.featureToggle.at) });
  if (facts.computer) {
    Object.assign(out, { ComputerID: facts.computer.id, ComputerUDID: facts.computer.udid });
    if (facts.computer.managementId !== null) out.ManagementID = facts.computer.managementId;
    if (facts.computer.declarativeManagement !== null) out.DeclarativeManagement = facts.computer.declarativeManagement;
  }
  await writePlistAtomically(hostPath(JAMF_FACTS_PATH, root), out);
}
