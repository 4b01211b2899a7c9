import { STATUS_CODES } from 'node:http';
import { JamfAuthError, JamfEndpointUnavailableError, JamfHttpError, JamfPrivilegeError, type SuperdError } from '../errors';
import { describeVersionRange, versionGateFor, versionServes } from './endpointVersions';
import { apiErrorCauses, summariseErrorBody } from './errorBody';
import { maskSecrets, redactServerText } from './maskSecrets';
import { KNOWN_PRIVILEGES, privilegesFor } from './privileges';
import { classifyResponse, type JamfCallKind } from './refusal';

/** A response the client could not accept, after any re-authentication and retries. */
export interface FailedResponse {
  readonly method: string;
  /** Relative to the base URL, without the query. */
  readonly path: string;
  readonly status: number;
  readonly text: string;
  readonly retryAfterMs?: number;
  /** Which kind of request this answers (refusal.ts); `api` when omitted. */
  readonly call?: JamfCallKind;
  /** `error` of an OAuth error body, for a token request. */
  readonly oauthError?: string;
}

export interface ErrorContext {
  /** `API client 6cab…` / `Jamf Pro account "svc"` (never a secret). */
  readonly credential: string;
  /** Whether the credential is an API client (for where to add a privilege). */
  readonly isClient: boolean;
  /** Masked out of every message: secrets, passwords, tokens. */
  readonly secrets: readonly string[];
  /** The server's version, when the client knows it (used for a 404 on a version-gated endpoint). */
  readonly serverVersion?: string;
}

function statusText(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trim();
}

/** Privilege names the server itself put in its error body, if any. */
function privilegesNamedInBody(text: string): string[] {
  const words = apiErrorCauses(text).flatMap((c) => [c.description, c.field]).filter((s): s is string => typeof s === 'string');
  const haystack = words.join('\n').toLowerCase();
  return KNOWN_PRIVILEGES.filter((p) => haystack.includes(p.toLowerCase()));
}

function privilegeError(res: FailedResponse, ctx: ErrorContext): JamfPrivilegeError {
  const where = ctx.isClient
    ? "Add them to an API role of this client in Jamf Pro (Settings › System › API roles and clients)"
    : "Add them to this account's privileges in Jamf Pro (Settings › System › User accounts and groups)";
  const named = privilegesNamedInBody(res.text);
  const needed = named.length > 0 ? named : [...(privilegesFor(res.method, res.path) ?? [])];
  const call = `${res.method} ${res.path}`;
  let message: string;
  if (named.length > 0) {
    message = `Jamf Pro refused ${call} (403): ${ctx.credential} lacks the privilege(s) ${named.join(', ')}. ${where}.`;
  } else if (needed.length > 0) {
    message = `Jamf Pro refused ${call} (403): ${ctx.credential} lacks a privilege this call needs. ` +
      `It needs all of: ${needed.join(', ')}. ${where}.`;
  } else {
    message = `Jamf Pro refused ${call} (403): ${ctx.credential} lacks a privilege this call needs, and Jamf Pro did not ` +
      "say which. The privileges each endpoint needs are listed in the server's API documentation at /api/doc.";
  }
  return new JamfPrivilegeError(res.method, res.path, needed, maskSecrets(message, ctx.secrets));
}

/**
 * Turns a response the client cannot accept into the typed error that says what to fix, by the
 * verdict of refusal.ts (the client only gives up after any re-authentication and retries):
 * a refused credential → JamfAuthError (only for token requests), 403 → JamfPrivilegeError naming
 * the privileges, 404 on an endpoint the server's version lacks → JamfEndpointUnavailableError,
 * "unavailable" (5xx, 429, a second 401 with a fresh token, anything a proxy sends) → JamfHttpError
 * that says superd tries again later, any other 4xx → JamfHttpError. Text from the server is
 * redacted (known secrets and anything token-shaped) before it joins a message.
 */
export function errorForResponse(res: FailedResponse, ctx: ErrorContext): SuperdError {
  const call = `${res.method} ${res.path}`;
  const summary = redactServerText(summariseErrorBody(res.text), ctx.secrets);
  const detail = summary ? `: ${summary}` : '';
  const mask = (m: string) => maskSecrets(m, ctx.secrets);
  const row = classifyResponse({
    call: res.call ?? 'api', status: res.status, tokenRenewed: true, bodyValid: false,
    ...(res.oauthError !== undefined && { oauthError: res.oauthError }),
  });

  if (row.verdict === 'credential-rejected') {
    return new JamfAuthError(mask(`Jamf Pro rejected ${ctx.credential} (${res.status}) at ${call}${detail}. Check the credential in Jamf Pro, then save it again.`), res.status);
  }
  if (row.verdict === 'privilege-missing') return privilegeError(res, ctx);
  if (row.verdict === 'not-found') {
    const gate = versionGateFor(res.method, res.path);
    if (gate && ctx.serverVersion && !versionServes(gate, ctx.serverVersion)) {
      return new JamfEndpointUnavailableError(
        res.method, res.path, ctx.serverVersion, { ...(gate.since && { since: gate.since }), ...(gate.removedIn && { removedIn: gate.removedIn }) },
        mask(`Jamf Pro ${ctx.serverVersion} does not offer ${call}: this endpoint ${describeVersionRange(gate)}.`),
      );
    }
    const versionHint = gate && !ctx.serverVersion ? ` (this endpoint ${describeVersionRange(gate)}; the server's version could not be read)` : '';
    return new JamfHttpError(res.method, res.path, 404, mask(`Jamf Pro answered 404 Not Found to ${call}${detail}${versionHint}`));
  }
  const retryAfterSeconds = res.retryAfterMs === undefined ? undefined : Math.ceil(res.retryAfterMs / 1000);
  const later = retryAfterSeconds === undefined ? '' : ` (Jamf Pro asked to retry after ${retryAfterSeconds} s)`;
  if (row.verdict === 'unavailable') {
    let why = '';
    if (res.status === 401) {
      const classic = /^JSSResource\//i.test(res.path);
      const needs = privilegesFor(res.method, res.path) ?? [];
      why = ` Jamf Pro refused a token it had just issued to ${ctx.credential}: a server fault, not a refused credential.` +
        (classic
          ? ` The Classic API also answers 401 when a privilege is missing; ${needs.length > 0 ? `this call needs: ${needs.join(', ')}` : 'check the privileges of the API role'}.`
          : '');
    }
    return new JamfHttpError(res.method, res.path, res.status,
      mask(`Jamf Pro is unreachable or failing: it answered ${statusText(res.status)} to ${call}${detail}${later}.${why} superd tries again later; the credential stays in use.`), retryAfterSeconds);
  }
  return new JamfHttpError(res.method, res.path, res.status, mask(`Jamf Pro answered ${statusText(res.status)} to ${call}${detail}${later}`), retryAfterSeconds);
}
