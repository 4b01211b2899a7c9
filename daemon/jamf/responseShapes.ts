/**
 * Typed validation of the Jamf Pro answers superd acts on (issue 16). A 2xx whose body does not
 * have the documented shape (an HTML page from a proxy, truncated JSON, `null`, a number where a
 * string belongs) is "unavailable" in refusal.ts: a server fault, retried later; never a crash,
 * never success. Shapes: the OpenAPI documents in reference/jamf-openapi/ (11.30.0) and
 * reference/jamf-pro-api.md (§1.1 AuthTokenV1, §1.2 OAuthTokenResponse, §1.5 AuthorizationV1,
 * §2.1 JamfProVersion, §3.2 computers-inventory, §4.1 feature toggle, §4.6 plan creation, §4.9 plan).
 * Only the fields superd reads are checked; unknown fields are allowed (newer servers add some).
 */
import type { JamfAuthorization, JamfProVersion } from './apiTypes';

export type ShapeResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };
/** Checks a parsed body; `problem` says what is wrong, without echoing the body. */
export type Shape<T> = (body: unknown) => ShapeResult<T>;

const good = <T>(value: T): ShapeResult<T> => ({ ok: true, value });
const bad = (problem: string): ShapeResult<never> => ({ ok: false, problem });

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What a body is, in words for a message (never its content). */
export function describeBody(body: unknown): string {
  if (body === undefined) return 'an empty body';
  if (body === null) return 'null';
  if (typeof body === 'string') return /<html[\s>]|<!doctype html/i.test(body) ? 'an HTML page' : 'a body that is not JSON';
  if (Array.isArray(body)) return 'a JSON array';
  return typeof body === 'object' ? 'a JSON object' : `a JSON ${typeof body}`;
}

const optional = (v: unknown, test: (x: unknown) => boolean) => v === undefined || v === null || test(v);
const isString = (x: unknown): x is string => typeof x === 'string';
const nonEmpty = (x: unknown): x is string => typeof x === 'string' && x !== '';
const stringArray = (x: unknown) => Array.isArray(x) && x.every(isString);

function object(body: unknown, what: string): ShapeResult<Record<string, unknown>> {
  return isRecord(body) ? good(body) : bad(`${what}: expected a JSON object, got ${describeBody(body)}`);
}

/** `OAuthTokenResponse`: `access_token` (non-empty string), `expires_in` (number of seconds). */
export const clientTokenShape: Shape<{ access_token: string; expires_in?: number }> = (body) => {
  const o = object(body, 'token response');
  if (!o.ok) return o;
  if (!nonEmpty(o.value.access_token)) return bad('token response: access_token is missing or not a string (is the API client enabled in Jamf Pro?)');
  if (!optional(o.value.expires_in, (x) => typeof x === 'number' && Number.isFinite(x))) return bad('token response: expires_in is not a number');
  return good(o.value as { access_token: string; expires_in?: number });
};

/** `AuthTokenV1`: `token` (non-empty string), `expires` (ISO-8601 string). */
export const userTokenShape: Shape<{ token: string; expires?: string }> = (body) => {
  const o = object(body, 'token response');
  if (!o.ok) return o;
  if (!nonEmpty(o.value.token)) return bad('token response: token is missing or not a string');
  if (!optional(o.value.expires, isString)) return bad('token response: expires is not a string');
  return good(o.value as { token: string; expires?: string });
};

/** `JamfProVersion`: `version`, a non-empty string. */
export const versionShape: Shape<JamfProVersion> = (body) => {
  const o = object(body, 'jamf-pro-version');
  if (!o.ok) return o;
  return nonEmpty(o.value.version) ? good({ version: o.value.version }) : bad('jamf-pro-version: version is missing or not a string');
};

/**
 * `AuthorizationV1`. `null` or an empty body is refused (it used to skip the privilege check);
 * the privilege lists, when present, must be lists of strings. An object without any list is
 * accepted: the body for an API-client token is undocumented, and the credential check then
 * confirms the privileges by harmless reads instead (auth/jamfCredentialCheck.ts).
 */
export const authorizationShape: Shape<JamfAuthorization> = (body) => {
  const o = object(body, 'GET api/v1/auth');
  if (!o.ok) return o;
  const { account, accountGroups } = o.value;
  if (!optional(account, isRecord)) return bad('GET api/v1/auth: account is not an object');
  if (isRecord(account)) {
    if (!optional(account.privilegeSet, isString)) return bad('GET api/v1/auth: account.privilegeSet is not a string');
    const bySite = account.privilegesBySite;
    if (!optional(bySite, (x) => isRecord(x) && Object.values(x).every(stringArray))) return bad('GET api/v1/auth: account.privilegesBySite is not a map of privilege lists');
  }
  if (!optional(accountGroups, (x) => Array.isArray(x) && x.every((g) => isRecord(g) && optional(g.privileges, stringArray)))) {
    return bad('GET api/v1/auth: accountGroups is not a list of groups with privilege lists');
  }
  return good(o.value as JamfAuthorization);
};

/** `{ results: [...] }` of a collection endpoint, each item checked by `item`. */
export function pageShape<T>(what: string, item: (x: unknown) => string | null): Shape<{ results: T[] }> {
  return (body) => {
    const o = object(body, what);
    if (!o.ok) return o;
    if (!Array.isArray(o.value.results)) return bad(`${what}: results is missing or not a list`);
    for (const r of o.value.results) {
      const problem = item(r);
      if (problem) return bad(`${what}: ${problem}`);
    }
    return good(o.value as { results: T[] });
  };
}

/** A single record, checked by `item`. */
export function recordShape<T>(what: string, item: (x: unknown) => string | null): Shape<T> {
  return (body) => {
    const problem = item(body);
    return problem ? bad(`${what}: ${problem}`) : good(body as T);
  };
}

/** `ComputerInventory` (GENERAL section): `id` and `udid` as superd reads them. */
export function inventoryRecordProblem(r: unknown): string | null {
  if (!isRecord(r)) return `expected a computer record, got ${describeBody(r)}`;
  if (!(nonEmpty(r.id) || (typeof r.id === 'number' && Number.isInteger(r.id)))) return 'a computer has no id';
  if (!optional(r.udid, isString)) return 'a computer udid is not a string';
  if (!optional(r.general, isRecord)) return 'a computer general section is not an object';
  if (isRecord(r.general)) {
    if (!optional(r.general.managementId, isString)) return 'general.managementId is not a string';
    if (!optional(r.general.supervised, (x) => typeof x === 'boolean')) return 'general.supervised is not a boolean';
  }
  return null;
}

/** `ManagedSoftwareUpdatePlan`: `planUuid`, and `status.state` a string when present. */
export function planRecordProblem(p: unknown): string | null {
  if (!isRecord(p)) return `expected a plan, got ${describeBody(p)}`;
  if (!nonEmpty(p.planUuid)) return 'a plan has no planUuid';
  if (!optional(p.status, isRecord)) return 'a plan status is not an object';
  if (isRecord(p.status)) {
    if (!optional(p.status.state, isString)) return 'a plan status.state is not a string';
    if (!optional(p.status.errorReasons, stringArray)) return 'a plan status.errorReasons is not a list of strings';
  }
  return null;
}

/** `PlansToggle` (feature toggle): `toggle`, a boolean. */
export const featureToggleShape: Shape<{ toggle: boolean }> = (body) => {
  const o = object(body, 'plans feature toggle');
  if (!o.ok) return o;
  return typeof o.value.toggle === 'boolean' ? good(o.value as { toggle: boolean }) : bad('plans feature toggle: toggle is not a boolean');
};

/** `ManagedSoftwareUpdatePlanPostResponse`: `plans[]`, each with a `planId` string when present. */
export const planCreatedShape: Shape<{ plans: Array<{ planId?: string }> }> = (body) => {
  const o = object(body, 'plan creation');
  if (!o.ok) return o;
  if (!Array.isArray(o.value.plans) || !o.value.plans.every((p) => isRecord(p) && optional(p.planId, isString))) {
    return bad('plan creation: plans is missing, or a planId is not a string');
  }
  return good(o.value as { plans: Array<{ planId?: string }> });
};

/** Legacy `send-updates` answer (reference §5.1): `processManagerUuids` and `errors`, lists when present. */
export const legacyUpdateShape: Shape<{ processManagerUuids?: string[]; errors?: unknown[] }> = (body) => {
  const o = object(body, 'send-updates');
  if (!o.ok) return o;
  if (!optional(o.value.processManagerUuids, stringArray)) return bad('send-updates: processManagerUuids is not a list of strings');
  if (!optional(o.value.errors, Array.isArray)) return bad('send-updates: errors is not a list');
  return good(o.value as { processManagerUuids?: string[]; errors?: unknown[] });
};

/** `UserAccount` in `GET api/v1/accounts` (reference §7.4): `id` and `username`, strings. */
export function accountRecordProblem(a: unknown): string | null {
  if (!isRecord(a)) return `expected an account, got ${describeBody(a)}`;
  if (!(nonEmpty(a.id) || typeof a.id === 'number')) return 'an account has no id';
  if (!isString(a.username)) return 'an account username is not a string';
  if (!optional(a.failedLoginAttempts, (x) => typeof x === 'number')) return 'an account failedLoginAttempts is not a number';
  return null;
}
