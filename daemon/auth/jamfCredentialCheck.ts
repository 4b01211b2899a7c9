import { JamfAuthError, JamfHttpError, JamfPrivilegeError, JamfResponseError, JamfUnreachableError } from '../errors';
import type { JamfAuthorization } from '../jamf/apiTypes';
import type { JamfClient } from '../jamf/jamfClient';
import { JamfPrivilege as P } from '../jamf/privileges';
import { inventoryVersions } from '../jamf/computerInventory';
import { featureToggleShape, inventoryRecordProblem, pageShape, type Shape } from '../jamf/responseShapes';
import { versionAtLeast } from '../version';
import type { MdmWorkflow } from '../workflow/contracts';
import type { WorkflowFailure } from '../workflow/failureReason';

/**
 * The privileges one update run needs (reference §6.1): inventory lookup, the feature toggle,
 * plans (read and create) or the legacy command, and the blank push from Jamf Pro 11.28.
 */
export function workflowPrivileges(workflow: MdmWorkflow | 'auto', serverVersion: string): string[] {
  const set = new Set<string>([P.readComputers]);
  if (workflow !== 'legacy') {
    for (const p of [P.readManagedSoftwareUpdates, P.createManagedSoftwareUpdates, P.readMobileDevices, P.sendComputerOsUpdate, P.sendMobileDeviceOsUpdate]) set.add(p);
  }
  if (workflow === 'legacy' || workflow === 'auto') set.add(P.sendComputerOsUpdate);
  if (versionAtLeast(serverVersion, '11.28.0')) set.add(P.viewMdmCommandInformation);
  return [...set].sort();
}

/** Every privilege `GET /api/v1/auth` lists for the token; null when it lists none (not confirmable). */
export function grantedPrivileges(auth: JamfAuthorization): Set<string> | 'all' | null {
  if (auth.account?.privilegeSet === 'ADMINISTRATOR') return 'all';
  const granted = new Set<string>();
  for (const list of Object.values(auth.account?.privilegesBySite ?? {})) for (const p of list) granted.add(p);
  for (const g of auth.accountGroups ?? []) for (const p of g.privileges ?? []) granted.add(p);
  return granted.size > 0 ? granted : null;
}

export type CredentialCheck =
  | { readonly ok: true; readonly serverVersion: string; readonly warnings: string[] }
  | { readonly ok: false; readonly failure: WorkflowFailure };

/**
 * Validates a Jamf Pro credential without side effects on the Mac: a token, the server
 * version, `GET /api/v1/auth`, and the privileges the workflow needs, each missing one named.
 */
export async function checkJamfCredential(client: JamfClient, kind: 'client' | 'account', required: (serverVersion: string) => string[], signal?: AbortSignal): Promise<CredentialCheck> {
  try {
    const serverVersion = await client.getVersion(signal);
    const warnings: string[] = [];
    if (kind === 'client' && !versionAtLeast(serverVersion, '10.49.0')) {
      return { ok: false, failure: { reason: 'credentials-rejected', message: `API clients need Jamf Pro 10.49 or later; this server runs ${serverVersion}. Use a Jamf Pro account (--auth-jamf-account) or upgrade Jamf Pro.` } };
    }
    if (kind === 'account' && versionAtLeast(serverVersion, '10.49.0')) {
      warnings.push(`Jamf Pro ${serverVersion} supports API clients: an API client (--auth-jamf-client, --auth-jamf-secret) with only the privileges superd needs is safer than a user account.`);
    }
    const auth = await client.whoAmI(signal);
    const granted = grantedPrivileges(auth);
    const needed = required(serverVersion);
    if (granted === null) {
      // Jamf Pro did not list the privileges: confirm what harmless reads can, name the rest.
      const probed = await probePrivileges(client, serverVersion, signal);
      const missing = needed.filter((p) => probed.missing.includes(p));
      if (missing.length > 0) {
        return { ok: false, failure: { reason: 'privileges-missing', message: `The Jamf Pro credential lacks ${missing.map((m) => `"${m}"`).join(', ')} (found by a read it was refused). Add ${missing.length === 1 ? 'it' : 'them'} to its API role (or account).` } };
      }
      const unconfirmed = needed.filter((p) => !probed.confirmed.includes(p));
      if (unconfirmed.length > 0) warnings.push(`Jamf Pro did not list this credential's privileges; harmless reads confirmed ${probed.confirmed.join(', ') || 'none'}; could not confirm: ${unconfirmed.join(', ')}.`);
    } else if (granted !== 'all') {
      const missing = needed.filter((p) => !granted.has(p));
      if (missing.length > 0) {
        return { ok: false, failure: { reason: 'privileges-missing', message: `The Jamf Pro credential lacks ${missing.length === 1 ? 'the privilege' : 'these privileges'}: ${missing.map((m) => `"${m}"`).join(', ')}. Add ${missing.length === 1 ? 'it' : 'them'} to its API role (or account).` } };
      }
    }
    return { ok: true, serverVersion, warnings };
  } catch (error) {
    const failure = jamfFailure(error);
    if (failure) return { ok: false, failure };
    throw error;
  }
}

/** Harmless reads whose answer shows whether a privilege is held (a 403 names it). */
const probes = (serverVersion: string): ReadonlyArray<{ privilege: string; path: string; query?: Record<string, string | number>; shape: Shape<unknown> }> => {
  const inventory = `api/${inventoryVersions(serverVersion)[0]}/computers-inventory`;
  return [
    // Only an answer of the right shape confirms a privilege: a proxy's HTML page confirms nothing.
    { privilege: P.readComputers, path: inventory, query: { 'page-size': 1, section: 'GENERAL' }, shape: pageShape(`GET ${inventory}`, inventoryRecordProblem) },
    { privilege: P.readManagedSoftwareUpdates, path: 'api/v1/managed-software-updates/plans/feature-toggle', shape: featureToggleShape },
  ];
};

async function probePrivileges(client: JamfClient, serverVersion: string, signal?: AbortSignal): Promise<{ confirmed: string[]; missing: string[] }> {
  const confirmed: string[] = [];
  const missing: string[] = [];
  for (const probe of probes(serverVersion)) {
    try {
      await client.request('GET', probe.path, { query: probe.query, shape: probe.shape, signal });
      confirmed.push(probe.privilege);
    } catch (error) {
      if (error instanceof JamfPrivilegeError) missing.push(probe.privilege);
      else if (!(error instanceof JamfHttpError)) throw error;
    }
  }
  return { confirmed, missing };
}

/**
 * The failure reason of a typed Jamf Pro error, or null for anything else (a bug). Only a
 * JamfAuthError is `credentials-rejected` (the step then pauses the credential), and jamf/ raises
 * it only when refusal.ts says the token request itself was refused; everything that says Jamf Pro
 * is unreachable or failing (a connection failure, a 5xx, a garbled 2xx body, a second 401 with
 * a fresh token) is `mdm-service-unavailable`, retried later.
 */
export function jamfFailure(error: unknown): WorkflowFailure | null {
  if (error instanceof JamfAuthError) return { reason: 'credentials-rejected', message: error.message };
  if (error instanceof JamfPrivilegeError) return { reason: 'privileges-missing', message: error.message };
  if (error instanceof JamfHttpError && error.retryAfterSeconds !== undefined) {
    return { reason: 'mdm-service-unavailable', message: error.message, retryAfterSeconds: error.retryAfterSeconds };
  }
  if (error instanceof JamfUnreachableError || error instanceof JamfResponseError || error instanceof JamfHttpError) {
    return { reason: 'mdm-service-unavailable', message: error.message };
  }
  return null;
}
