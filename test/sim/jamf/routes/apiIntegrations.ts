import { randomBytes } from 'node:crypto';
import { invalidField, invalidId, notFound, type Ctx, type Reply } from '../http';
import { pageOf, readPaging } from '../paging';
import { P, PRIVILEGE_CATALOGUE } from '../privileges';
import type { Route } from '../router';
import { RsqlError, compileFilter, type FieldGetters } from '../rsql';
import type { ApiClient, ApiRole, Store } from '../state';

/** A client secret in the shape Jamf generates (64 URL-safe characters). */
export function newClientSecret(): string {
  return randomBytes(48).toString('base64url');
}

export function renderClient(store: Store, c: ApiClient): Record<string, unknown> {
  return {
    id: c.id,
    authorizationScopes: c.roleIds.map((id) => store.roles.get(id)?.displayName).filter((n): n is string => n !== undefined),
    displayName: c.displayName,
    enabled: c.enabled,
    accessTokenLifetimeSeconds: c.accessTokenLifetimeSeconds,
    appType: c.appType,
    clientId: c.clientId,
  };
}

const renderRole = (r: ApiRole): Record<string, unknown> => ({ id: String(r.id), displayName: r.displayName, privileges: [...r.privileges] });

const CLIENT_FIELDS: FieldGetters<ApiClient> = { id: (c) => c.id, displayName: (c) => c.displayName };
const ROLE_FIELDS: FieldGetters<ApiRole> = { id: (r) => r.id, displayName: (r) => r.displayName };

function listOf<T>(ctx: Ctx, items: T[], fields: FieldGetters<T>, render: (t: T) => unknown): Reply {
  const paging = readPaging(ctx.query, 'id:asc');
  if ('error' in paging) return invalidField(paging.field, paging.error);
  let predicate;
  try {
    predicate = compileFilter(ctx.query.get('filter'), fields);
  } catch (err) {
    if (err instanceof RsqlError) return invalidField('filter', `Invalid RSQL filter: ${err.message}`);
    throw err;
  }
  const page = pageOf(items.filter(predicate), paging, fields);
  return { status: 200, json: { totalCount: page.totalCount, results: page.results.map(render) } };
}

function byId<T>(ctx: Ctx, map: Map<number, T>, what: string): { found: T } | { reply: Reply } {
  const id = ctx.params.id ?? '';
  if (!/^\d+$/.test(id)) return { reply: invalidId(id) };
  const found = map.get(Number(id));
  return found === undefined ? { reply: notFound(`${what} not found`) } : { found };
}

/**
 * POST /api/v1/api-integrations/{id}/client-credentials: a new secret; the
 * previous one stops working for new token requests at once, while tokens
 * already issued live until they expire (reference §6.3).
 */
function rotate(ctx: Ctx): Reply {
  const hit = byId(ctx, ctx.core.store.clients, 'API integration');
  if ('reply' in hit) return hit.reply;
  const found = hit.found;
  if (found.appType !== 'CLIENT_CREDENTIALS') return invalidField('appType', 'Client credentials could not be created for this api integration');
  found.secret = newClientSecret();
  return { status: 200, json: { clientId: found.clientId, clientSecret: found.secret } };
}

function searchPrivileges(ctx: Ctx): Reply {
  const name = (ctx.query.get('name') ?? '').toLowerCase();
  const limit = Number(ctx.query.get('limit') ?? '15');
  const hits = PRIVILEGE_CATALOGUE.filter((p) => p.toLowerCase().includes(name));
  return { status: 200, json: { privileges: hits.slice(0, Number.isInteger(limit) && limit > 0 ? limit : 15) } };
}

export const apiIntegrationRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/api-integrations',
    api: 'pro',
    privileges: [P.readApiIntegrations],
    handler: (ctx) => listOf(ctx, [...ctx.core.store.clients.values()], CLIENT_FIELDS, (c) => renderClient(ctx.core.store, c)),
  },
  {
    method: 'GET',
    path: '/api/v1/api-integrations/{id}',
    api: 'pro',
    privileges: [P.readApiIntegrations],
    handler: (ctx) => {
      const hit = byId(ctx, ctx.core.store.clients, 'API integration');
      return 'reply' in hit ? hit.reply : { status: 200, json: renderClient(ctx.core.store, hit.found) };
    },
  },
  { method: 'POST', path: '/api/v1/api-integrations/{id}/client-credentials', api: 'pro', privileges: [P.createApiIntegrations], handler: rotate },
  { method: 'GET', path: '/api/v1/api-roles', api: 'pro', privileges: [P.readApiRoles], handler: (ctx) => listOf(ctx, [...ctx.core.store.roles.values()], ROLE_FIELDS, renderRole) },
  {
    method: 'GET',
    path: '/api/v1/api-roles/{id}',
    api: 'pro',
    privileges: [P.readApiRoles],
    handler: (ctx) => {
      const hit = byId(ctx, ctx.core.store.roles, 'API role');
      return 'reply' in hit ? hit.reply : { status: 200, json: renderRole(hit.found) };
    },
  },
  { method: 'GET', path: '/api/v1/api-role-privileges', api: 'pro', privileges: [P.readApiRoles], handler: () => ({ status: 200, json: { privileges: [...PRIVILEGE_CATALOGUE] } }) },
  { method: 'GET', path: '/api/v1/api-role-privileges/search', api: 'pro', privileges: [P.readApiRoles], handler: searchPrivileges },
];
