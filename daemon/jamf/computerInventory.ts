import { JamfEndpointUnavailableError, JamfHttpError } from '../errors';
import { versionAtLeast } from '../version';
import type { JamfClient } from './jamfClient';
import { inventoryRecordProblem, pageShape, recordShape } from './responseShapes';

export interface InventoryComputer {
  readonly id: string;
  readonly udid: string;
  readonly managementId: string | null;
  readonly supervised: boolean | null;
  /** `general.declarativeDeviceManagementEnabled` (reference §4.14); null when the server does not say. */
  readonly declarativeManagement: boolean | null;
}

interface InventoryRecord {
  id?: string | number;
  udid?: string;
  general?: { managementId?: string | null; supervised?: boolean | null; declarativeDeviceManagementEnabled?: boolean | null } | null;
}

/** Newest computers-inventory version first (reference §3.1): v4 from 11.30, v3 before. */
export function inventoryVersions(serverVersion: string | null): string[] {
  return serverVersion !== null && versionAtLeast(serverVersion, '11.30.0') ? ['v4', 'v3', 'v1'] : ['v3', 'v2', 'v1'];
}

/**
 * A 404 from the list: an unknown hardware UUID gives an empty page, so a 404 there can only mean
 * "this server lacks that version of the endpoint" (decided on the status, not on message text).
 */
function missingListEndpoint(error: unknown): boolean {
  return error instanceof JamfHttpError && error.statusCode === 404;
}

/** `GET /api/vN/computers-inventory?filter=udid=="…"`, newest version first, falling back. */
export async function findComputerByUdid(client: JamfClient, udid: string, serverVersion: string | null, signal?: AbortSignal): Promise<InventoryComputer | null> {
  let lastError: unknown;
  for (const v of inventoryVersions(serverVersion)) {
    try {
      const page = await client.request<{ results?: InventoryRecord[] }>('GET', `api/${v}/computers-inventory`, {
        query: { section: 'GENERAL', 'page-size': 2, filter: `udid=="${udid}"` },
        shape: pageShape<InventoryRecord>(`GET api/${v}/computers-inventory`, inventoryRecordProblem),
        signal,
      });
      const found = page.results?.[0];
      return found ? toComputer(found) : null;
    } catch (error) {
      if (!missingListEndpoint(error)) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

/** `GET /api/vN/computers-inventory/{id}?section=GENERAL`; null when the id does not exist. */
export async function readComputer(client: JamfClient, id: string, serverVersion: string | null, signal?: AbortSignal): Promise<InventoryComputer | null> {
  let lastError: unknown;
  for (const v of inventoryVersions(serverVersion)) {
    try {
      const record = await client.request<InventoryRecord>('GET', `api/${v}/computers-inventory/${encodeURIComponent(id)}`, {
        query: { section: 'GENERAL' },
        shape: recordShape<InventoryRecord>(`GET api/${v}/computers-inventory/{id}`, inventoryRecordProblem),
        signal,
      });
      return toComputer(record);
    } catch (error) {
      // By id, a 404 means "no such computer" unless the version gate says the endpoint is missing.
      if (error instanceof JamfHttpError && error.statusCode === 404 && !(error instanceof JamfEndpointUnavailableError)) return null;
      if (!(error instanceof JamfEndpointUnavailableError)) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

function toComputer(r: InventoryRecord): InventoryComputer {
  return {
    id: String(r.id ?? ''),
    udid: r.udid ?? '',
    managementId: r.general?.managementId ?? null,
    supervised: r.general?.supervised ?? null,
    declarativeManagement: typeof r.general?.declarativeDeviceManagementEnabled === 'boolean' ? r.general.declarativeDeviceManagementEnabled : null,
  };
}
