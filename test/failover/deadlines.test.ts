import { deadlineState, parseDeadlineDate } from '../../daemon/failover/deadlines';
import { parseDialogAnswer } from '../../daemon/host/userDialog';
import { parseConsoleUser } from '../../daemon/host/scutil';

describe('deadlineState', () => {
  const firstSeen = { at: '2026-11-10T09:00:00.000Z' };
  test.each([
    ['no deadline', {}, '2026-11-22T12:00:00Z', false, false],
    ['soft days passed, hard days not', { DeadlineDaysSoft: 7, DeadlineDaysHard: 14 }, '2026-11-22T12:00:00Z', true, false],
    ['both days passed', { DeadlineDaysSoft: 3, DeadlineDaysHard: 10 }, '2026-11-22T12:00:00Z', true, true],
    ['hard date passed (local time)', { DeadlineDateHard: '2026-11-20:18:00' }, '2026-11-22T12:00:00Z', false, true],
    ['the earlier of date and days wins', { DeadlineDateSoft: '2027-01-01:09:00', DeadlineDaysSoft: 5 }, '2026-11-22T12:00:00Z', true, false],
  ])('%s', (_n, settings, now, soft, hard) => {
    const s = deadlineState(settings, firstSeen, new Date(now));
    expect([s.softPassed, s.hardPassed]).toEqual([soft, hard]);
  });

  test('days count only once the target was first seen', () => {
    expect(deadlineState({ DeadlineDaysHard: 1 }, null, new Date()).hard).toBeNull();
  });

  test('dates are local wall-clock times', () => {
    expect(parseDeadlineDate('2026-11-20:18:05')!.getHours()).toBe(18);
    expect(parseDeadlineDate('2026-11-20 18:05')).toBeNull();
  });
});

describe('parsers', () => {
  test.each([
    [0, 'button returned:OK, text returned:pa, ss:word, gave up:false\n', '', { kind: 'ok', text: 'pa, ss:word' }],
    [0, 'button returned:, text returned:, gave up:true\n', '', { kind: 'timeout' }],
    [1, '', '0:120: execution error: User canceled. (-128)\n', { kind: 'cancel' }],
    [1, '', '0:120: execution error: No user interaction allowed. (-1713)\n', { kind: 'error', message: '0:120: execution error: No user interaction allowed. (-1713)' }],
  ])('osascript exit %i %j', (code, out, err, answer) => {
    expect(parseDialogAnswer(code, out, err)).toEqual(answer);
  });

  test('scutil: the login window is nobody', () => {
    expect(parseConsoleUser('<dictionary> {\n  GID : 0\n  Name : loginwindow\n  UID : 0\n}\n')).toBeNull();
    expect(parseConsoleUser('<dictionary> {\n  GID : 20\n  Name : jdoe\n  UID : 501\n}\n')).toEqual({ name: 'jdoe', uid: 501 });
  });
});
