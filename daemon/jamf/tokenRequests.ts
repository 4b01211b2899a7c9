import { JamfAuthError, JamfEndpointUnavailableError, JamfResponseError } from '../errors';
import { credentialSecrets, describeCredential, type JamfCredential } from './credentials';
import { apiErrorCauses } from './errorBody';
import { maskSecrets } from './maskSecrets';
import { classifyResponse, type JamfCallKind, type JamfVerdict } from './refusal';
import { errorForResponse } from './responseError';
import { parseRetryAfter } from './retryAfter';
import { clientTokenShape, isRecord, userTokenShape } from './responseShapes';
import type { RawResponse, SendFn } from './transport';

/*
 * Token requests are single attempts, never retried here: a rejected login must not be repeated
 * (failed logins count toward Jamf Pro's account lockout), and any other failure fails the call
 * with a typed error so that the scheduler retries the whole run later. What each answer means
 * is refusal.ts's table: only a 401 (or an OAuth 400 invalid_client) to the token request itself
 * is a rejected credential; a 2xx with a body of the wrong shape is a server fault.
 */

/** A bearer token and when it stops working, on the local clock. */
export interface BearerToken {
  readonly value: string;
  readonly kind: JamfCredential['kind'];
  /** Local time (ms) the token was requested; the server issued it no earlier. */
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export const CLIENT_TOKEN_PATH = 'api/oauth/token';
export const ACCOUNT_TOKEN_PATH = 'api/v1/auth/token';
export const KEEP_ALIVE_PATH = 'api/v1/auth/keep-alive';
export const INVALIDATE_PATH = 'api/v1/auth/invalidate-token';

/** Lifetime assumed when the server's answer does not say (short: renewing early is harmless). */
const FALLBACK_LIFETIME_MS = 5 * 60_000;

/** The parsed JSON body, or the raw text when it is not JSON (an HTML page, a truncated body). */
function parsed(res: RawResponse): unknown {
  if (res.text.trim() === '') return undefined;
  try {
    return JSON.parse(res.text) as unknown;
  } catch {
    return res.text;
  }
}

/** RFC 6749 §5.2 error codes; only these are echoed from an OAuth error body. */
const OAUTH_ERRORS = new Set(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope']);

function oauthError(res: RawResponse): string | undefined {
  const body = parsed(res);
  const error = isRecord(body) ? body.error : undefined;
  return typeof error === 'string' && OAUTH_ERRORS.has(error) ? error : undefined;
}

function otherFailure(method: string, path: string, res: RawResponse, credential: JamfCredential, call: JamfCallKind, now: () => number, extra: readonly string[] = []) {
  const error = call === 'client-token' ? oauthError(res) : undefined;
  // A 503 or 429 with Retry-After: the scheduler waits at least that long (schedule/spread.ts).
  const retryAfterMs = parseRetryAfter(res.headers['retry-after'], now());
  return errorForResponse(
    { method, path, status: res.status, text: res.text, call, ...(error !== undefined && { oauthError: error }), ...(retryAfterMs !== undefined && { retryAfterMs }) },
    { credential: describeCredential(credential), isClient: credential.kind === 'client', secrets: [...credentialSecrets(credential), ...extra] },
  );
}

/** A 2xx token answer superd cannot use (HTML, truncated JSON, wrong types): a server fault, never a rejection. */
function garbled(path: string, res: RawResponse, problem: string, who: string): JamfResponseError {
  return new JamfResponseError('POST', path,
    `Jamf Pro is unreachable or failing: it answered ${res.status} to POST ${path} for ${who} with ${problem}. ` +
    'A proxy or maintenance page may be in the way; superd tries again later and keeps using the credential.');
}

/**
 * Lifetime of a user token from its absolute `expires`. Measured against the server's own `Date`
 * header when present, so a Mac whose clock is off does not misjudge the expiry.
 */
function userTokenLifetime(expires: unknown, dateHeader: unknown, sentAt: number): number {
  const at = typeof expires === 'string' ? Date.parse(expires) : Number.NaN;
  if (Number.isNaN(at)) return FALLBACK_LIFETIME_MS;
  const serverNow = typeof dateHeader === 'string' ? Date.parse(dateHeader) : Number.NaN;
  return at - (Number.isNaN(serverNow) ? sentAt : serverNow);
}

function userToken(path: string, res: RawResponse, sentAt: number, credential: JamfCredential): BearerToken {
  const checked = userTokenShape(parsed(res));
  if (!checked.ok) throw garbled(path, res, checked.problem, describeCredential(credential));
  const lifetime = Math.max(0, userTokenLifetime(checked.value.expires, res.headers.date, sentAt));
  return { value: checked.value.token, kind: 'account', issuedAt: sentAt, expiresAt: sentAt + lifetime };
}

/** The refusal.ts verdict on a token answer (a 2xx is judged with its body checked). */
function verdictOf(call: JamfCallKind, res: RawResponse, bodyValid: boolean): JamfVerdict {
  const error = call === 'client-token' ? oauthError(res) : undefined;
  return classifyResponse({ call, status: res.status, bodyValid, ...(error !== undefined && { oauthError: error }) }).verdict;
}

/** `POST api/oauth/token` with the client credentials grant (reference §1.2). */
export async function requestClientToken(send: SendFn, credential: Extract<JamfCredential, { kind: 'client' }>, now: () => number, signal?: AbortSignal): Promise<BearerToken> {
  const body = new URLSearchParams({ client_id: credential.clientId, client_secret: credential.clientSecret, grant_type: 'client_credentials' }).toString();
  const sentAt = now();
  const res = await send({
    method: 'POST', path: CLIENT_TOKEN_PATH, body, signal, attempt: 1,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
  });
  const who = describeCredential(credential);
  const checked = res.status >= 200 && res.status < 300 ? clientTokenShape(parsed(res)) : undefined;
  switch (verdictOf('client-token', res, checked?.ok === true)) {
    case 'ok': {
      const b = (checked as { ok: true; value: { access_token: string; expires_in?: number } }).value;
      const seconds = b.expires_in ?? Number.NaN;
      const lifetime = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : FALLBACK_LIFETIME_MS;
      return { value: b.access_token, kind: 'client', issuedAt: sentAt, expiresAt: sentAt + lifetime };
    }
    case 'credential-rejected': {
      const error = oauthError(res);
      throw new JamfAuthError(maskSecrets(
        `Jamf Pro rejected ${who} (${res.status}${error ? ` ${error}` : ''}): check the client ID and secret, and that the API client is enabled in Jamf Pro (Settings › System › API roles and clients).`,
        credentialSecrets(credential),
      ), res.status);
    }
    case 'not-found':
      throw new JamfEndpointUnavailableError('POST', CLIENT_TOKEN_PATH, undefined, { since: '10.49.0' },
        `Jamf Pro has no ${CLIENT_TOKEN_PATH}: API clients need Jamf Pro 10.49.0 or later. Upgrade Jamf Pro or use a Jamf Pro account.`);
    default:
      if (checked && !checked.ok) throw garbled(CLIENT_TOKEN_PATH, res, checked.problem, who);
      throw otherFailure('POST', CLIENT_TOKEN_PATH, res, credential, 'client-token', now);
  }
}

/**
 * `POST api/v1/auth/token` with HTTP Basic (reference §1.1). A rejected login is never repeated:
 * failed logins count toward Jamf Pro's account lockout.
 */
export async function requestAccountToken(send: SendFn, credential: Extract<JamfCredential, { kind: 'account' }>, now: () => number, signal?: AbortSignal): Promise<BearerToken> {
  const basic = Buffer.from(`${credential.username}:${credential.password}`, 'utf8').toString('base64');
  const sentAt = now();
  const res = await send({ method: 'POST', path: ACCOUNT_TOKEN_PATH, signal, attempt: 1, headers: { authorization: `Basic ${basic}`, accept: 'application/json' } });
  const who = describeCredential(credential);
  const is2xx = res.status >= 200 && res.status < 300;
  if (is2xx) return userToken(ACCOUNT_TOKEN_PATH, res, sentAt, credential);
  if (verdictOf('account-token', res, false) === 'credential-rejected') {
    const expired = apiErrorCauses(res.text).some((c) => c.code === 'USER_EXPIRED_PASSWORD');
    throw new JamfAuthError(expired
      ? `The password of ${who} has expired or must be changed: change it in Jamf Pro, then save the new one in superd.`
      : `Jamf Pro rejected the user name or password of ${who}. superd does not retry a rejected login, because repeated failures lock the account.`, res.status);
  }
  throw otherFailure('POST', ACCOUNT_TOKEN_PATH, res, credential, 'account-token', now);
}

/**
 * `POST api/v1/auth/keep-alive` (reference §1.3): a user token is exchanged for a new one with a
 * later expiry, and the old one stops working. Returns undefined when the server refuses (401),
 * so the caller can log in again instead.
 */
export async function keepAlive(send: SendFn, old: BearerToken, credential: JamfCredential, now: () => number, signal?: AbortSignal): Promise<BearerToken | undefined> {
  const sentAt = now();
  const res = await send({ method: 'POST', path: KEEP_ALIVE_PATH, signal, attempt: 1, headers: { authorization: `Bearer ${old.value}`, accept: 'application/json' } });
  if (res.status >= 200 && res.status < 300) return userToken(KEEP_ALIVE_PATH, res, sentAt, credential);
  if (verdictOf('keep-alive', res, false) === 'token-rejected') return undefined;
  throw otherFailure('POST', KEEP_ALIVE_PATH, res, credential, 'keep-alive', now, [old.value]);
}

export type InvalidateOutcome = 'invalidated' | 'already-invalid' | 'expired' | 'none';

/** `POST api/v1/auth/invalidate-token` (reference §1.4): 204 done, 401 the token was already invalid. */
export async function invalidateToken(send: SendFn, token: BearerToken, credential: JamfCredential, signal?: AbortSignal): Promise<InvalidateOutcome> {
  const res = await send({ method: 'POST', path: INVALIDATE_PATH, signal, attempt: 1, headers: { authorization: `Bearer ${token.value}` } });
  if (res.status >= 200 && res.status < 300) return 'invalidated';
  if (verdictOf('invalidate', res, false) === 'token-rejected') return 'already-invalid';
  throw otherFailure('POST', INVALIDATE_PATH, res, credential, 'invalidate', Date.now, [token.value]);
}
