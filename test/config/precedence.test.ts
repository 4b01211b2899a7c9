import { parseOptions } from '../../daemon/config/parseOptions';
import { validate, type ManagedInput } from '../../daemon/config/validate';

const managed = (values: Record<string, unknown>): ManagedInput => ({ file: '/Library/Managed Preferences/com.github.superd.plist', domain: 'com.github.superd', values });
const run = (opts: { managed?: Record<string, unknown>; argv?: string[]; saved?: Record<string, unknown> }) => {
  const parsed = parseOptions(opts.argv ?? []);
  expect(parsed.errors).toEqual([]);
  return validate({ managed: opts.managed ? managed(opts.managed) : null, options: parsed.options, saved: opts.saved ?? null });
};

describe('precedence: managed > option > saved > default', () => {
  test.each([
    ['default only', {}, 60, 'default'],
    ['saved', { saved: { DeferralTimerDefault: 30 } }, 30, 'saved'],
    ['option beats saved', { argv: ['--deferral-timer-default=45'], saved: { DeferralTimerDefault: 30 } }, 45, 'option'],
    ['managed beats option and saved', { managed: { DeferralTimerDefault: '90' }, argv: ['--deferral-timer-default=45'], saved: { DeferralTimerDefault: 30 } }, 90, 'managed'],
    ['managed integer as number', { managed: { DeferralTimerDefault: 120 } }, 120, 'managed'],
    ['option X unsets saved → default', { argv: ['--deferral-timer-default=X'], saved: { DeferralTimerDefault: 30 } }, 60, 'option'],
    ['managed X unsets → default', { managed: { DeferralTimerDefault: 'X' }, saved: { DeferralTimerDefault: 30 } }, 60, 'managed'],
  ] as const)('%s', (_name, input, expected, source) => {
    const r = run(input as Parameters<typeof run>[0]);
    expect(r.errors).toEqual([]);
    expect(r.settings.DeferralTimerDefault).toBe(expected);
    expect(r.sources.DeferralTimerDefault).toBe(source);
  });

  test.each([
    ['--verbose-mode', { VerboseMode: false }, true],
    ['--verbose-mode-off', { VerboseMode: true }, false],
  ])('boolean flag %s overrides saved', (flag, saved, expected) => {
    expect(run({ argv: [flag], saved }).settings.VerboseMode).toBe(expected);
  });

  test('managed boolean beats -off option, and the ignored option is reported', () => {
    const r = run({ managed: { VerboseMode: true }, argv: ['--verbose-mode-off'] });
    expect(r.settings.VerboseMode).toBe(true);
    expect(r.warnings.map((w) => w.subject)).toContain('--verbose-mode');
  });

  test('X on a string option removes the saved key from what is saved', () => {
    const r = run({ argv: ['--auth-jamf-custom-url=X'], saved: { AuthJamfCustomURL: 'https://old.example.com/' } });
    expect(r.settings.AuthJamfCustomURL).toBeUndefined();
    expect(r.toSave).not.toHaveProperty('AuthJamfCustomURL');
  });

  test('options are saved; managed values are not saved and replace saved ones', () => {
    const r = run({ managed: { DeferralTimerError: '15' }, argv: ['--deferral-timer-default=20'], saved: { DeferralTimerError: 5 } });
    expect(r.toSave).toEqual({ DeferralTimerDefault: 20 });
  });

  test('DeferralTimerError falls back to DeferralTimerDefault', () => {
    expect(run({ argv: ['--deferral-timer-default=25'] }).settings.DeferralTimerError).toBe(25);
    expect(run({ argv: ['--deferral-timer-default=25', '--deferral-timer-error=5'] }).settings.DeferralTimerError).toBe(5);
  });

  test('custom URL gets its trailing slash', () => {
    expect(run({ argv: ['--auth-jamf-custom-url=https://jamf.example.com'] }).settings.AuthJamfCustomURL).toBe('https://jamf.example.com/');
  });

  test('failover aliases expand (super 5 DEADLINE and ERROR)', () => {
    expect(run({ argv: ['--auth-mdm-failover-to-user=deadline,ERROR'] }).settings.AuthMDMFailoverToUser).toEqual(['HARD', 'SOFT', 'NOSERVICE', 'BOOTSTRAP']);
  });
});

describe('Jamf Pro policy parameters', () => {
  test('the first three positional parameters are ignored, empty ones skipped, one option per parameter', () => {
    const parsed = parseOptions(['/', 'Mac-042', 'jdoe', '--deferral-timer-default=30', '', '  ', '--verbose-mode', '', '', '', '']);
    expect(parsed.fromJamfPolicy).toBe(true);
    expect(parsed.errors).toEqual([]);
    expect(parsed.options).toEqual({ 'deferral-timer-default': '30', 'verbose-mode': true });
  });

  test('without the mount point, a positional argument is an error that does not echo it', () => {
    const parsed = parseOptions(['hunter2-secret']);
    expect(parsed.errors).toHaveLength(1);
    expect(JSON.stringify(parsed.errors)).not.toContain('hunter2');
  });

  test('a value given twice: last wins, with a warning', () => {
    const parsed = parseOptions(['--deferral-timer-default=30', '--deferral-timer-default=40']);
    expect(parsed.options['deferral-timer-default']).toBe('40');
    expect(parsed.warnings).toHaveLength(1);
  });
});
