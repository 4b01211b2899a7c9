/**
 * The strict launchctl reads the super precondition and migration rely on: only exit 0 and the
 * captured "not loaded" exits are trusted (reference/macos-commands.md §10.1, §10.3); anything else
 * throws instead of being read as "super is not there". And super's settings are taken only
 * through superd's validation.
 */
import { CommandError } from '../../daemon/errors';
import { bootoutService, serviceLoadedStrict } from '../../daemon/host/launchctl';
import type { CommandResult, RunCommand } from '../../daemon/host/runCommand';
import { settingsFromSuper } from '../../daemon/migration/superMigration';
import { checkPreconditions } from '../../daemon/workflow/preconditions';

/** A launchctl that answers every call with one result (exit codes as captured in §10). */
function launchctlAnswering(result: CommandResult): { run: RunCommand; calls: string[][] } {
  const calls: string[][] = [];
  const run: RunCommand = async (command, args) => {
    calls.push([command, ...args]);
    return result;
  };
  return { run, calls };
}

test.each<[number | null, string, boolean | 'throws']>([
  [0, 'system/com.macjutsu.super = {\n', true],
  [113, 'Could not find service "com.macjutsu.super" in domain for system\n', false],
  [1, 'Unrecognized target specifier.\n', 'throws'],
  [null, '', 'throws'],
])('launchctl print exit %p → %p', async (exitCode, text, expected) => {
  const { run, calls } = launchctlAnswering({ exitCode, stdout: exitCode === 0 ? text : '', stderr: exitCode === 0 ? '' : text });
  const read = serviceLoadedStrict(run, 'com.macjutsu.super');
  if (expected === 'throws') await expect(read).rejects.toBeInstanceOf(CommandError);
  else await expect(read).resolves.toBe(expected);
  expect(calls).toEqual([['/bin/launchctl', 'print', 'system/com.macjutsu.super']]);
});

test.each<[number, 'unloaded' | 'not-loaded' | 'throws']>([
  [0, 'unloaded'],
  [3, 'not-loaded'],
  [1, 'throws'],
  [5, 'throws'],
])('launchctl bootout exit %p → %p', async (exitCode, expected) => {
  const { run } = launchctlAnswering({ exitCode, stdout: '', stderr: exitCode === 0 ? '' : `Boot-out failed: ${exitCode}: …\n` });
  const r = bootoutService(run, 'com.macjutsu.super');
  if (expected === 'throws') await expect(r).rejects.toBeInstanceOf(CommandError);
  else await expect(r).resolves.toBe(expected);
});

test('the precondition does not guess: an unexpected launchctl answer stops the run check with an error', async () => {
  const { run } = launchctlAnswering({ exitCode: 1, stdout: '', stderr: 'Operation not permitted\n' });
  await expect(checkPreconditions(run, { macOSVersion: '15.5' })).rejects.toBeInstanceOf(CommandError);
});

test("super's settings: only superd keys, each validated, superd's saved values win", () => {
  const r = settingsFromSuper(
    { DeferralTimerDefault: 90, DeferralTimerError: 'soon', VerboseMode: true, LogFormat: 'json', SuperStatus: 'Pending: …', NextAutoLaunch: 'FALSE' },
    { LogFormat: 'text' },
  );
  expect(r.add).toEqual({ DeferralTimerDefault: 90, VerboseMode: true });
  expect(r.warnings).toEqual([expect.stringMatching(/^DeferralTimerError in \/Library\/Management\/super\/com\.macjutsu\.super\.plist not migrated: must be /)]);
});
