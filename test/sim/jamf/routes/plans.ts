import { randomUUID } from 'node:crypto';
import { apiError, cause, invalidField, notFound, parseJsonBody, unreadableBody, type Ctx, type Reply } from '../http';
import { pageOf, readPaging } from '../paging';
import type { ObjectType, Plan } from '../planModel';
import { validatePlanPost } from '../planValidation';
import { P } from '../privileges';
import type { Route } from '../router';
import { RsqlError, compileFilter, type FieldGetters } from '../rsql';

const BASE = '/api/v1/managed-software-updates';
const READ = [P.readMsu, P.readComputers, P.readMobileDevices];
const CREATE = [P.createMsu, P.readComputers, P.readMobileDevices, P.sendMacUpdate, P.sendIosUpdate];

const deviceHref = (id: string, type: ObjectType): string => (type === 'COMPUTER' ? `/v1/computers-inventory/${id}` : `/v2/mobile-devices/${id}`);

export function renderPlan(p: Plan): Record<string, unknown> {
  return {
    planUuid: p.planUuid,
    device: { deviceId: p.deviceId, objectType: p.objectType, href: deviceHref(p.deviceId, p.objectType) },
    updateAction: p.updateAction,
    versionType: p.versionType,
    specificVersion: p.specificVersion,
    buildVersion: p.buildVersion,
    maxDeferrals: p.maxDeferrals,
    forceInstallLocalDateTime: p.forceInstallLocalDateTime,
    recipeId: p.recipeId,
    status: { state: p.state, errorReasons: [...p.errorReasons] },
  };
}

const PLAN_FIELDS: FieldGetters<Plan> = {
  planUuid: (p) => p.planUuid,
  'device.deviceId': (p) => p.deviceId,
  'device.objectType': (p) => p.objectType,
  updateAction: (p) => p.updateAction,
  versionType: (p) => p.versionType,
  specificVersion: (p) => p.specificVersion,
  maxDeferrals: (p) => p.maxDeferrals,
  recipeId: (p) => p.recipeId,
  forceInstallLocalDateTime: (p) => p.forceInstallLocalDateTime,
  state: (p) => p.state,
};

/** POST /plans (reference §4.6). */
function createPlans(ctx: Ctx): Reply {
  const core = ctx.core;
  const parsed = parseJsonBody(ctx);
  if (!parsed.ok) return unreadableBody();
  const checked = validatePlanPost(parsed.value, false);
  if (!checked.ok) return apiError(400, checked.errors);
  if (!core.toggle.value && core.settings.plansWhenToggleOff === 'reject') {
    // The real answer is undocumented (reference §12.3); this is the simulator's choice.
    return apiError(400, [cause('INVALID_FIELD', 'The Managed Software Updates feature toggle is off', null)]);
  }
  if (core.settings.unknownPlanDevice === 'reject') {
    const unknown = checked.value.devices.filter((d) => d.objectType !== 'COMPUTER' || !core.store.computers.has(Number(d.deviceId)));
    if (unknown.length > 0) {
      return apiError(400, unknown.map((d) => cause('INVALID_FIELD', `${d.objectType} with id ${d.deviceId} does not exist`, 'devices.deviceId', d.deviceId)));
    }
  }
  const plans = checked.value.devices.map((d) => core.plans.create(d.deviceId, d.objectType, checked.value.config));
  return {
    status: 201,
    json: {
      plans: plans.map((p) => ({
        device: { deviceId: p.deviceId, objectType: p.objectType, href: deviceHref(p.deviceId, p.objectType) },
        planId: p.planUuid,
        href: `/v1/managed-software-updates/plans/${p.planUuid}`,
      })),
    },
  };
}

function listPlans(ctx: Ctx): Reply {
  const paging = readPaging(ctx.query, 'planUuid:asc');
  if ('error' in paging) return invalidField(paging.field, paging.error);
  let predicate;
  try {
    predicate = compileFilter(ctx.query.get('filter'), PLAN_FIELDS);
  } catch (err) {
    if (err instanceof RsqlError) return invalidField('filter', `Invalid RSQL filter: ${err.message}`);
    throw err;
  }
  const page = pageOf([...ctx.core.plans.plans.values()].filter(predicate), paging, PLAN_FIELDS);
  return { status: 200, json: { totalCount: page.totalCount, results: page.results.map(renderPlan) } };
}

function findPlan(ctx: Ctx): Plan | Reply {
  const plan = ctx.core.plans.plans.get((ctx.params.id ?? '').toUpperCase());
  return plan ?? notFound('Managed Software Update Plan with that id does not exist');
}

function getPlan(ctx: Ctx): Reply {
  const plan = findPlan(ctx);
  return 'planUuid' in plan ? { status: 200, json: renderPlan(plan) } : plan;
}

/** DDM plans carry a software-update enforcement declaration (Apple's configuration type). */
function declarations(ctx: Ctx): Reply {
  const plan = findPlan(ctx);
  if (!('planUuid' in plan)) return plan;
  if (plan.updateAction !== 'DOWNLOAD_INSTALL_SCHEDULE') return { status: 200, json: { declarations: [] } };
  const enforcement: Record<string, string> = { TargetOSVersion: plan.targetVersion ?? plan.specificVersion };
  if (plan.forceInstallLocalDateTime) enforcement.TargetLocalDateTime = plan.forceInstallLocalDateTime;
  return {
    status: 200,
    json: {
      declarations: [
        { uuid: randomUUID(), payloadJson: JSON.stringify({ StandardConfigurations: [] }), type: 'com.apple.activation.simple', group: 'ACTIVATION' },
        { uuid: randomUUID(), payloadJson: JSON.stringify(enforcement), type: 'com.apple.configuration.softwareupdate.enforcement.specific', group: 'CONFIGURATION' },
        {
          uuid: randomUUID(),
          payloadJson: JSON.stringify({ StatusItems: ['softwareupdate.install-state', 'softwareupdate.pending-version', 'softwareupdate.failure-reason'] }),
          type: 'com.apple.configuration.management.status-subscriptions',
          group: 'CONFIGURATION',
        },
      ],
    },
  };
}

/** The plan's event store is one opaque string (its format is undocumented); the simulator writes JSON lines. */
function events(ctx: Ctx): Reply {
  const plan = findPlan(ctx);
  if (!('planUuid' in plan)) return plan;
  const lines = plan.history.map((h) => JSON.stringify({ eventType: 'PlanStateChanged', state: h.state, timestamp: new Date(h.at).toISOString() }));
  return { status: 200, json: { events: lines.join('\n') } };
}

export const planRoutes: Route[] = [
  { method: 'POST', path: `${BASE}/plans`, api: 'pro', privileges: CREATE, handler: createPlans },
  { method: 'GET', path: `${BASE}/plans`, api: 'pro', privileges: READ, handler: listPlans },
  { method: 'GET', path: `${BASE}/plans/{id}`, api: 'pro', privileges: READ, handler: getPlan },
  { method: 'GET', path: `${BASE}/plans/{id}/declarations`, api: 'pro', privileges: READ, handler: declarations },
  { method: 'GET', path: `${BASE}/plans/{id}/events`, api: 'pro', privileges: READ, handler: events },
];
