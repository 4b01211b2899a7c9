import { scheduleRetry, type ErrorStreak } from '../../daemon/schedule/deferral';

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
