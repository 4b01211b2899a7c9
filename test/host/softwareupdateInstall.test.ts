import { installArgs, installWithPassword, parseInstallResult, parseLastProgress } from '../../daemon/host/softwareupdateInstall';
import { loadCase, merged, replay } from '../helpers/macosCorpus';

const input = { label: 'macOS Ventura 13.3-22E252', user: 'jdoe', password: 'correct horse', timeoutMs: 60_000 };

describe('softwareupdate --install over the corpus (test/fixtures/macos/softwareupdate)', () => {
  test("super's argv (lines 7792, 7800): --restart --force --no-scan --agree-to-license, password only on stdin", async () => {
    const { run, calls } = replay(loadCase('softwareupdate', 'install-already-downloaded'), { exit: 0 });
    expect(await installWithPassword(run, input)).toEqual({ ok: true, lastProgress: null });
    expect(calls).toEqual([{
      command: '/usr/sbin/softwareupdate',
      args: ['--install', 'macOS Ventura 13.3-22E252', '--restart', '--force', '--no-scan', '--agree-to-license', '--user', 'jdoe', '--stdinpass'],
      stdin: 'correct horse\n',
    }]);
    expect(installArgs(input.label, input.user).join(' ')).not.toContain('correct horse');
  });

  test('the real 13.0 → 13.3 progress: last value 100, success with exit 0', () => {
    const c = loadCase('softwareupdate', 'download-ventura-13.3-progress');
    expect(parseLastProgress(c.stdout)).toBe(100);
    expect(parseInstallResult({ stdout: c.stdout, stderr: '', exitCode: 0 })).toEqual({ ok: true, lastProgress: 100 });
  });

  // super issue #219: "Failed to authenticate" after "Downloaded: …"; exit status not recorded.
  test.each([
    ['on stdout, exit 0', { exit: 0 }],
    ['on stderr, exit 0', { exit: 0, onStderr: true }],
    ['on stdout, exit 1', { exit: 1 }],
  ])('Failed to authenticate %s is an authentication failure', async (_how, options) => {
    const { run } = replay(loadCase('softwareupdate', 'auth-failed-sonoma-14.5'), options);
    expect(await installWithPassword(run, input)).toEqual({ ok: false, authFailed: true, message: 'Failed to authenticate', lastProgress: null });
  });

  test('error sentences super matches are failures even with exit 0 (wording of each unconfirmed)', () => {
    const ok = merged(loadCase('softwareupdate', 'install-already-downloaded'));
    for (const line of ['Can\u2019t connect to the Apple Software Update server.', "Couldn't communicate with a helper application.", 'No such update', 'Not enough free disk space', 'Failed to download']) {
      const r = parseInstallResult({ stdout: ok, stderr: `${line}\n`, exitCode: 0 });
      expect(r).toEqual({ ok: false, authFailed: false, message: line, lastProgress: null });
    }
  });

  test('a non-zero exit without text is a failure that names the status; the banner is not the message', () => {
    expect(parseInstallResult({ stdout: '', stderr: 'Software Update Tool\n\nFinding available software\n', exitCode: 3 }))
      .toEqual({ ok: false, authFailed: false, message: 'softwareupdate exited 3', lastProgress: null });
  });

  test('non-macOS install ending "Done." is a success', () => {
    const c = loadCase('softwareupdate', 'install-recommended-non-macos');
    expect(parseInstallResult({ stdout: c.stdout, stderr: '', exitCode: 0 })).toEqual({ ok: true, lastProgress: null });
  });
});
