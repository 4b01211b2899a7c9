import { randomUUID } from 'node:crypto';
import { apiError, cause, isRecord, parseJsonBody, unreadableBody, type ApiErrorCause, type Ctx, type Reply } from '../http';
import { P } from '../privileges';
import type { Route } from '../router';

const BASE = '/api/v1/managed-software-updates';
const TOGGLE_WRITE = [P.readMsu, P.createMsu, P.updateMsu];

function toggleBody(value: boolean): Record<string, boolean> {
  return { toggle: value, forceInstallLocalDateEnabled: true, customVersionEnabled: false, dssEnabled: true, recipeEnabled: false };
}

/** PUT /plans/feature-toggle: accepted at once, applied when the background job finishes (reference §4.2). */
function putToggle(ctx: Ctx): Reply {
  const parsed = parseJsonBody(ctx);
  if (!parsed.ok) return unreadableBody();
  const body = parsed.value;
  if (!isRecord(body) || typeof body.toggle !== 'boolean') return apiError(400, [cause('INVALID_FIELD', 'must not be null', 'toggle')]);
  const core = ctx.core;
  if (!core.toggle.request(body.toggle, core.plans.plans.size)) {
    return apiError(400, [cause('INVALID_FIELD', 'A feature toggle job is already running; wait for it or abandon it', 'toggle')]);
  }
  return { status: 200, json: toggleBody(body.toggle) };
}

const LEGACY_ACTIONS = ['DOWNLOAD_AND_INSTALL', 'DOWNLOAD_ONLY'];

/** Legacy POST /api/v1/macos-managed-software-updates/send-updates (reference §5.1). */
function sendUpdates(ctx: Ctx): Reply {
  const parsed = parseJsonBody(ctx);
  if (!parsed.ok) return unreadableBody();
  const b = parsed.value;
  if (!isRecord(b)) return unreadableBody();
  const errors: ApiErrorCause[] = [];
  const ids = b.deviceIds;
  if ((ids === undefined || ids === null) && (b.groupId === undefined || b.groupId === null)) errors.push(cause('INVALID_FIELD', 'Either deviceIds or groupId is required', 'deviceIds'));
  if (ids !== undefined && ids !== null && (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string' && typeof x !== 'number'))) {
    errors.push(cause('INVALID_FIELD', 'must be an array of device ids', 'deviceIds'));
  }
  if (b.updateAction !== undefined && !LEGACY_ACTIONS.includes(String(b.updateAction))) {
    errors.push(cause('INVALID_FIELD', `Invalid value '${String(b.updateAction)}', possible values can be [ ${LEGACY_ACTIONS.join(', ')} ]`, 'updateAction'));
  }
  if (b.priority !== undefined && b.priority !== 'HIGH' && b.priority !== 'LOW') {
    errors.push(cause('INVALID_FIELD', `Invalid value '${String(b.priority)}', possible values can be [ HIGH, LOW ]`, 'priority'));
  }
  if (b.maxDeferrals !== undefined && !(typeof b.maxDeferrals === 'number' && Number.isInteger(b.maxDeferrals) && b.maxDeferrals >= 0)) {
    errors.push(cause('INVALID_FIELD', 'must be greater than or equal to 0', 'maxDeferrals'));
  }
  if (b.groupId !== undefined && b.groupId !== null) errors.push(cause('INVALID_FIELD', `Computer group with id ${String(b.groupId)} does not exist`, 'groupId'));
  if (errors.length > 0) return apiError(400, errors);
  const deviceIds = (ids as (string | number)[]).map(String);
  const known = deviceIds.filter((id) => ctx.core.store.computers.has(Number(id)));
  const failed = deviceIds.filter((id) => !known.includes(id)).map((id) => cause('NOT_FOUND', `Computer with id ${id} does not exist`, 'deviceIds', id));
  ctx.core.events.emit('sendUpdates', {
    deviceIds: known,
    version: typeof b.version === 'string' ? b.version : undefined,
    updateAction: (b.updateAction as string | undefined) ?? 'DOWNLOAD_ONLY',
    forceRestart: b.forceRestart === true,
    maxDeferrals: typeof b.maxDeferrals === 'number' ? b.maxDeferrals : undefined,
    skipVersionVerification: b.skipVersionVerification === true,
    applyMajorUpdate: b.applyMajorUpdate === true,
    priority: (b.priority as string | undefined) ?? 'HIGH',
  });
  return { status: 200, json: { processManagerUuids: known.map(() => randomUUID()), errors: failed } };
}

/** POST /api/v2/mdm/blank-push (reference §5.4): unknown management ids come back in errorUuids. */
function blankPush(ctx: Ctx): Reply {
  const parsed = parseJsonBody(ctx);
  if (!parsed.ok) return unreadableBody();
  const b = parsed.value;
  if (!isRecord(b) || !Array.isArray(b.clientManagementIds) || b.clientManagementIds.some((x) => typeof x !== 'string')) {
    return apiError(400, [cause('INVALID_FIELD', 'must not be null', 'clientManagementIds')]);
  }
  const ids = b.clientManagementIds as string[];
  const known = ids.filter((id) => ctx.core.store.computerByManagementId(id) !== undefined);
  const errorUuids = ids.filter((id) => !known.includes(id));
  if (known.length > 0) ctx.core.events.emit('blankPush', { managementIds: known });
  return { status: 200, json: { errorUuids } };
}

export const msuRoutes: Route[] = [
  { method: 'GET', path: `${BASE}/plans/feature-toggle`, api: 'pro', privileges: [P.readMsu], handler: (ctx) => ({ status: 200, json: toggleBody(ctx.core.toggle.value) }) },
  { method: 'PUT', path: `${BASE}/plans/feature-toggle`, api: 'pro', privileges: TOGGLE_WRITE, handler: putToggle },
  { method: 'GET', path: `${BASE}/plans/feature-toggle/status`, api: 'pro', privileges: [P.readMsu], handler: (ctx) => ({ status: 200, json: ctx.core.toggle.snapshot() }) },
  {
    method: 'POST',
    path: `${BASE}/plans/feature-toggle/abandon`,
    api: 'pro',
    privileges: TOGGLE_WRITE,
    handler: (ctx) => {
      ctx.core.toggle.abandon();
      return { status: 204 };
    },
  },
  { method: 'GET', path: `${BASE}/available-updates`, api: 'pro', handler: (ctx) => ({ status: 200, json: { availableUpdates: { macOS: [...ctx.core.store.availableUpdates.macOS], iOS: [...ctx.core.store.availableUpdates.iOS] } } }) },
  { method: 'GET', path: '/api/v1/macos-managed-software-updates/available-updates', api: 'pro', handler: (ctx) => ({ status: 200, json: { availableUpdates: [...ctx.core.store.availableUpdates.macOS] } }) },
  { method: 'POST', path: '/api/v1/macos-managed-software-updates/send-updates', api: 'pro', privileges: [P.sendMacUpdate], handler: sendUpdates },
  { method: 'POST', path: '/api/v2/mdm/blank-push', api: 'pro', privileges: [P.viewMdmCommands], handler: blankPush },
];
