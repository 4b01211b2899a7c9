/**
 * Policies, their logs and computer extension-attribute values, for fleet-safe secret rotation
 * (docs/fleet-rotation.md): what the Classic API serves for a policy's scripts and their
 * parameters, how flushing a policy's logs makes a "once per computer" policy due again on every
 * computer, and the EA values each computer last reported (served in the computers-inventory
 * EXTENSION_ATTRIBUTES section by routes/inventory.ts).
 *
 * Sources: Classic API swagger 11.30.0 (shared reference jamf-openapi/): `GET`/`PUT
 * /policies/id/{id}`, `DELETE /logflush/{log}/id/{id}/interval/{interval}` ("Interval is a
 * combination of Zero, One, Two, Three, Six, and Day, Week, Month, Year", answer "200"), the
 * `{log}` value `policies` as in the swagger's own example (`JSSResource/logflush/policies/…`)
 * and public tools (`/JSSResource/logflush/policies/id/\(id)/interval/Zero+Days`). Policy scripts
 * with `id`, `name`, `priority`, `parameter4`…`parameter11`, as the Terraform provider
 * (deploymenttheory terraform-provider-jamfpro) models them; the `<size>` element before the
 * items is the Classic list form. PUT answers 201 `<policy><id>N</id></policy>` (reference §0.4).
 * EA entries `{definitionId, name, description, enabled, multiValue, values, dataType, options,
 * inputType}` (OpenAPI 11.30.0 `ComputerExtensionAttribute`). Privileges "Read Policies",
 * "Update Policies" (Classic minimum privileges: GET → Read, PUT → Update, reference §0.2) and
 * "Flush Policy Logs" (a Jamf Pro Server Action; the exact name is not in the OpenAPI document).
 */
import { classicError, xmlReply, type Ctx, type Reply } from './http';
import type { SimCore } from './core';
import type { Route } from './router';
import { toXml, type XmlValue } from './xml';

export const FLEET_PRIVILEGES = { readPolicies: 'Read Policies', updatePolicies: 'Update Policies', flushPolicyLogs: 'Flush Policy Logs' } as const;

export interface SimPolicyScript {
  id: number;
  name: string;
  priority: string;
  /** parameter4 … parameter11 */
  parameters: Record<number, string>;
}

export interface SimPolicy {
  id: number;
  name: string;
  frequency: 'Once per computer' | 'Ongoing';
  /** Maintenance › Update Inventory after the scripts (the EA values are collected then). */
  updateInventory: boolean;
  scripts: SimPolicyScript[];
  /** Policy log: computer id → when it ran (sim clock). */
  logs: Map<number, number>;
}

export interface EaDefinition {
  id: number;
  name: string;
}

const PARAMETERS = [4, 5, 6, 7, 8, 9, 10, 11];
const UNIT_MS: Record<string, number> = { day: 86_400_000, week: 7 * 86_400_000, month: 30 * 86_400_000, year: 365 * 86_400_000 };
const COUNT: Record<string, number> = { zero: 0, one: 1, two: 2, three: 3, six: 6 };

/** The fleet data of one simulator. */
export class FleetModel {
  readonly policies = new Map<number, SimPolicy>();
  readonly eaDefinitions = new Map<string, EaDefinition>();
  private readonly eaValues = new Map<number, Map<number, string>>();
  private nextPolicy = 1;
  private nextEa = 1;

  constructor(private readonly now: () => number) {}

  addPolicy(input: { name: string; scripts: Array<{ id: number; name: string; parameters?: Record<number, string> }>; frequency?: SimPolicy['frequency']; updateInventory?: boolean }): SimPolicy {
    const p: SimPolicy = {
      id: this.nextPolicy++,
      name: input.name,
      frequency: input.frequency ?? 'Once per computer',
      updateInventory: input.updateInventory ?? true,
      scripts: input.scripts.map((s) => ({ id: s.id, name: s.name, priority: 'After', parameters: Object.fromEntries(PARAMETERS.map((n) => [n, s.parameters?.[n] ?? ''])) })),
      logs: new Map(),
    };
    this.policies.set(p.id, p);
    return p;
  }

  policy(id: number): SimPolicy {
    const p = this.policies.get(id);
    if (!p) throw new Error(`no policy ${id}`);
    return p;
  }

  /** Policies a computer runs at its next check-in (every policy is scoped to all computers). */
  due(computerId: number): SimPolicy[] {
    return [...this.policies.values()].filter((p) => p.frequency === 'Ongoing' || !p.logs.has(computerId));
  }

  /** The jamf binary reports a completed policy run: a log entry, so "once per computer" is done. */
  recordRun(policyId: number, computerId: number): void {
    this.policy(policyId).logs.set(computerId, this.now());
  }

  /** Removes the policy's log entries older than `olderThanMs` (0: all of them). */
  flush(policyId: number, olderThanMs: number): number {
    const p = this.policy(policyId);
    let n = 0;
    for (const [computer, at] of p.logs) {
      if (this.now() - at >= olderThanMs) {
        p.logs.delete(computer);
        n++;
      }
    }
    return n;
  }

  eaDefinition(name: string): EaDefinition {
    let d = this.eaDefinitions.get(name);
    if (!d) {
      d = { id: this.nextEa++, name };
      this.eaDefinitions.set(name, d);
    }
    return d;
  }

  /** Inventory update: the value a computer's EA script printed between <result> tags. */
  setEaValue(computerId: number, name: string, value: string): void {
    const d = this.eaDefinition(name);
    let values = this.eaValues.get(computerId);
    if (!values) this.eaValues.set(computerId, (values = new Map()));
    values.set(d.id, value);
  }

  eaValue(computerId: number, name: string): string | null {
    const d = this.eaDefinitions.get(name);
    return d ? this.eaValues.get(computerId)?.get(d.id) ?? null : null;
  }

  /** The computer's entries of the inventory EXTENSION_ATTRIBUTES section: every definition, values or not. */
  inventoryEntries(computerId: number): Record<string, unknown>[] {
    return [...this.eaDefinitions.values()].map((d) => {
      const value = this.eaValues.get(computerId)?.get(d.id);
      return { definitionId: String(d.id), name: d.name, description: null, enabled: true, multiValue: false, values: value === undefined ? [] : [value], dataType: 'STRING', options: [], inputType: 'SCRIPT' };
    });
  }
}

const models = new Map<string, FleetModel>();

/** The fleet data of the simulator at `url` (created on first use). */
export function fleetModelFor(core: SimCore): FleetModel {
  let m = models.get(core.url);
  if (!m) models.set(core.url, (m = new FleetModel(() => core.clock.now())));
  return m;
}

/** For tests: the fleet data of a started simulator. */
export function fleetOf(sim: { url: string }): FleetModel {
  const m = models.get(sim.url);
  if (!m) throw new Error(`no fleet data for ${sim.url}: call fleetModelFor from a route first, or use openFleet()`);
  return m;
}

/** Test setup: fleet data bound to the simulator's clock, before any request reached it. */
export function openFleet(sim: { url: string; clock: { now(): number } }): FleetModel {
  let m = models.get(sim.url);
  if (!m) models.set(sim.url, (m = new FleetModel(() => sim.clock.now())));
  return m;
}

export function closeFleet(sim: { url: string }): void {
  models.delete(sim.url);
}

function policyXml(p: SimPolicy): string {
  const doc: { [key: string]: XmlValue } = {
    general: { id: p.id, name: p.name, enabled: true, trigger: 'CHECKIN', trigger_checkin: true, frequency: p.frequency },
    scripts: { size: p.scripts.length, script: null },
    maintenance: { recon: p.updateInventory },
  };
  const scripts = p.scripts.map((s) => toXml('script', { id: s.id, name: s.name, priority: s.priority, ...Object.fromEntries(PARAMETERS.map((n) => [`parameter${n}`, s.parameters[n] ?? ''])) })).join('');
  // <scripts><size>N</size><script>…</script>…</scripts>: toXml has no form for a size before repeated items.
  return toXml('policy', doc).replace(/<scripts><size>(\d+)<\/size><script\/><\/scripts>/, `<scripts><size>$1</size>${scripts}</scripts>`);
}

function policyFrom(ctx: Ctx): SimPolicy | undefined {
  const id = ctx.params.id ?? '';
  return /^\d+$/.test(id) ? fleetModelFor(ctx.core).policies.get(Number(id)) : undefined;
}

const decode = (s: string): string => s.replace(/&(lt|gt|amp|apos|quot);/g, (_m, e: string) => ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' })[e]!);

/**
 * PUT with a `<scripts>` element replaces the policy's scripts (id, priority and parameters
 * given; a script's name comes from the script object). Anything but a well-formed `<policy>`
 * with `<script>` items of known script ids is a 409/400 status page, nothing changed.
 */
function putPolicy(ctx: Ctx): Reply {
  const p = policyFrom(ctx);
  if (!p) return classicError(404);
  const body = ctx.rawBody.toString('utf8').replace(/^\s*<\?xml[^>]*\?>/, '').trim();
  if (!/^<policy>[\s\S]*<\/policy>$/.test(body)) return classicError(400);
  const block = /<scripts>([\s\S]*?)<\/scripts>/.exec(body);
  if (!block) return xmlReply(201, `<?xml version="1.0" encoding="UTF-8"?><policy><id>${p.id}</id></policy>`);
  const known = new Map(p.scripts.map((s) => [s.id, s.name]));
  const next: SimPolicyScript[] = [];
  for (const m of (block[1] ?? '').matchAll(/<script>([\s\S]*?)<\/script>/g)) {
    const inner = m[1] ?? '';
    const id = Number(/<id>(\d+)<\/id>/.exec(inner)?.[1] ?? Number.NaN);
    if (!known.has(id)) return classicError(409, 'Error: Problem with script');
    const parameters: Record<number, string> = {};
    for (const n of PARAMETERS) {
      const v = new RegExp(`<parameter${n}>([\\s\\S]*?)</parameter${n}>`).exec(inner);
      parameters[n] = v ? decode(v[1] ?? '') : '';
    }
    next.push({ id, name: known.get(id)!, priority: /<priority>([^<]*)<\/priority>/.exec(inner)?.[1] ?? 'After', parameters });
  }
  p.scripts = next;
  return xmlReply(201, `<?xml version="1.0" encoding="UTF-8"?><policy><id>${p.id}</id></policy>`);
}

function flushLogs(ctx: Ctx): Reply {
  if (ctx.params.log !== 'policies') return classicError(404);
  const p = policyFrom(ctx);
  if (!p) return classicError(404);
  const m = /^(zero|one|two|three|six)[+ ](day|week|month|year)s?$/i.exec(ctx.params.interval ?? '');
  if (!m) return classicError(400, 'Unable to parse the interval');
  const olderThan = COUNT[m[1]!.toLowerCase()]! * UNIT_MS[m[2]!.toLowerCase()]!;
  fleetModelFor(ctx.core).flush(p.id, olderThan);
  return { status: 200, text: '', contentType: 'text/xml;charset=UTF-8' };
}

export const fleetPolicyRoutes: Route[] = [
  {
    method: 'GET', path: '/JSSResource/policies/id/{id}', api: 'classic', privileges: [FLEET_PRIVILEGES.readPolicies],
    handler: (ctx) => {
      const p = policyFrom(ctx);
      if (!p) return classicError(404);
      return xmlReply(200, `<?xml version="1.0" encoding="UTF-8"?>${policyXml(p)}`);
    },
  },
  { method: 'PUT', path: '/JSSResource/policies/id/{id}', api: 'classic', privileges: [FLEET_PRIVILEGES.updatePolicies], handler: putPolicy },
  { method: 'DELETE', path: '/JSSResource/logflush/{log}/id/{id}/interval/{interval}', api: 'classic', privileges: [FLEET_PRIVILEGES.flushPolicyLogs], handler: flushLogs },
];
