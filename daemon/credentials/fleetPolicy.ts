/**
 * The Jamf Pro side of fleet rotation that is not the API client itself: the script parameters
 * of the policy that hands the secret to every Mac (Classic API), the flush of that policy's logs
 * so that every Mac runs it again, and the fleet's extension-attribute values (Jamf Pro API).
 *
 * Sources: `PUT /JSSResource/policies/id/{id}` updates a policy, including its scripts'
 * `parameter4`…`parameter11`, and `DELETE /JSSResource/logflush/policies/id/{id}/interval/{interval}`
 * flushes a policy's logs ("Interval is a combination of Zero, One, Two, Three, Six, and Day,
 * Week, Month, Year") — Classic API swagger 11.30.0 (shared reference jamf-openapi/,
 * updates-and-fleet.md "Credentials: rotation facts"); `Zero+Days` as public Jamf tools send it
 * (e.g. a Swift policy-log flusher: `/JSSResource/logflush/policies/id/\(id)/interval/Zero+Days`).
 * The policy's `<scripts>` list (`<size>`, then `<script>` with `id`, `name`, `priority`,
 * `parameter4`…`parameter11`) follows the Classic policy document as Jamf's SDKs and the
 * Terraform provider model it (deploymenttheory terraform-provider-jamfpro policy scripts);
 * no server capture of a policy document was available, so anything else makes superd refuse.
 * EA values: `GET /api/vN/computers-inventory?section=EXTENSION_ATTRIBUTES`, each record's
 * `extensionAttributes[]` of `{definitionId, name, values[]}` (OpenAPI 11.30.0
 * `ComputerExtensionAttribute`; privilege "Read Computers").
 */
import { JamfHttpError, JamfResponseError } from '../errors';
import { inventoryVersions } from '../jamf/computerInventory';
import type { JamfClient } from '../jamf/jamfClient';

export interface PolicyScript {
  readonly id: string;
  readonly name: string;
  readonly priority: string;
  /** parameter4 … parameter11 as Jamf Pro holds them ('' when empty). */
  readonly parameters: Readonly<Record<number, string>>;
}

const PARAMETERS = [4, 5, 6, 7, 8, 9, 10, 11] as const;

function decode(text: string): string {
  return text.replace(/&(lt|gt|amp|apos|quot|#(\d+)|#x([0-9a-fA-F]+));/g, (_m, name: string, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' } as Record<string, string>)[name]!;
  });
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** One element's text inside `xml` (`<tag>text</tag>` or `<tag/>`), or null when absent. */
function element(xml: string, tag: string): string | null {
  const m = new RegExp(`<${tag}(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${tag}>)`).exec(xml);
  if (!m) return null;
  return decode(m[1] ?? '');
}

/** The scripts of a Classic policy document (XML), in order. */
export function parsePolicyScripts(xml: string, path: string): PolicyScript[] {
  if (!/<policy[\s>]/.test(xml)) throw new JamfResponseError('GET', path, 'Jamf Pro answered without a <policy> document');
  const block = /<scripts>([\s\S]*?)<\/scripts>|<scripts\/>/.exec(xml);
  if (!block) throw new JamfResponseError('GET', path, 'the policy document has no <scripts> element');
  const scripts: PolicyScript[] = [];
  for (const m of (block[1] ?? '').matchAll(/<script>([\s\S]*?)<\/script>/g)) {
    const body = m[1] ?? '';
    const id = element(body, 'id');
    if (id === null || !/^\d+$/.test(id.trim())) throw new JamfResponseError('GET', path, 'a script of the policy has no numeric <id>');
    const parameters: Record<number, string> = {};
    for (const n of PARAMETERS) parameters[n] = element(body, `parameter${n}`) ?? '';
    scripts.push({ id: id.trim(), name: element(body, 'name') ?? '', priority: element(body, 'priority') ?? 'After', parameters });
  }
  return scripts;
}

/** The `<policy><scripts>…` document that writes every script back, with one changed. */
export function policyScriptsXml(scripts: readonly PolicyScript[]): string {
  const items = scripts.map((s) => {
    const params = PARAMETERS.map((n) => `<parameter${n}>${escapeXml(s.parameters[n] ?? '')}</parameter${n}>`).join('');
    return `<script><id>${escapeXml(s.id)}</id><priority>${escapeXml(s.priority)}</priority>${params}</script>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><policy><scripts><size>${scripts.length}</size>${items.join('')}</scripts></policy>`;
}

export async function readPolicyScripts(client: JamfClient, policyId: string, signal?: AbortSignal): Promise<PolicyScript[]> {
  const path = `JSSResource/policies/id/${encodeURIComponent(policyId)}`;
  const xml = await client.request<string>('GET', path, { accept: 'application/xml', ...(signal && { signal }) });
  if (typeof xml !== 'string') throw new JamfResponseError('GET', path, 'Jamf Pro did not answer with an XML policy document');
  return parsePolicyScripts(xml, path);
}

export async function writePolicyScripts(client: JamfClient, policyId: string, scripts: readonly PolicyScript[], signal?: AbortSignal): Promise<void> {
  await client.request('PUT', `JSSResource/policies/id/${encodeURIComponent(policyId)}`, {
    body: policyScriptsXml(scripts),
    headers: { 'content-type': 'application/xml' },
    accept: 'application/xml',
    ...(signal && { signal }),
  });
}

/** Every log of the policy, so that a "once per computer" policy runs again on every Mac. */
export async function flushPolicyLogs(client: JamfClient, policyId: string, signal?: AbortSignal): Promise<void> {
  await client.request('DELETE', `JSSResource/logflush/policies/id/${encodeURIComponent(policyId)}/interval/Zero+Days`, { accept: 'application/xml', ...(signal && { signal }) });
}

export interface FleetMac {
  readonly computerId: string;
  readonly name: string;
  /** The extension attribute's value; null when the Mac has not reported it. */
  readonly value: string | null;
}

interface InventoryPage {
  totalCount?: number;
  results?: Array<{ id?: string | number; general?: { name?: string } | null; extensionAttributes?: Array<{ name?: string; values?: string[] | null }> | null }>;
}

const PAGE_SIZE = 500;

/** Every computer with its value of the named extension attribute, newest inventory API first. */
export async function readFleetValues(client: JamfClient, eaName: string, serverVersion: string, signal?: AbortSignal): Promise<FleetMac[]> {
  let lastError: unknown;
  for (const v of inventoryVersions(serverVersion)) {
    try {
      const macs: FleetMac[] = [];
      for (let page = 0; ; page++) {
        const body = await client.request<InventoryPage>('GET', `api/${v}/computers-inventory`, {
          query: { section: ['GENERAL', 'EXTENSION_ATTRIBUTES'], 'page-size': PAGE_SIZE, page, sort: 'id:asc' },
          ...(signal && { signal }),
        });
        const results = body.results ?? [];
        for (const r of results) {
          const ea = (r.extensionAttributes ?? []).find((e) => e.name === eaName);
          const value = ea?.values?.[0]?.trim() ?? '';
          macs.push({ computerId: String(r.id ?? ''), name: r.general?.name ?? `computer ${String(r.id ?? '?')}`, value: value === '' ? null : value });
        }
        if (results.length < PAGE_SIZE || (body.totalCount !== undefined && macs.length >= body.totalCount)) return macs;
      }
    } catch (error) {
      if (!(error instanceof JamfHttpError && error.statusCode === 404)) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

/** `client <id> OK` (the superd-jamf-client extension attribute), or what else the Mac said. */
export function parseClientReport(value: string | null): { clientId: string; ok: boolean } | null {
  if (value === null) return null;
  const m = /^client (\S+) (\S+)$/.exec(value);
  return m ? { clientId: m[1]!, ok: m[2] === 'OK' } : null;
}
