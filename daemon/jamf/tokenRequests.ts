import { JamfAuthError, JamfEndpointUnavailableError, JamfHttpError } from '../errors';
import { credentialSecrets, describeCredential, type JamfCredential } from './credentials';
import { apiErrorCauses } from './errorBody';
import { maskSecrets } from './maskSecrets';
import { errorForResponse } from './responseError';
import type { RawResponse, SendFn } from './transport';

/*
 * Token requests are single attempts, never retried here: a rejected login must not be repeated
 * (failed logins count toward Jamf Pro's account lockout), and any other failure fails the call
 * with a typed error so that the scheduler retries the whole run later.
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

function json(res: RawResponse): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(res.text);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function otherFailure(method: string, path: string, res: RawResponse, credential: JamfCredential, extra: readonly string[] = []) {
  return errorForResponse(
    { method, path, status: res.status, text: res.text },
    { credential: describeCredential(credential), isClient: credential.kind === 'client', secrets: [...credentialSecrets(credential), ...extra] },
  );
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

function userToken(res: RawResponse, sentAt: number, credential: JamfCredential): BearerToken {
  const body = json(res);
  if (typeof body.token !== 'string' || body.token === '') {
    throw new JamfHttpError('POST', ACCOUNT_TOKEN_PATH, res.status, `Jamf Pro answered ${res.status} without a token for ${describeCredential(credential)}`);
  }
  const lifetime = Math.max(0, userTokenLifetime(body.expires, res.headers.date, sentAt));
  return { value: body.token, kind: 'account', issuedAt: sentAt, expiresAt: sentAt + lifetime };
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
  if (res.status === 200) {
    const b = json(res);
    if (typeof b.access_token !== 'string' || b.access_token === '') {
      throw new JamfAuthError(`Jamf Pro issued no access token for ${who}: check that the API client is enabled in Jamf Pro.`, res.status);
    }
    const seconds = Number(b.expires_in);
    const lifetime = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : FALLBACK_LIFETIME_MS;
    return { value: b.access_token, kind: 'client', issuedAt: sentAt, expiresAt: sentAt + lifetime };
  }
  if (res.status === 400 || res.status === 401) {
    const b = json(res);
    const reason = typeof b.error === 'string' ? ` (${b.error})` : '';
    throw new JamfAuthError(maskSecrets(
      `Jamf Pro rejected ${who}${reason}: check the client ID and secret, and that the API client is enabled in Jamf Pro (Settings › System › API roles and clients).`,
      credentialSecrets(credential),
    ), res.status);
  }
  if (res.status === 404) {
    throw new JamfEndpointUnavailableError('POST', CLIENT_TOKEN_PATH, undefined, { since: '10.49.0' },
      `Jamf Pro has no ${CLIENT_TOKEN_PATH}: API clients need Jamf Pro 10.49.0 or later. Upgrade Jamf Pro or use a Jamf Pro account.`);
  }
  throw otherFailure('POST', CLIENT_TOKEN_PATH, res, credential);
}

/**
 * `POST api/v1/auth/token` with HTTP Basic (reference §1.1). A rejected login is never repeated:
 * failed logins count toward Jamf Pro's account lockout.
 */
export async function requestAccountToken(send: SendFn, credential: Extract<JamfCredential, { kind: 'account' }>, now: () => number, signal?: AbortSignal): Promise<BearerToken> {
  const basic = Buffer.from(`${credential.username}:${credential.password}`, 'utf8').toString('base64');
  const sentAt = now();
  const res = await send({ method: 'POST', path: ACCOUNT_TOKEN_PATH, signal, attempt: 1, headers: { authorization: `Basic ${basic}`, accept: 'application/json' } });
  if (res.status === 200) return userToken(res, sentAt, credential);
  const who = describeCredential(credential);
  if (res.status === 401) {
    const expired = apiErrorCauses(res.text).some((c) => c.code === 'USER_EXPIRED_PASSWORD');
    throw new JamfAuthError(expired
      ? `The password of ${who} has expired or must be changed: change it in Jamf Pro, then save the new one in superd.`
      : `Jamf Pro rejected the user name or password of ${who}. superd does not retry a rejected login, because repeated failures lock the account.`, 401);
  }
  throw otherFailure('POST', ACCOUNT_TOKEN_PATH, res, credential);
}

/**
 * `POST api/v1/auth/keep-alive` (reference §1.3): a user token is exchanged for a new one with a
 * later expiry, and the old one stops working. Returns undefined when the server refuses (401),
 * so the caller can log in again instead.
 */
export async function keepAlive(send: SendFn, old: BearerToken, credential: JamfCredential, now: () => number, signal?: AbortSignal): Promise<BearerToken | undefined> {
  const sentAt = now();
  const res = await send({ method: 'POST', path: KEEP_ALIVE_PATH, signal, attempt: 1, headers: { authorization: `Bearer ${old.value}`, accept: 'application/json' } });
  if (res.status === 200) return userToken(res, sentAt, credential);
  if (res.status === 401) return undefined;
  throw otherFailure('POST', KEEP_ALIVE_PATH, res, credential, [old.value]);
}

export type InvalidateOutcome = 'invalidated' | 'already-invalid' | 'expired' | 'none';

/** `POST api/v1/auth/invalidate-token` (reference §1.4): 204 done, 401 the token was already invalid. */
export async function invalidateToken(send: SendFn, token: BearerToken, credential: JamfCredential, signal?: AbortSignal): Promise<InvalidateOutcome> {
  const res = await send({ method: 'POST', path: INVALIDATE_PATH, signal, attempt: 1, headers: { authorization: `Bearer ${token.value}` } });
  if (res.status === 204 || res.status === 200) return 'invalidated';
  if (res.status === 401) return 'already-invalid';
  throw otherFailure('POST', INVALIDATE_PATH, res, credential, [token.value]);
}
