import { decideRetry, DEFAULT_RETRY_POLICY } from '../../daemon/jamf';
import { parseRetryAfter } from '../../daemon/jamf/retryAfter';

describe('decideRetry', () => {
  test.each([
    // method, status, transient connection failure, retries so far, Retry-After ms, expected
    ['GET', 429, undefined, 0, 5000, { retry: true, delayMs: 5000 }],
    ['POST', 429, undefined, 0, 5000, { retry: true, delayMs: 5000 }],
    ['POST', 429, undefined, 1, undefined, { retry: true, delayMs: 2000 }],
    ['GET', 503, undefined, 0, 3000, { retry: true, delayMs: 3000 }],
    ['PUT', 503, undefined, 2, undefined, { retry: true, delayMs: 4000 }],
    ['DELETE', 502, undefined, 0, undefined, { retry: true, delayMs: 1000 }],
    ['GET', 504, undefined, 0, undefined, { retry: true, delayMs: 1000 }],
    ['GET', 408, undefined, 0, undefined, { retry: true, delayMs: 1000 }],
    ['POST', 503, undefined, 0, 1000, { retry: false }],
    ['POST', 502, undefined, 0, undefined, { retry: false }],
    ['POST', 500, undefined, 0, undefined, { retry: false }],
    ['GET', 500, undefined, 0, undefined, { retry: false }],
    ['GET', 400, undefined, 0, undefined, { retry: false }],
    ['GET', 403, undefined, 0, undefined, { retry: false }],
    ['GET', 404, undefined, 0, undefined, { retry: false }],
    ['GET', 429, undefined, 3, 1000, { retry: false }],
    ['GET', 429, undefined, 0, 60_001, { retry: false }],
    ['GET', 429, undefined, 0, 60_000, { retry: true, delayMs: 60_000 }],
    ['GET', undefined, true, 0, undefined, { retry: true, delayMs: 1000 }],
    ['GET', undefined, false, 0, undefined, { retry: false }],
    ['POST', undefined, true, 0, undefined, { retry: false }],
  ] as const)('%s %s (transient %s, %i retries, Retry-After %s ms) → %j', (method, status, transient, retriesSoFar, retryAfterMs, expected) => {
    expect(decideRetry({
      method, retriesSoFar,
      ...(status !== undefined && { status }),
      ...(transient !== undefined && { transientConnectionFailure: transient }),
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    })).toEqual(expected);
  });

  test('back-off is capped at maxWaitMs', () => {
    expect(decideRetry({ method: 'GET', status: 503, retriesSoFar: 5 }, { ...DEFAULT_RETRY_POLICY, maxRetries: 10, maxWaitMs: 8000 })).toEqual({ retry: true, delayMs: 8000 });
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
