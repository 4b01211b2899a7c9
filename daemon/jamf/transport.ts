import { performance } from 'node:perf_hooks';
import { request, type Dispatcher } from 'undici';
import { InternalError, JamfUnreachableError } from '../errors';
import { describeConnectionFailure } from './connectionFailure';
import { canonicalPath } from './endpointMatch';
import type { StickySession } from './stickySession';

/**
 * What the `onRequest` hook sees of each HTTP exchange: never a header, body, query or token.
 * `status` is undefined when no answer came; `failure` then names the cause (`ECONNRESET`, `timeout`).
 */
export interface JamfRequestEvent {
  readonly method: string;
  /** Relative to the base URL, without the query (`api/v1/jamf-pro-version`). */
  readonly path: string;
  readonly status?: number;
  readonly durationMs: number;
  /** 1 for the first try of a call, 2 for its first repetition, … */
  readonly attempt: number;
  readonly failure?: string;
}

export type QueryValue = string | number | boolean | undefined | null | readonly (string | number | boolean)[];
export type QueryParams = Readonly<Record<string, QueryValue>>;

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly query?: QueryParams;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  readonly signal?: AbortSignal;
  readonly attempt: number;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Dispatcher.ResponseData['headers'];
  readonly text: string;
}

export type SendFn = (req: RawRequest) => Promise<RawResponse>;

export interface TransportOptions {
  readonly baseUrl: string;
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly session: StickySession;
  readonly onRequest?: (event: JamfRequestEvent) => void;
}

/** Builds the absolute URL of `path` under `baseUrl`, refusing anything that would leave it. */
export function resolveRequestUrl(baseUrl: string, path: string, query?: QueryParams): URL {
  const relative = path.replace(/^\/+/, '');
  if (/^[a-z][a-z0-9+.-]*:/i.test(relative) || relative.split(/[/?#]/).some((s) => s === '..' || s === '.')) {
    // The bearer token must never be sent anywhere but the configured server.
    throw new InternalError(`Jamf API path "${canonicalPath(path)}" must be relative to the server URL`);
  }
  const url = new URL(relative, baseUrl);
  if (!url.href.startsWith(baseUrl)) throw new InternalError(`Jamf API path "${canonicalPath(path)}" leaves the server URL`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
  }
  return url;
}

/**
 * Sends one HTTP request to Jamf Pro through the injected dispatcher (never the global one) and
 * reads the whole answer. Every exchange is bounded by `timeoutMs` (connect, headers and body
 * together) and follows the caller's signal. A caller's abort is rethrown as its reason; any
 * other failure below HTTP becomes a JamfUnreachableError naming the host and the cause.
 * HTTP statuses are returned, not thrown: deciding what they mean is the client's job.
 */
export function createTransport(options: TransportOptions): SendFn {
  const { baseUrl, dispatcher, timeoutMs, userAgent, session, onRequest } = options;
  const host = new URL(baseUrl).host;
  const report = (event: JamfRequestEvent) => {
    // The hook is for logging and counting. A throwing hook must not turn a request that
    // succeeded (a created plan) into a failure that a caller might repeat.
    try {
      onRequest?.(event);
    } catch {
      /* ignored on purpose */
    }
  };

  return async (req) => {
    const url = resolveRequestUrl(baseUrl, req.path, req.query);
    const path = canonicalPath(req.path);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const cookie = session.header();
    const headers: Record<string, string> = { 'user-agent': userAgent, ...req.headers, ...(cookie ? { cookie } : {}) };
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const res = await request(url, {
        dispatcher,
        method: req.method as Dispatcher.HttpMethod,
        headers,
        body: req.body ?? null,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await res.body.text();
      session.remember(res.headers['set-cookie']);
      report({ method: req.method, path, status: res.statusCode, durationMs: elapsed(), attempt: req.attempt });
      return { status: res.statusCode, headers: res.headers, text };
    } catch (error) {
      if (req.signal?.aborted) {
        report({ method: req.method, path, durationMs: elapsed(), attempt: req.attempt, failure: 'aborted' });
        throw req.signal.reason;
      }
      const failure = timeout.aborted
        ? { code: 'timeout', description: `no answer within ${timeoutMs / 1000} s` }
        : describeConnectionFailure(error);
      report({ method: req.method, path, durationMs: elapsed(), attempt: req.attempt, failure: failure.code });
      throw new JamfUnreachableError(`Cannot reach Jamf Pro at ${host}: ${failure.description} (${req.method} ${path})`, { cause: error, failureCode: failure.code });
    }
  };
}
