import { decideRetry, DEFAULT_RETRY_POLICY } from '../../daemon/jamf';
import { parseRetryAfter } from '../../daemon/jamf/retryAfter';

const half = () => 0.5;

describe('decideRetry', () => {
  test.each([
    // method, status, transient connection failure, retries so far, Retry-After ms, expected (the jitter draw is 0.5)
    ['GET', 429, undefined, 0, 5000, { retry: true, delayMs: 5500 }],
    ['POST', 429, undefined, 0, 5000, { retry: true, delayMs: 5500 }],
    ['POST', 429, undefined, 1, undefined, { retry: true, delayMs: 1000 }],
    ['GET', 503, undefined, 0, 3000, { retry: true, delayMs: 3500 }],
    ['PUT', 503, undefined, 2, undefined, { retry: true, delayMs: 2000 }],
    ['DELETE', 502, undefined, 0, undefined, { retry: true, delayMs: 500 }],
    ['GET', 504, undefined, 0, undefined, { retry: true, delayMs: 500 }],
    ['GET', 408, undefined, 0, undefined, { retry: true, delayMs: 500 }],
    ['POST', 503, undefined, 0, 1000, { retry: false }],
    ['POST', 502, undefined, 0, undefined, { retry: false }],
    ['POST', 500, undefined, 0, undefined, { retry: false }],
    ['GET', 500, undefined, 0, undefined, { retry: true, delayMs: 500 }],
    ['GET', 400, undefined, 0, undefined, { retry: false }],
    ['GET', 403, undefined, 0, undefined, { retry: false }],
    ['GET', 404, undefined, 0, undefined, { retry: false }],
    ['GET', 429, undefined, 3, 1000, { retry: false }],
    ['GET', 429, undefined, 0, 60_001, { retry: false }],
    ['GET', 429, undefined, 0, 60_000, { retry: true, delayMs: 60_000 }],
    ['GET', undefined, true, 0, undefined, { retry: true, delayMs: 500 }],
    ['GET', undefined, false, 0, undefined, { retry: false }],
    ['POST', undefined, true, 0, undefined, { retry: false }],
  ] as const)('%s %s (transient %s, %i retries, Retry-After %s ms) → %j', (method, status, transient, retriesSoFar, retryAfterMs, expected) => {
    expect(decideRetry({
      method, retriesSoFar,
      ...(status !== undefined && { status }),
      ...(transient !== undefined && { transientConnectionFailure: transient }),
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    }, DEFAULT_RETRY_POLICY, half)).toEqual(expected);
  });

  test('back-off is capped at maxWaitMs', () => {
    expect(decideRetry({ method: 'GET', status: 503, retriesSoFar: 5 }, { ...DEFAULT_RETRY_POLICY, maxRetries: 10, maxWaitMs: 8000 }, half)).toEqual({ retry: true, delayMs: 4000 });
  });

  test('full jitter: the wait is drawn uniformly from [0, base × 2^n), from the injected random source', () => {
    const at = (r: number, retriesSoFar: number) => decideRetry({ method: 'GET', status: 503, retriesSoFar }, DEFAULT_RETRY_POLICY, () => r);
    expect(at(0, 0)).toEqual({ retry: true, delayMs: 0 });
    expect(at(0.999999, 0)).toEqual({ retry: true, delayMs: 999 });
    expect(at(0.999999, 2)).toEqual({ retry: true, delayMs: 3999 });
    // A broken source cannot produce a negative or oversized wait.
    expect(at(Number.NaN, 1)).toEqual({ retry: true, delayMs: 0 });
    expect(at(7, 1)).toEqual({ retry: true, delayMs: 1999 });
  });

  test('Retry-After is a floor: the server\'s delay plus the jitter, never above maxWaitMs', () => {
    expect(decideRetry({ method: 'GET', status: 503, retriesSoFar: 0, retryAfterMs: 10_000 }, DEFAULT_RETRY_POLICY, () => 0)).toEqual({ retry: true, delayMs: 10_000 });
    expect(decideRetry({ method: 'GET', status: 503, retriesSoFar: 0, retryAfterMs: 59_900 }, DEFAULT_RETRY_POLICY, () => 0.9)).toEqual({ retry: true, delayMs: 60_000 });
  });

  test('a 2xx with a garbled body is repeated for a GET, never for a POST (a plan may exist)', () => {
    expect(decideRetry({ method: 'GET', status: 200, garbledBody: true, retriesSoFar: 0 }, DEFAULT_RETRY_POLICY, half)).toEqual({ retry: true, delayMs: 500 });
    expect(decideRetry({ method: 'POST', status: 201, garbledBody: true, retriesSoFar: 0 }, DEFAULT_RETRY_POLICY, half)).toEqual({ retry: false });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-02T09:00:00Z');
  test.each([
    ['7', 7000],
    [' 0 ', 0],
    [['12', '30'], 12_000],
    ['Mon, 02 Mar 2026 09:00:30 GMT', 30_000],
    ['Mon, 02 Mar 2026 08:59:00 GMT', 0],
    ['-5', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ] as const)('%j → %s', (value, expected) => {
    expect(parseRetryAfter(value as string | string[] | undefined, now)).toBe(expected);
  });
});
