/**
 * What a Jamf Pro answer (or the lack of one) means for the credential, in one table (issue 16,
 * docs/decisions.md "Refused means refused"). Only an unambiguous rejection of the credential
 * itself pauses it; everything that could be a proxy page, a restarting node, a cut connection or
 * a half-written body is "unreachable or failing": retried with back-off, never a pause.
 *
 * Sources: reference/jamf-pro-api.md §1.1 (401 on a bad login), §1.2 (OAuth errors: 401
 * `invalid_client` per Jamf's CLI, 400 `invalid_client` per the OpenAPI document), §1.8 (401 vs
 * 403; re-authenticate once on a 401), §8.1 (429, Retry-After, retry only idempotent calls on
 * 408/5xx), §0.4 (Classic answers 401 where a privilege is missing).
 */

/** Which kind of request the answer is to. */
export type JamfCallKind =
  /** `POST api/oauth/token` (API client). */
  | 'client-token'
  /** `POST api/v1/auth/token` (HTTP Basic, Jamf Pro account). */
  | 'account-token'
  /** `POST api/v1/auth/keep-alive` with the held user token. */
  | 'keep-alive'
  /** `POST api/v1/auth/invalidate-token`. */
  | 'invalidate'
  /** Any other call, made with a bearer token. */
  | 'api';

/** What the answer means. */
export type JamfVerdict =
  /** Jamf Pro accepted the call and its body has the shape superd needs. */
  | 'ok'
  /** The credential itself was refused: pause it until an admin saves another (exit 77). */
  | 'credential-rejected'
  /** The token was refused: get a new one once (or, for keep-alive, log in again). */
  | 'token-rejected'
  /** Authenticated but short of a privilege (JamfPrivilegeError, exit 77, no pause). */
  | 'privilege-missing'
  /** 404: the object is not there, or this server's version lacks the endpoint. */
  | 'not-found'
  /** 409: the request conflicts with the server's state. */
  | 'conflict'
  /** Another 4xx answer to a well-formed call: the server's considered "no" (exit 75, as before). */
  | 'request-refused'
  /** Unreachable or failing: retried with back-off (exit 75), never a pause. */
  | 'unavailable';

export interface ResponseFacts {
  readonly call: JamfCallKind;
  readonly status: number;
  /** For a 2xx: whether the body has the shape superd needs (typed validation). */
  readonly bodyValid?: boolean;
  /** `error` of an RFC 6749 OAuth error body (`invalid_client`), when there is one. */
  readonly oauthError?: string;
  /** For `api` calls: a new token was already obtained for this call after a 401. */
  readonly tokenRenewed?: boolean;
}

export interface RefusalRow {
  /** A stable name for the row (tests and the decision record refer to it). */
  readonly id: string;
  /** When the row applies, in words. */
  readonly when: string;
  readonly matches: (f: ResponseFacts) => boolean;
  readonly verdict: JamfVerdict;
}

const TOKEN_CALLS: ReadonlySet<JamfCallKind> = new Set(['client-token', 'account-token']);
const isToken = (f: ResponseFacts) => TOKEN_CALLS.has(f.call);
const is2xx = (f: ResponseFacts) => f.status >= 200 && f.status < 300;

/**
 * The table, first matching row wins. Read top to bottom: token requests, keep-alive and
 * invalidate, then every other call.
 */
export const REFUSAL_TABLE: readonly RefusalRow[] = [
  { id: 'token-issued', when: 'a token request answered 2xx with a usable token', verdict: 'ok', matches: (f) => isToken(f) && is2xx(f) && f.bodyValid === true },
  { id: 'token-garbled', when: 'a token request answered 2xx with an HTML page, truncated JSON, wrong types or no token', verdict: 'unavailable', matches: (f) => isToken(f) && is2xx(f) },
  { id: 'token-401', when: 'Jamf Pro answered 401 to the token request itself', verdict: 'credential-rejected', matches: (f) => isToken(f) && f.status === 401 },
  { id: 'oauth-400-invalid-client', when: 'Jamf Pro answered 400 invalid_client to the API-client token request', verdict: 'credential-rejected', matches: (f) => f.call === 'client-token' && f.status === 400 && f.oauthError === 'invalid_client' },
  { id: 'token-404', when: 'the token endpoint does not exist (API clients before Jamf Pro 10.49)', verdict: 'not-found', matches: (f) => isToken(f) && f.status === 404 },
  // superd's token request is always well formed and needs no privilege: another 4xx (a 400
  // that is not invalid_client, a 403 from a firewall in front of Jamf Pro) is not about the
  // credential, and no proof that it is wrong.
  { id: 'token-other', when: 'any other answer to a token request (other 4xx, 3xx, 5xx)', verdict: 'unavailable', matches: isToken },
  { id: 'keep-alive-401', when: 'keep-alive refused the held user token', verdict: 'token-rejected', matches: (f) => f.call === 'keep-alive' && f.status === 401 },
  { id: 'invalidate-401', when: 'invalidate-token: the token was already invalid', verdict: 'token-rejected', matches: (f) => f.call === 'invalidate' && f.status === 401 },
  { id: 'api-2xx', when: 'a call answered 2xx with the shape superd needs', verdict: 'ok', matches: (f) => is2xx(f) && f.bodyValid !== false },
  { id: 'api-2xx-garbled', when: 'a call answered 2xx with an HTML page, truncated JSON, wrong types or null', verdict: 'unavailable', matches: is2xx },
  { id: 'api-401-first', when: 'a call was refused 401 with a token Jamf Pro issued: the token, not the credential', verdict: 'token-rejected', matches: (f) => f.status === 401 && f.tokenRenewed !== true },
  { id: 'api-401-again', when: 'a call was refused 401 again with a freshly issued token: a server fault', verdict: 'unavailable', matches: (f) => f.status === 401 },
  { id: 'api-403', when: 'a call was refused 403', verdict: 'privilege-missing', matches: (f) => f.status === 403 },
  { id: 'api-404', when: 'a call answered 404', verdict: 'not-found', matches: (f) => f.status === 404 },
  { id: 'api-409', when: 'a call answered 409', verdict: 'conflict', matches: (f) => f.status === 409 },
  { id: 'api-408-429', when: 'request timeout (408) or rate limited (429)', verdict: 'unavailable', matches: (f) => f.status === 408 || f.status === 429 },
  { id: 'api-4xx', when: 'any other 4xx', verdict: 'request-refused', matches: (f) => f.status >= 400 && f.status < 500 },
  { id: 'api-other', when: '5xx, or a 1xx/3xx Jamf Pro never sends (a proxy redirect)', verdict: 'unavailable', matches: () => true },
];

/** The row of REFUSAL_TABLE that decides this answer. Pure. */
export function classifyResponse(facts: ResponseFacts): RefusalRow {
  // The last row matches everything, so find() always succeeds.
  return REFUSAL_TABLE.find((row) => row.matches(facts)) as RefusalRow;
}

/** What a failure below HTTP means; every one is "unavailable", never a pause. */
export interface ConnectionVerdict {
  readonly verdict: 'unavailable';
  /**
   * Worth repeating within the run for a call that may be repeated: the request went out and no
   * answer (or only part of one) came back, or the connection was reset or refused. DNS, routing
   * and TLS problems do not change in seconds: the run ends and is retried later instead.
   */
  readonly retryInRun: boolean;
  /** The certificate was not trusted or does not name the host (decisions.md: never a pause). */
  readonly tls: boolean;
}

const RETRY_IN_RUN: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
  // A request that got no (complete) answer in time: Jamf Pro or a node behind its balancer stalled.
  'timeout', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

const TLS_CODES: ReadonlySet<string> = new Set([
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_UNTRUSTED', 'CERT_REVOKED',
]);

/** The verdict on a failure below HTTP, by its code (`ECONNRESET`, `timeout`, `CERT_HAS_EXPIRED`…). Pure. */
export function classifyConnectionFailure(code: string): ConnectionVerdict {
  return { verdict: 'unavailable', retryInRun: RETRY_IN_RUN.has(code), tls: TLS_CODES.has(code) };
}
