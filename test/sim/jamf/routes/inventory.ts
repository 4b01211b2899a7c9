import { invalidField, invalidId, notFound, type Ctx, type Reply } from '../http';
import { pageOf, readPaging } from '../paging';
import { P } from '../privileges';
import type { Route } from '../router';
import { RsqlError, compileFilter } from '../rsql';
import { inventoryFields, renderComputer, sectionsFor, type InventoryApi } from './inventoryModel';
import { fleetModelFor } from '../fleetPolicies';

/** The EXTENSION_ATTRIBUTES section holds the values computers reported (fleetPolicies.ts). */
function withEas(ctx: Ctx, c: { id: number }, rendered: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(rendered.extensionAttributes)) rendered.extensionAttributes = fleetModelFor(ctx.core).inventoryEntries(c.id);
  return rendered;
}

function requestedSections(ctx: Ctx, api: InventoryApi): string[] | Reply {
  const raw = ctx.query.getAll('section').flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  const allowed = sectionsFor(api);
  const bad = raw.find((s) => !allowed.includes(s.toUpperCase()));
  if (bad !== undefined) return invalidField('section', `Invalid value '${bad}', possible values can be [ ${allowed.join(', ')} ]`);
  return raw.length > 0 ? raw.map((s) => s.toUpperCase()) : ['GENERAL'];
}

function list(api: InventoryApi) {
  return (ctx: Ctx): Reply => {
    const sections = requestedSections(ctx, api);
    if (!Array.isArray(sections)) return sections;
    const paging = readPaging(ctx.query, 'general.name:asc');
    if ('error' in paging) return invalidField(paging.field, paging.error);
    const fields = inventoryFields(api);
    let predicate;
    try {
      predicate = compileFilter(ctx.query.get('filter'), fields);
    } catch (err) {
      if (err instanceof RsqlError) return invalidField('filter', `Invalid RSQL filter: ${err.message}`);
      throw err;
    }
    const matching = [...ctx.core.store.computers.values()].filter(predicate);
    const page = pageOf(matching, paging, fields);
    const version = ctx.core.version;
    return { status: 200, json: { totalCount: page.totalCount, results: page.results.map((c) => withEas(ctx, c, renderComputer(c, api, sections, version))) } };
  };
}

function one(api: InventoryApi, detail: boolean) {
  return (ctx: Ctx): Reply => {
    const id = ctx.params.id ?? '';
    if (!/^\d+$/.test(id)) return invalidId(id);
    const computer = ctx.core.store.computers.get(Number(id));
    if (!computer) return notFound('Specified computer object does not exist');
    let sections: string[] = sectionsFor(api);
    if (!detail) {
      const requested = requestedSections(ctx, api);
      if (!Array.isArray(requested)) return requested;
      sections = requested;
    }
    return { status: 200, json: withEas(ctx, computer, renderComputer(computer, api, sections, ctx.core.version)) };
  };
}

function routesFor(api: InventoryApi): Route[] {
  const since = api === 4 ? '11.30.0' : undefined;
  const privileges = [P.readComputers];
  return [
    { method: 'GET', path: `/api/v${api}/computers-inventory`, api: 'pro', privileges, since, handler: list(api) },
    { method: 'GET', path: `/api/v${api}/computers-inventory/{id}`, api: 'pro', privileges, since, handler: one(api, false) },
    { method: 'GET', path: `/api/v${api}/computers-inventory-detail/{id}`, api: 'pro', privileges, since, handler: one(api, true) },
  ];
}

/** Computer inventory v1–v4 (reference §3). */
export const inventoryRoutes: Route[] = ([1, 2, 3, 4] as const).flatMap(routesFor);
