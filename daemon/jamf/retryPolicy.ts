export interface RetryPolicy {
  /** Retries after the first attempt (so at most maxRetries + 1 requests). */
  readonly maxRetries: number;
  /** The longest superd waits before a retry. A longer `Retry-After` ends the call instead. */
  readonly maxWaitMs: number;
  /** Back-off without `Retry-After`: base, 2×base, 4×base… */
  readonly backoffBaseMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, maxWaitMs: 60_000, backoffBaseMs: 1_000 };

/** Methods whose repetition cannot change the outcome on the server. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Statuses that say "not now" rather than "no": a gateway or the server is briefly unavailable. */
const TRANSIENT_STATUSES = new Set([408, 502, 503, 504]);

export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false };

export interface RetryInput {
  readonly method: string;
  /** The response status; undefined when the connection failed. */
  readonly status?: number;
  /** For a connection failure: whether it is worth another try (reset, refused). */
  readonly transientConnectionFailure?: boolean;
  /** Retries already made for this call. */
  readonly retriesSoFar: number;
  /** From the `Retry-After` header, already in milliseconds. */
  readonly retryAfterMs?: number;
}

/**
 * Decides whether a failed attempt is repeated and after how long. Pure: the client does the
 * waiting (through an injectable sleep) and the counting.
 *
 * - 429 Too Many Requests: retried for every method, POST included. Jamf Pro documents 429 only
 *   on rate-limited POSTs (plan creation, change-password) and sends it when it refuses the call
 *   before doing any work, so repeating it cannot create a second plan. That explicit refusal is
 *   the one case where a POST is repeated.
 * - 408/502/503/504 and transient connection failures: retried only for idempotent methods. For a
 *   POST the server may already have acted (a gateway timeout can hide a created plan, a reset
 *   can come after the body was processed), so a POST is never repeated on them.
 * - Everything else (other 4xx, 500) is an answer, not a hiccup: not retried.
 *
 * The wait is `Retry-After` when the server sent it, otherwise exponential back-off. When the
 * server asks for longer than `maxWaitMs`, the call ends at once: waiting less would ignore the
 * server's request, and the error carries `retryAfterSeconds` so the scheduler can defer instead.
 */
export function decideRetry(input: RetryInput, policy: RetryPolicy = DEFAULT_RETRY_POLICY): RetryDecision {
  if (input.retriesSoFar >= policy.maxRetries) return { retry: false };
  const idempotent = IDEMPOTENT.has(input.method.toUpperCase());
  let eligible: boolean;
  if (input.status === undefined) eligible = idempotent && input.transientConnectionFailure === true;
  else if (input.status === 429) eligible = true;
  else eligible = idempotent && TRANSIENT_STATUSES.has(input.status);
  if (!eligible) return { retry: false };
  if (input.retryAfterMs !== undefined) {
    return input.retryAfterMs > policy.maxWaitMs ? { retry: false } : { retry: true, delayMs: input.retryAfterMs };
  }
  return { retry: true, delayMs: Math.min(policy.backoffBaseMs * 2 ** input.retriesSoFar, policy.maxWaitMs) };
}
