import { scheduleRetry, type ErrorStreak } from '../../daemon/schedule/deferral';
import { seededRandom } from '../../scripts/fleetModel';

describe('scheduleRetry with a simulated clock', () => {
  test('the same fatal error backs off by doubling, capped at a day; a config change resets it', () => {
    let now = new Date('2026-11-22T12:00:00Z');
    let streak: ErrorStreak | null = null;
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const r = scheduleRetry({ now, failureCode: 'bootstrap-missing', configHash: 'A', previous: streak, deferralErrorMinutes: 60 });
      waits.push((r.nextAttempt.getTime() - now.getTime()) / 60_000);
      streak = r.streak;
      now = r.nextAttempt; // the retry runs at its time and fails the same way
    }
    expect(waits).toEqual([60, 120, 240, 480, 960, 1440, 1440, 1440, 1440]);
    const changed = scheduleRetry({ now, failureCode: 'bootstrap-missing', configHash: 'B', previous: streak, deferralErrorMinutes: 60 });
    expect(changed.nextAttempt.getTime() - now.getTime()).toBe(60 * 60_000);
    expect(changed.streak).toEqual({ code: 'bootstrap-missing', count: 1, configHash: 'B' });
    const other = scheduleRetry({ now, failureCode: 'plan-failed', configHash: 'A', previous: streak, deferralErrorMinutes: 15 });
    expect(other.nextAttempt.getTime() - now.getTime()).toBe(15 * 60_000);
  });

  test('a base timer above a day is kept as it is', () => {
    const now = new Date('2026-11-22T12:00:00Z');
    const r = scheduleRetry({ now, failureCode: 'x', configHash: 'A', previous: { code: 'x', count: 3, configHash: 'A' }, deferralErrorMinutes: 10080 });
    expect(r.nextAttempt.getTime() - now.getTime()).toBe(10080 * 60_000);
  });
});

/** A seeded random source (mulberry32, the fleet simulation's), so jitter tests are reproducible. */
const seeded = seededRandom;

describe('scheduleRetry when Jamf Pro is unreachable or failing: full jitter', () => {
  const now = new Date('2026-11-22T12:00:00Z');

  test('each wait is within [1 minute, base × 2^(n-1)], capped at a day; the streak still counts', () => {
    const random = seeded(18);
    for (let trial = 0; trial < 200; trial++) {
      let streak: ErrorStreak | null = null;
      for (let n = 1; n <= 8; n++) {
        const r = scheduleRetry({ now, failureCode: 'mdm-service-unavailable', configHash: 'A', previous: streak, deferralErrorMinutes: 60, random });
        const wait = r.nextAttempt.getTime() - now.getTime();
        expect(wait).toBeGreaterThanOrEqual(60_000);
        expect(wait).toBeLessThan(Math.min(60 * 2 ** (n - 1), 1440) * 60_000);
        expect(r.streak).toEqual({ code: 'mdm-service-unavailable', count: n, configHash: 'A' });
        streak = r.streak;
      }
    }
  });

  test('the random source decides where in the window: 0 → a minute, 0.5 → the middle, just under 1 → the end', () => {
    const at = (x: number, code = 'SUPERD_ERR_JAMF_UNREACHABLE') => scheduleRetry({ now, failureCode: code, configHash: 'A', previous: null, deferralErrorMinutes: 60, random: () => x }).nextAttempt.getTime() - now.getTime();
    expect(at(0)).toBe(60_000);
    expect(at(0.5)).toBe(30 * 60_000);
    expect(at(0.999999)).toBeLessThan(60 * 60_000);
    expect(at(0.999999)).toBeGreaterThan(59.99 * 60_000);
    expect(at(0.5, 'SUPERD_ERR_JAMF_HTTP')).toBe(30 * 60_000);
    // A failure of this Mac is not jittered: the admin's timer exactly.
    expect(at(0.5, 'bootstrap-missing')).toBe(60 * 60_000);
  });

  test("Retry-After is a floor with jitter on top: never all Macs at the server's instant", () => {
    const random = seeded(503);
    const waits = Array.from({ length: 1000 }, () => scheduleRetry({ now, failureCode: 'SUPERD_ERR_JAMF_HTTP', configHash: 'A', previous: null, deferralErrorMinutes: 30, serverDelayMs: 120_000, random }).nextAttempt.getTime() - now.getTime());
    for (const w of waits) {
      expect(w).toBeGreaterThanOrEqual(120_000);
      expect(w).toBeLessThan(120_000 + 30 * 60_000);
    }
    // Spread over the window: no one second holds more than 1% of the Macs.
    const perSecond = new Map<number, number>();
    for (const w of waits) perSecond.set(Math.floor(w / 1000), (perSecond.get(Math.floor(w / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(10);
  });

  test('a fleet that failed at the same instant comes back spread, not in step', () => {
    const random = seeded(7);
    const waits = Array.from({ length: 1000 }, () => scheduleRetry({ now, failureCode: 'mdm-service-unavailable', configHash: 'A', previous: null, deferralErrorMinutes: 60, random }).nextAttempt.getTime() - now.getTime());
    // Ten 6-minute bins over the hour: each holds about 100 (binomial, sd ≈ 9.5); 60–140 is > 4 sd.
    const bins = Array.from({ length: 10 }, () => 0);
    for (const w of waits) bins[Math.min(9, Math.floor(w / (6 * 60_000)))]! += 1;
    for (const b of bins) {
      expect(b).toBeGreaterThan(60);
      expect(b).toBeLessThan(140);
    }
  });
});
