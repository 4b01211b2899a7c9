import { firstUpdateCheck, nextUpdateCheck } from '../../daemon/schedule/updateCheck';

const HOUR = 3600_000;

test('the first check is this Mac\'s own stable point within one interval after start', () => {
  const start = Date.parse('2026-12-03T08:00:00Z');
  const a = firstUpdateCheck('mac-a', 6 * HOUR, start);
  expect(firstUpdateCheck('mac-a', 6 * HOUR, start)).toEqual(a);
  expect(a.getTime()).toBeGreaterThanOrEqual(start);
  expect(a.getTime()).toBeLessThan(start + 6 * HOUR);
});

test('a fleet that starts together spreads its first checks over the whole interval', () => {
  const start = 0;
  const interval = 6 * HOUR;
  const buckets = new Array<number>(6).fill(0);
  for (let i = 0; i < 6000; i++) buckets[Math.floor(firstUpdateCheck(`mac-${i}`, interval, start).getTime() / HOUR)]! += 1;
  // Each hour of the interval gets about a sixth of the fleet (1000 ± 15 %), none gets a herd.
  for (const n of buckets) expect(Math.abs(n - 1000)).toBeLessThan(150);
});

test('later checks are one interval after the last run', () => {
  expect(nextUpdateCheck(1000, 360 * 60_000).getTime()).toBe(1000 + 360 * 60_000);
});
