import { deleteGenericPassword, readGenericPassword, writeGenericPassword } from '../../daemon/host/security';
import { CommandError } from '../../daemon/errors';
import type { RunCommand } from '../../daemon/host/runCommand';
import { loadCase, replay } from '../helpers/macosCorpus';

const item = { account: 'superd_auth_local_password', service: 'superd' };

describe('security over the corpus (test/fixtures/macos/security)', () => {
  test('find-generic-password-not-found (exit 44) → null', async () => {
    const { run, calls } = replay(loadCase('security', 'find-generic-password-not-found'));
    expect(await readGenericPassword(run, item)).toBeNull();
    expect(calls[0]?.args).toEqual(['find-generic-password', '-a', item.account, '-s', item.service, '-w', '/Library/Keychains/System.keychain']);
  });

  test('delete-generic-password-not-found (exit 44) → false', async () => {
    const { run } = replay(loadCase('security', 'delete-generic-password-not-found'));
    expect(await deleteGenericPassword(run, item)).toBe(false);
  });

  test('another failure status is a CommandError, not "not found"', async () => {
    const { run } = replay(loadCase('security', 'add-generic-password-duplicate'));
    await expect(readGenericPassword(run, item)).rejects.toBeInstanceOf(CommandError);
  });

  test('a write whose batch prints the real duplicate error fails, whatever the exit status; the value stays on stdin', async () => {
    const c = loadCase('security', 'add-generic-password-duplicate');
    for (const exit of [45, 0]) {
      const { run, calls } = replay(c, { exit });
      const error = await writeGenericPassword(run, item, 'c2VjcmV0', undefined).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CommandError);
      expect(String((error as Error).message)).not.toContain('c2VjcmV0');
      expect(calls[0]?.args).toEqual(['-i']);
      expect(calls[0]?.stdin).toContain('-w "c2VjcmV0"');
    }
  });

  test('`security -i` exits with the last line\'s status: "returned N" on stderr with exit 0 still fails (no capture; Apple source, reference §9.4)', async () => {
    const run: RunCommand = async () => ({ stdout: '', stderr: 'add-generic-password: returned -25299\n', exitCode: 0 });
    await expect(writeGenericPassword(run, item, 'c2VjcmV0')).rejects.toBeInstanceOf(CommandError);
  });
});
