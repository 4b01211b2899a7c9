import type { Dispatcher } from 'undici';
import { SUPERD_VERSION } from '../buildInfo';
import { InternalError, JamfResponseError, JamfUnreachableError } from '../errors';
import { realSleep, type SleepFn } from './abort';
import type { JamfAuthorization, JamfProVersion } from './apiTypes';
import { normaliseJamfUrl } from './baseUrl';
import { describeConnectionFailure } from './connectionFailure';
import { credentialSecrets, describeCredential, type JamfCredential } from './credentials';
import { canonicalPath } from './endpointMatch';
import { versionGateFor } from './endpointVersions';
import { errorForResponse } from './responseError';
import { maskSecrets } from './maskSecrets';
import { classifyConnectionFailure, classifyResponse } from './refusal';
import { authorizationShape, describeBody, versionShape, type Shape } from './responseShapes';
import { parseRetryAfter } from './retryAfter';
import { decideRetry, DEFAULT_RETRY_POLICY, type RandomSource, type RetryPolicy } from './retryPolicy';
import { StickySession } from './stickySession';
import type { InvalidateOutcome } from './tokenRequests';
import { TokenSource } from './tokenSource';
import { createTransport, type JamfRequestEvent, type QueryParams, type RawResponse, type SendFn } from './transport';

export interface JamfClientOptions {
  /** The server, e.g. from resolveJamfBaseUrl(); https only. */
  readonly baseUrl: string;
  readonly credential: JamfCredential;
  /** All traffic goes through this dispatcher (an Agent in production, a MockAgent in tests). */
  readonly dispatcher: Dispatcher;
  /** Wall clock in ms, for token expiry and HTTP-date Retry-After. Default Date.now. */
  readonly now?: () => number;
  /** Bound on each HTTP exchange (connect, headers and body). Default 30 s. */
  readonly timeoutMs?: number;
  readonly userAgent?: string;
  /** Called after every HTTP exchange with method, path, status, duration; never a secret. */
  readonly onRequest?: (event: JamfRequestEvent) => void;
  /** Told every bearer token when it is issued, so the log redactor can mask it. */
  readonly onSecret?: (secret: string) => void;
  /** How the client waits before a retry. Default: a real timer that follows the signal. */
  readonly sleep?: SleepFn;
  readonly retry?: Partial<RetryPolicy>;
  /** Random source in [0, 1) for the back-off jitter. Default Math.random. */
  readonly random?: RandomSource;
  /** Renew the token this long before it expires. Default 60 s (at most half its lifetime). */
  readonly refreshMarginMs?: number;
}

export interface JamfRequestOptions {
  /** Appended to the URL; an array repeats the key (`section=GENERAL&section=HARDWARE`). */
  readonly query?: QueryParams;
  /** Sent as JSON. Mutually exclusive with `body`. */
  readonly json?: unknown;
  /** Sent as is (e.g. Classic XML); set its `content-type` in `headers`. */
  readonly body?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  /** Default `application/json`. */
  readonly accept?: string;
  readonly signal?: AbortSignal;
  /**
   * The shape a 2xx body must have (responseShapes.ts). A body of another shape, or JSON that
   * does not parse, is a server fault (refusal.ts): retried for idempotent calls, then a
   * JamfResponseError (exit 75), never returned to the caller.
   */
  readonly shape?: Shape<unknown>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The one way superd talks to Jamf Pro (design §8). It holds one bearer token at a time and
 * renews it before expiry; what each answer means is refusal.ts's table: on a 401 it
 * re-authenticates once and repeats the call (a second 401 is a server fault, never a refused
 * credential); a 2xx of the wrong shape is a server fault too; it retries with full-jitter
 * back-off and honours Retry-After within a bounded number of retries; it never repeats a POST
 * that the server may have acted on; and every failure is a typed error that says what to fix.
 */
export class JamfClient {
  readonly baseUrl: string;
  readonly #credential: JamfCredential;
  readonly #now: () => number;
  readonly #sleep: SleepFn;
  readonly #retry: RetryPolicy;
  readonly #random: RandomSource;
  readonly #send: SendFn;
  readonly #tokens: TokenSource;
  #serverVersion: string | undefined;
  #closed = false;

  constructor(options: JamfClientOptions) {
    this.baseUrl = normaliseJamfUrl(options.baseUrl, 'JamfClient baseUrl');
    if (!options.dispatcher) throw new InternalError('JamfClient needs a dispatcher (an undici Agent, or a MockAgent in tests)');
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new InternalError(`JamfClient timeoutMs must be a positive number of ms, got ${timeoutMs}`);
    this.#credential = options.credential;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#random = options.random ?? Math.random;
    this.#send = createTransport({
      baseUrl: this.baseUrl,
      dispatcher: options.dispatcher,
      timeoutMs,
      userAgent: options.userAgent ?? `superd/${SUPERD_VERSION}`,
      session: new StickySession(),
      ...(options.onRequest && { onRequest: options.onRequest }),
    });
    this.#tokens = new TokenSource({
      credential: options.credential,
      send: this.#send,
      now: this.#now,
      ...(options.refreshMarginMs !== undefined && { refreshMarginMs: options.refreshMarginMs }),
      ...(options.onSecret && { onSecret: options.onSecret }),
    });
  }

  /** The server's version once getVersion() has read it. */
  get serverVersion(): string | undefined {
    return this.#serverVersion;
  }

  /** The API client the held token belongs to (after a failover, the second client). */
  get clientInUse(): string | undefined {
    return this.#tokens.clientInUse;
  }

  /** When the held token expires (local ms), or undefined when none is held. */
  get tokenExpiresAt(): number | undefined {
    return this.#tokens.expiresAt;
  }

  /**
   * Calls the Jamf Pro API (or Classic API) at `path`, relative to the base URL
   * (`api/v1/jamf-pro-version`, `JSSResource/accounts/userid/2`). Resolves with the parsed JSON
   * body, the text of any other body, or undefined for an empty one.
   */
  async request<T = unknown>(method: string, path: string, options: JamfRequestOptions = {}): Promise<T> {
    if (this.#closed) throw new InternalError('JamfClient was used after close()');
    if (options.json !== undefined && options.body !== undefined) throw new InternalError('JamfClient.request takes json or body, not both');
    const m = method.toUpperCase();
    const p = canonicalPath(path);
    const body = options.json !== undefined ? JSON.stringify(options.json) : options.body;
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    for (const [k, v] of Object.entries(options.headers ?? {})) if (k.toLowerCase() !== 'authorization') headers[k.toLowerCase()] = v;
    const signal = options.signal;

    let reauthenticated = false;
    let retries = 0;
    const retryAfter = async (decision: ReturnType<typeof decideRetry>): Promise<boolean> => {
      if (!decision.retry) return false;
      retries++;
      await this.#sleep(decision.delayMs, signal);
      return true;
    };
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      const token = await this.#tokens.token(signal);
      let res: RawResponse;
      try {
        res = await this.#send({
          method: m, path, attempt, signal,
          headers: { ...headers, authorization: `Bearer ${token}` },
          ...(options.query && { query: options.query }),
          ...(body !== undefined && { body }),
        });
      } catch (error) {
        if (!(error instanceof JamfUnreachableError)) throw error;
        const code = error.failureCode ?? describeConnectionFailure(error.cause).code;
        const transient = classifyConnectionFailure(code).retryInRun;
        if (await retryAfter(decideRetry({ method: m, transientConnectionFailure: transient, retriesSoFar: retries }, this.#retry, this.#random))) continue;
        throw error;
      }
      const is2xx = res.status >= 200 && res.status < 300;
      const parsed = is2xx ? this.#parse(res, options.shape) : undefined;
      const row = classifyResponse({ call: 'api', status: res.status, bodyValid: parsed?.ok === true, tokenRenewed: reauthenticated });
      if (row.verdict === 'ok') return (parsed as { ok: true; value: T }).value;
      if (row.verdict === 'token-rejected') {
        // Jamf Pro checks the token before it looks at the request, so a 401 proves nothing was
        // done: repeating the call once with a new token is safe for every method, POST included.
        // A second 401 with a token it has just issued is a server fault, not a refused credential.
        reauthenticated = true;
        await this.#tokens.reauthenticate(token, signal);
        continue;
      }
      const retryAfterMs = parseRetryAfter(res.headers['retry-after'], this.#now());
      if (row.verdict === 'unavailable') {
        const input = { method: m, status: res.status, retriesSoFar: retries, garbledBody: is2xx, ...(retryAfterMs !== undefined && { retryAfterMs }) };
        if (await retryAfter(decideRetry(input, this.#retry, this.#random))) continue;
      }
      if (parsed && !parsed.ok) {
        throw new JamfResponseError(m, p, maskSecrets(
          `Jamf Pro is unreachable or failing: it answered ${res.status} to ${m} ${p} with ${parsed.problem}. A proxy or maintenance page may be in the way; superd tries again later.`,
          this.#secrets(),
        ));
      }
      throw await this.#errorFor(m, p, res, retryAfterMs, signal);
    }
  }

  /** `GET api/v1/jamf-pro-version` → `11.30.0-t1782920582649`. Remembered for later checks. */
  async getVersion(signal?: AbortSignal): Promise<string> {
    const body = await this.request<JamfProVersion>('GET', 'api/v1/jamf-pro-version', { shape: versionShape, ...(signal && { signal }) });
    this.#serverVersion = body.version;
    return body.version;
  }

  /** `GET api/v1/auth`: who the token belongs to and what it may do (never null: see authorizationShape). */
  whoAmI(signal?: AbortSignal): Promise<JamfAuthorization> {
    return this.request<JamfAuthorization>('GET', 'api/v1/auth', { shape: authorizationShape, ...(signal && { signal }) });
  }

  /**
   * Invalidates the held token on the server and refuses further calls. Resolves with what
   * happened (`invalidated`, `already-invalid`, `expired` or `none` when no token was held).
   */
  async close(signal?: AbortSignal): Promise<InvalidateOutcome> {
    if (this.#closed) return 'none';
    this.#closed = true;
    return this.#tokens.invalidate(signal);
  }

  /**
   * The body of a 2xx: parsed JSON, the text of any other body, or undefined for an empty one;
   * checked against `shape` when the caller gave one. JSON that does not parse is never returned.
   */
  #parse(res: RawResponse, shape: Shape<unknown> | undefined): { ok: true; value: unknown } | { ok: false; problem: string } {
    let body: unknown;
    if (res.status === 204 || res.text.trim() === '') body = undefined;
    else if (!/[/+]json\b/i.test(String(res.headers['content-type'] ?? ''))) body = res.text;
    else {
      try {
        body = JSON.parse(res.text) as unknown;
      } catch {
        return { ok: false, problem: 'JSON that does not parse (truncated or garbled)' };
      }
    }
    if (!shape) return { ok: true, value: body };
    const checked = shape(body);
    return checked.ok ? checked : { ok: false, problem: typeof body === 'string' || body === undefined ? describeBody(body) : checked.problem };
  }

  #secrets(): string[] {
    return [...credentialSecrets(this.#credential), ...this.#tokens.secrets];
  }

  async #errorFor(method: string, path: string, res: RawResponse, retryAfterMs: number | undefined, signal?: AbortSignal) {
    // A 404 from an endpoint that only some versions serve: find out whether this server is one.
    const serverVersion = res.status === 404 && versionGateFor(method, path) ? await this.#versionQuietly(signal) : this.#serverVersion;
    return errorForResponse(
      { method, path, status: res.status, text: res.text, ...(retryAfterMs !== undefined && { retryAfterMs }) },
      {
        credential: describeCredential(this.#credential),
        isClient: this.#credential.kind === 'client',
        secrets: this.#secrets(),
        ...(serverVersion && { serverVersion }),
      },
    );
  }

  async #versionQuietly(signal?: AbortSignal): Promise<string | undefined> {
    if (this.#serverVersion) return this.#serverVersion;
    try {
      return await this.getVersion(signal);
    } catch {
      return undefined;
    }
  }
}
