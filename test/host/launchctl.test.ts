import { bootoutService, bootstrapService, isServiceLoaded, serviceLoadedStrict } from '../../daemon/host/launchctl';
import { CommandError } from '../../daemon/errors';
import { loadCase, replay } from '../helpers/macosCorpus';

describe('launchctl over the corpus (test/fixtures/macos/launchctl): decided on the exit status, which equals errno', () => {
  test('print, loaded (exit 0) and not loaded (exit 113, "Could not find service")', async () => {
    const loaded = replay(loadCase('launchctl', 'print-loaded'));
    expect(await serviceLoadedStrict(loaded.run, 'com.macjutsu.super')).toBe(true);
    expect(loaded.calls[0]).toMatchObject({ command: '/bin/launchctl', args: ['print', 'system/com.macjutsu.super'] });
    expect(await isServiceLoaded(loaded.run, 'com.macjutsu.super')).toBe(true);
    const missing = loadCase('launchctl', 'print-not-loaded');
    expect(missing.stderr).toMatch(/^Could not find service "com.macjutsu.super" in domain for system/);
    expect(await serviceLoadedStrict(replay(missing).run, 'com.macjutsu.super')).toBe(false);
    expect(await isServiceLoaded(replay(missing).run, 'com.macjutsu.super')).toBe(false);
  });

  test('print with any other status is not read as "not loaded": the strict form throws', async () => {
    const other = replay(loadCase('launchctl', 'print-not-loaded'), { exit: 5 });
    await expect(serviceLoadedStrict(other.run, 'com.macjutsu.super')).rejects.toBeInstanceOf(CommandError);
  });

  test('bootout: exit 3 ("No such process") means it was not loaded; another failure throws', async () => {
    const c = loadCase('launchctl', 'bootout-not-loaded');
    expect(await bootoutService(replay(c).run, 'com.macjutsu.super')).toBe('not-loaded');
    expect(await bootoutService(replay(c, { exit: 0 }).run, 'com.macjutsu.super')).toBe('unloaded');
    await expect(bootoutService(replay(c, { exit: 1 }).run, 'com.macjutsu.super')).rejects.toBeInstanceOf(CommandError);
  });

  test('bootstrap: the catch-all exit 5 is a failure with launchd\'s text, for the caller to verify with print', async () => {
    const c = loadCase('launchctl', 'bootstrap-io-error');
    expect(await bootstrapService(replay(c).run, '/Library/LaunchDaemons/com.macjutsu.super.plist')).toEqual({ ok: false, stderr: 'Bootstrap failed: 5: Input/output error\n' });
    expect((await bootstrapService(replay(c, { exit: 0 }).run, '/x.plist')).ok).toBe(true);
  });
});
