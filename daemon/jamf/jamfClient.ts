import type { Dispatcher } from 'undici';
import { SUPERD_VERSION } from '../buildInfo';
import { InternalError, JamfHttpError, JamfUnreachableError } from '../errors';
import { realSleep, type SleepFn } from './abort';
import type { JamfAuthorization, JamfProVersion } from './apiTypes';
import { normaliseJamfUrl } from './baseUrl';
import { describeConnectionFailure } from './connectionFailure';
import { credentialSecrets, describeCredential, type JamfCredential } from './credentials';
import { canonicalPath } from './endpointMatch';
import { versionGateFor } from './endpointVersions';
import { errorForResponse } from './responseError';
import { parseRetryAfter } from './retryAfter';
import { decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retryPolicy';
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
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The one way superd talks to Jamf Pro (design §8). It holds one bearer token at a time and
 * renews it before expiry; on a 401 it re-authenticates once and repeats the call; it honours
 * Retry-After on 429 and 503 within a bounded number of retries; it never repeats a POST that the
 * server may have acted on; and every failure is a typed error that says what to fix.
 */
export class JamfClient {
  readonly baseUrl: string;
  readonly #credential: JamfCredential;
  readonly #now: () => number;
  readonly #sleep: SleepFn;
  readonly #retry: RetryPolicy;
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
        const transient = describeConnectionFailure(error.cause).transient;
        const decision = decideRetry({ method: m, transientConnectionFailure: transient, retriesSoFar: retries }, this.#retry);
        if (!decision.retry) throw error;
        retries++;
        await this.#sleep(decision.delayMs, signal);
        continue;
      }
      if (res.status >= 200 && res.status < 300) return this.#parse<T>(m, p, res);
      if (res.status === 401 && !reauthenticated) {
        // Jamf Pro checks the token before it looks at the request, so a 401 proves nothing was
        // done: repeating the call once with a new token is safe for every method, POST included.
        reauthenticated = true;
        await this.#tokens.reauthenticate(token, signal);
        continue;
      }
      const retryAfterMs = parseRetryAfter(res.headers['retry-after'], this.#now());
      if (res.status !== 401) {
        const decision = decideRetry({ method: m, status: res.status, retriesSoFar: retries, ...(retryAfterMs !== undefined && { retryAfterMs }) }, this.#retry);
        if (decision.retry) {
          retries++;
          await this.#sleep(decision.delayMs, signal);
          continue;
        }
      }
      throw await this.#errorFor(m, p, res, retryAfterMs, signal);
    }
  }

  /** `GET api/v1/jamf-pro-version` → `11.30.0-t1782920582649`. Remembered for later checks. */
  async getVersion(signal?: AbortSignal): Promise<string> {
    const body = await this.request<JamfProVersion>('GET', 'api/v1/jamf-pro-version', signal ? { signal } : {});
    if (typeof body?.version !== 'string' || body.version === '') {
      throw new JamfHttpError('GET', 'api/v1/jamf-pro-version', 200, 'Jamf Pro answered GET api/v1/jamf-pro-version without a version');
    }
    this.#serverVersion = body.version;
    return body.version;
  }

  /** `GET api/v1/auth`: who the token belongs to and what it may do. */
  whoAmI(signal?: AbortSignal): Promise<JamfAuthorization> {
    return this.request<JamfAuthorization>('GET', 'api/v1/auth', signal ? { signal } : {});
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

  #parse<T>(method: string, path: string, res: RawResponse): T {
    if (res.status === 204 || res.text.trim() === '') return undefined as T;
    const type = String(res.headers['content-type'] ?? '');
    if (!/[/+]json\b/i.test(type)) return res.text as T;
    try {
      return JSON.parse(res.text) as T;
    } catch {
      throw new JamfHttpError(method, path, res.status, `Jamf Pro answered ${method} ${path} with ${res.status} but a body that is not valid JSON`);
    }
  }

  async #errorFor(method: string, path: string, res: RawResponse, retryAfterMs: number | undefined, signal?: AbortSignal) {
    // A 404 from an endpoint that only some versions serve: find out whether this server is one.
    const serverVersion = res.status === 404 && versionGateFor(method, path) ? await this.#versionQuietly(signal) : this.#serverVersion;
    return errorForResponse(
      { method, path, status: res.status, text: res.text, ...(retryAfterMs !== undefined && { retryAfterMs }) },
      {
        credential: describeCredential(this.#credential),
        isClient: this.#credential.kind === 'client',
        secrets: [...credentialSecrets(this.#credential), ...this.#tokens.secrets],
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
