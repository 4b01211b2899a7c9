import { MIN_RETRY_MS, fullJitter, gridUpdateCheck, retryDelay, stableOffset } from '../../daemon/schedule/spread';
import { seededRandom } from '../../scripts/fleetModel';

const HOUR = 3_600_000;
const seeds = Array.from({ length: 10_000 }, (_, i) => `C02X${String(i).padStart(6, '0')}`);

/** Ten equal bins over [0, period): each should hold about a tenth (binomial sd ≈ 30 for 10,000). */
function bins(values: number[], period: number): number[] {
  const out = Array.from({ length: 10 }, () => 0);
  for (const v of values) out[Math.floor((v / period) * 10)]! += 1;
  return out;
}

describe('stableOffset: a per-Mac point in a period', () => {
  test('within [0, period), the same for the same seed, different between Macs', () => {
    const period = 4 * HOUR;
    const offsets = seeds.map((s) => stableOffset(s, period));
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThan(period);
    expect(offsets.every(Number.isInteger)).toBe(true);
    expect(seeds.slice(0, 100).map((s) => stableOffset(s, period))).toEqual(offsets.slice(0, 100));
    expect(new Set(offsets).size).toBeGreaterThan(9_990);
    expect(stableOffset('x', 0)).toBe(0);
  });

  test('roughly uniform over the period (10,000 seeds, ten bins, each within 1000 ± 150: 5 sd)', () => {
    for (const b of bins(seeds.map((s) => stableOffset(s, HOUR)), HOUR)) {
      expect(b).toBeGreaterThan(850);
      expect(b).toBeLessThan(1150);
    }
  });
});

describe('fullJitter and retryDelay (AWS "Exponential Backoff And Jitter")', () => {
  test('a wait in [0, min(cap, base × 2^attempt)) for every attempt, uniform within it', () => {
    const random = seededRandom(42);
    const base = 60 * 60_000;
    const cap = 24 * HOUR;
    for (let attempt = 0; attempt < 8; attempt++) {
      const window = Math.min(cap, base * 2 ** attempt);
      const waits = Array.from({ length: 10_000 }, () => fullJitter({ attempt, baseMs: base, capMs: cap, random }));
      expect(Math.min(...waits)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...waits)).toBeLessThan(window);
      for (const b of bins(waits, window)) {
        expect(b).toBeGreaterThan(850);
        expect(b).toBeLessThan(1150);
      }
    }
  });

  test('the edges of the random source map to the edges of the window; a base above the cap stays the window', () => {
    expect(fullJitter({ attempt: 3, baseMs: 1000, capMs: 60_000, random: () => 0 })).toBe(0);
    expect(fullJitter({ attempt: 3, baseMs: 1000, capMs: 60_000, random: () => 0.999999999 })).toBe(7999);
    expect(fullJitter({ attempt: 9, baseMs: 1000, capMs: 60_000, random: () => 0.5 })).toBe(30_000);
    expect(fullJitter({ attempt: 2, baseMs: 7 * 24 * HOUR, capMs: 24 * HOUR, random: () => 0.5 })).toBe(3.5 * 24 * HOUR);
    // A broken random source cannot push the wait outside the window.
    expect(fullJitter({ attempt: 0, baseMs: 1000, capMs: 1000, random: () => 7 })).toBeLessThan(1000);
    expect(fullJitter({ attempt: 0, baseMs: 1000, capMs: 1000, random: () => Number.NaN })).toBe(0);
  });

  test('retryDelay: the server delay is a floor with jitter on top, and never under a minute', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 1000; i++) {
      const d = retryDelay({ attempt: 0, baseMs: 30 * 60_000, capMs: 24 * HOUR, random, serverDelayMs: 300_000 });
      expect(d).toBeGreaterThanOrEqual(300_000);
      expect(d).toBeLessThan(300_000 + 30 * 60_000);
    }
    expect(retryDelay({ attempt: 0, baseMs: 30 * 60_000, capMs: 24 * HOUR, random: () => 0 })).toBe(MIN_RETRY_MS);
  });
});

describe('gridUpdateCheck: the Mac\'s own point of a fixed grid', () => {
  const now = new Date('2026-12-07T08:13:00Z');

  test('each next check is between half and one and a half intervals after the last, then exactly one interval apart', () => {
    const interval = 4 * HOUR;
    for (const s of seeds.slice(0, 500)) {
      const first = gridUpdateCheck(s, interval, now);
      expect(first.getTime()).toBeGreaterThanOrEqual(now.getTime() + interval / 2);
      expect(first.getTime()).toBeLessThan(now.getTime() + 1.5 * interval);
      expect(gridUpdateCheck(s, interval, first).getTime() - first.getTime()).toBe(interval);
    }
  });

  test('a fleet started in the same minute still checks spread over the whole interval', () => {
    const interval = 4 * HOUR;
    const checks = seeds.map((s) => gridUpdateCheck(s, interval, now).getTime() % interval);
    for (const b of bins(checks, interval)) {
      expect(b).toBeGreaterThan(850);
      expect(b).toBeLessThan(1150);
    }
  });
});
