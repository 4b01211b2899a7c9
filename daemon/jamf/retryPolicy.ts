/** A uniform random number in [0, 1), like Math.random (injected so tests are reproducible). */
export type RandomSource = () => number;

export interface RetryPolicy {
  /** Retries after the first attempt (so at most maxRetries + 1 requests). */
  readonly maxRetries: number;
  /** The longest superd waits before a retry. A longer `Retry-After` ends the call instead. */
  readonly maxWaitMs: number;
  /** Back-off window: base, 2×base, 4×base… (capped at maxWaitMs); the wait is drawn from it (full jitter). */
  readonly backoffBaseMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, maxWaitMs: 60_000, backoffBaseMs: 1_000 };

/** Methods whose repetition cannot change the outcome on the server. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Statuses that say "not now" rather than "no": the server or a gateway is briefly failing or
 * unavailable (reference §8.1: retry idempotent calls on 408/5xx). 501 and 505 are not passing.
 */
const TRANSIENT_STATUSES = new Set([408, 500, 502, 503, 504]);

export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false };

export interface RetryInput {
  readonly method: string;
  /** The response status; undefined when the connection failed. */
  readonly status?: number;
  /** For a connection failure: whether it is worth another try (reset, refused, no answer in time). */
  readonly transientConnectionFailure?: boolean;
  /** A 2xx whose body had the wrong shape (an HTML page, truncated JSON): a server fault. */
  readonly garbledBody?: boolean;
  /** Retries already made for this call. */
  readonly retriesSoFar: number;
  /** From the `Retry-After` header, already in milliseconds. */
  readonly retryAfterMs?: number;
}

/**
 * Decides whether a failed attempt is repeated and after how long. Pure: the client does the
 * waiting (through an injectable sleep) and the counting, and injects the random source.
 *
 * - 429 Too Many Requests: retried for every method, POST included. Jamf Pro documents 429 only
 *   on rate-limited POSTs (plan creation, change-password) and sends it when it refuses the call
 *   before doing any work, so repeating it cannot create a second plan. That explicit refusal is
 *   the one case where a POST is repeated.
 * - 408/500/502/503/504, transient connection failures (a reset, no answer in time) and a 2xx
 *   with a garbled body: retried only for idempotent methods. For a POST the server may already
 *   have acted (a gateway timeout can hide a created plan, a reset can come after the body was
 *   processed), so a POST is never repeated on them.
 * - Everything else (other 4xx, a second 401) is an answer, not a hiccup: not retried.
 *
 * The wait is exponential back-off with full jitter (a uniform draw from [0, min(maxWait,
 * base × 2^n)), as daemon/schedule/spread.ts does between runs: Macs that failed together do not
 * retry together). A `Retry-After` is honoured as a floor: the wait is the server's delay plus
 * the jitter, at most `maxWaitMs`. When the server asks for longer than `maxWaitMs`, the call ends
 * at once: waiting less would ignore the server's request, and the error carries
 * `retryAfterSeconds` so the scheduler can defer instead.
 */
export function decideRetry(input: RetryInput, policy: RetryPolicy = DEFAULT_RETRY_POLICY, random: RandomSource = Math.random): RetryDecision {
  if (input.retriesSoFar >= policy.maxRetries) return { retry: false };
  const idempotent = IDEMPOTENT.has(input.method.toUpperCase());
  let eligible: boolean;
  if (input.status === undefined) eligible = idempotent && input.transientConnectionFailure === true;
  else if (input.status === 429) eligible = true;
  else if (input.garbledBody === true) eligible = idempotent;
  else eligible = idempotent && TRANSIENT_STATUSES.has(input.status);
  if (!eligible) return { retry: false };
  const window = Math.min(policy.backoffBaseMs * 2 ** Math.min(input.retriesSoFar, 30), policy.maxWaitMs);
  const jitter = Math.floor(unit(random()) * window);
  if (input.retryAfterMs !== undefined) {
    return input.retryAfterMs > policy.maxWaitMs ? { retry: false } : { retry: true, delayMs: Math.min(input.retryAfterMs + jitter, policy.maxWaitMs) };
  }
  return { retry: true, delayMs: jitter };
}

function unit(x: number): number {
  if (!Number.isFinite(x) || x < 0) return 0;
  return x >= 1 ? 1 - Number.EPSILON : x;
}
