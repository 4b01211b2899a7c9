import { compareVersions } from '../version';
import { findEndpoint, type EndpointPattern } from './endpointMatch';

export interface EndpointVersionGate extends EndpointPattern {
  /** First Jamf Pro version that serves the endpoint. */
  readonly since?: string;
  /** First Jamf Pro version that no longer serves it. */
  readonly removedIn?: string;
}

const gate = (method: string, path: string, range: { since?: string; removedIn?: string }): EndpointVersionGate => ({ method, path, ...range });
const v4 = { since: '11.30.0' };
const plans = { since: '10.48.0' };
const clients = { since: '10.49.0' };

/**
 * Endpoints that exist only on some Jamf Pro versions (reference §3.1, §5.4, §7.4, §9). A 404 from
 * one of these on a server outside the range means "your Jamf Pro version lacks this endpoint",
 * not "object not found".
 */
export const ENDPOINT_VERSION_GATES: readonly EndpointVersionGate[] = [
  gate('GET', 'api/v4/computers-inventory', v4),
  gate('GET', 'api/v4/computers-inventory/{id}', v4),
  gate('GET', 'api/v4/computers-inventory-detail/{id}', v4),
  gate('PUT', 'api/v1/accounts/{id}', { since: '11.27.0' }),
  gate('POST', 'JSSResource/computercommands/command/BlankPush/**', { removedIn: '11.28.0' }),
  gate('GET', 'api/v1/managed-software-updates/plans/feature-toggle', plans),
  gate('PUT', 'api/v1/managed-software-updates/plans/feature-toggle', plans),
  gate('POST', 'api/v1/managed-software-updates/plans', plans),
  gate('POST', 'api/v1/managed-software-updates/plans/group', plans),
  gate('GET', 'api/v1/managed-software-updates/available-updates', plans),
  gate('POST', 'api/oauth/token', clients),
  gate('POST', 'api/v1/oauth/token', clients),
  gate('GET', 'api/v1/api-integrations', clients),
  gate('POST', 'api/v1/api-integrations/{id}/client-credentials', clients),
  gate('GET', 'api/v1/api-roles', clients),
];

export function versionGateFor(method: string, path: string): EndpointVersionGate | undefined {
  return findEndpoint(ENDPOINT_VERSION_GATES, method, path);
}

/** Whether `version` (`11.30.0-t1782920582649`) is inside the gate's range. */
export function versionServes(gateRange: { since?: string; removedIn?: string }, version: string): boolean {
  if (gateRange.since && compareVersions(version, gateRange.since) < 0) return false;
  if (gateRange.removedIn && compareVersions(version, gateRange.removedIn) >= 0) return false;
  return true;
}

/** "needs Jamf Pro 11.30.0 or later" / "was removed in Jamf Pro 11.28.0". */
export function describeVersionRange(gateRange: { since?: string; removedIn?: string }): string {
  const parts: string[] = [];
  if (gateRange.since) parts.push(`needs Jamf Pro ${gateRange.since} or later`);
  if (gateRange.removedIn) parts.push(`was removed in Jamf Pro ${gateRange.removedIn}`);
  return parts.join(' and ');
}
