import { parseOptions } from '../../daemon/config/parseOptions';
import { validate } from '../../daemon/config/validate';

/**
 * super rounds out-of-range timers into range with a "Parameter Warning" (super L1680–L1686,
 * L1755–L1761, L2253–L2259, L2275–L2281) and reads a deadline date without a time as midnight
 * (super L2196–L2226). superd does the same, with a warning; anything super refuses, superd refuses.
 */
const managed = (values: Record<string, unknown>) => ({ file: '/Library/Managed Preferences/com.github.superd.plist', domain: 'com.github.superd' as const, values });
const fromOptions = (argv: string[]) => validate({ managed: null, options: parseOptions(argv).options, saved: null });
const fromProfile = (values: Record<string, unknown>) => validate({ managed: managed(values), options: {}, saved: null });

describe('timers are clamped with a warning, as super clamps them', () => {
  test.each([
    ['DeferralTimerDefault', 'deferral-timer-default', '1', 2, /below the minimum: superd uses 2 minutes/],
    ['DeferralTimerDefault', 'deferral-timer-default', '0', 2, /below the minimum/],
    ['DeferralTimerDefault', 'deferral-timer-default', '20000', 10080, /above the maximum: superd uses 10080 minutes/],
    ['DeferralTimerError', 'deferral-timer-error', '10081', 10080, /above the maximum/],
    ['DialogTimeoutUserAuth', 'dialog-timeout-user-auth', '59', 60, /superd uses 60 seconds/],
    ['DialogTimeoutUserAuth', 'dialog-timeout-user-auth', '100000', 86400, /superd uses 86400 seconds/],
    ['DialogTimeoutDefault', 'dialog-timeout-default', '5', 60, /superd uses 60 seconds/],
  ] as const)('%s = %s (option %s)', (key, option, raw, expected, note) => {
    for (const result of [fromOptions([`--${option}=${raw}`]), fromProfile({ [key]: raw }), fromProfile({ [key]: Number(raw) })]) {
      expect(result.errors).toEqual([]);
      expect(result.settings[key]).toBe(expected);
      expect(result.warnings.map((w) => `${w.subject} ${w.message}`).join('\n')).toMatch(note);
    }
    // The clamped value is what is saved from an option.
    expect(fromOptions([`--${option}=${raw}`]).toSave[key]).toBe(expected);
  });

  test.each([
    ['deferral-timer-default', '-5'],
    ['deferral-timer-error', '1.5'],
    ['dialog-timeout-user-auth', 'ten'],
    ['deferral-timer-default', '9999999999999999999999'],
  ])('--%s=%s is refused: super refuses anything but digits', (option, raw) => {
    const result = fromOptions([`--${option}=${raw}`]);
    expect(result.errors.map((e) => e.subject)).toEqual([`--${option}`]);
  });

  test('keys super does not clamp are refused out of range (deadline days, MDM timeouts)', () => {
    expect(fromOptions(['--deadline-days-soft=400']).errors).toHaveLength(1);
    expect(fromOptions(['--mdm-timeout-total=5']).errors).toHaveLength(1);
  });
});

describe('deadline dates in the forms super reads', () => {
  test.each([
    ['2030-01-14', '2030-01-14:00:00', /has no time: superd reads it as 2030-01-14:00:00/],
    ['2030-01-14:09', '2030-01-14:09:00', /has no minutes/],
    ['2030-01-14:09:30:45', '2030-01-14:09:30', /has seconds/],
    ['2030-01-14 09:30', '2030-01-14:09:30', /reads it as 2030-01-14:09:30/],
  ])('%s is read as %s with a warning', (raw, expected, note) => {
    for (const result of [fromOptions([`--deadline-date-hard=${raw}`]), fromProfile({ DeadlineDateHard: raw })]) {
      expect(result.errors).toEqual([]);
      expect(result.settings.DeadlineDateHard).toBe(expected);
      expect(result.warnings.map((w) => w.message).join('\n')).toMatch(note);
    }
  });

  test('the canonical form gives no warning', () => {
    const result = fromOptions(['--deadline-date-soft=2030-01-14:09:30']);
    expect([result.errors, result.warnings]).toEqual([[], []]);
  });

  test.each(['2030-02-30', '2030-13-01', '2030-01-14:24:00', '2030-01-14:9:00', 'tomorrow', '14/01/2030', '2100-02-29'])('%s is refused', (raw) => {
    expect(fromOptions([`--deadline-date-soft=${raw}`]).errors.map((e) => e.subject)).toEqual(['--deadline-date-soft']);
  });

  test('29 February is accepted in leap years only', () => {
    expect(fromOptions(['--deadline-date-soft=2028-02-29']).errors).toEqual([]);
    expect(fromOptions(['--deadline-date-soft=2000-02-29']).errors).toEqual([]);
    expect(fromOptions(['--deadline-date-soft=2029-02-29']).errors).toHaveLength(1);
  });
});
