import { checkLocalPassword, generatedUid, parseAuthonly, parseGeneratedUid } from '../../daemon/host/dscl';
import { loadCase, merged, replay } from '../helpers/macosCorpus';

describe('dscl authonly over the corpus (test/fixtures/macos/dscl)', () => {
  const wrong = loadCase('dscl', 'authonly-wrong-password');
  const success = loadCase('dscl', 'authonly-success');

  test('success: exit 0 and nothing printed; the password goes on stdin, never in argv', async () => {
    const { run, calls } = replay(success);
    expect(await checkLocalPassword(run, 'jdoe', 'pa ss"word')).toEqual({ ok: true });
    expect(calls).toEqual([{ command: '/usr/bin/dscl', args: ['/Local/Default'], stdin: 'authonly "jdoe" "pa ss\\"word"\n' }]);
    expect(JSON.stringify(calls.map((c) => c.args))).not.toContain('pa ss');
  });

  // The stream split and exit status of the real failure are unconfirmed, and in interactive
  // mode the exit status can be 0 (reference §7.2): every combination is a refusal.
  test.each([
    ['on stdout, exit 0 (interactive mode)', { exit: 0 }],
    ['on stderr, exit 0', { exit: 0, onStderr: true }],
    ['on stderr, exit 10 (derived)', { exit: 10, onStderr: true }],
    ['on stdout, exit 10', { exit: 10 }],
  ])('wrong password %s → wrong-password', async (_how, options) => {
    const { run } = replay(wrong, options);
    expect(await checkLocalPassword(run, 'jdoe', 'nope')).toEqual({ ok: false, reason: 'wrong-password', detail: 'eDSAuthFailed' });
  });

  test('only the "Authentication for node … failed." line (the other stream lost) still refuses', () => {
    const authLine = merged(wrong).split('\n').find((l) => l.startsWith('Authentication for node')) ?? '';
    expect(authLine).not.toBe('');
    expect(parseAuthonly({ stdout: `${authLine}\n`, stderr: '', exitCode: 0 })).toMatchObject({ ok: false, reason: 'wrong-password' });
  });

  test('the same two-line shape with other DS errors maps by name (numbers from reference §7.2)', () => {
    const as = (code: string, name: string) => merged(wrong).replace(/-14090/g, code).replace(/eDSAuthFailed/g, name);
    expect(parseAuthonly({ stdout: as('-14167', 'eDSAuthAccountDisabled'), stderr: '', exitCode: 0 })).toMatchObject({ ok: false, reason: 'disabled' });
    expect(parseAuthonly({ stdout: '', stderr: as('-14136', 'eDSRecordNotFound'), exitCode: 56 })).toMatchObject({ ok: false, reason: 'unknown-user' });
    expect(parseAuthonly({ stdout: '', stderr: as('-14091', 'eDSAuthMethodNotSupported'), exitCode: 11 })).toMatchObject({ ok: false, reason: 'error' });
  });

  test('no capture of the interactive form exists: any other output, or a bare non-zero exit, is a refusal', () => {
    expect(parseAuthonly({ stdout: 'Unrecognized command\n', stderr: '', exitCode: 0 })).toEqual({ ok: false, reason: 'error', detail: 'unexpected output, no DS error code' });
    expect(parseAuthonly({ stdout: '', stderr: '', exitCode: 1 })).toEqual({ ok: false, reason: 'error', detail: 'exit status 1' });
    expect(parseAuthonly({ stdout: '', stderr: '', exitCode: null })).toMatchObject({ ok: false, reason: 'error' });
  });

  test('the refusal detail never quotes the output (dscl read the password on the same stdin)', () => {
    const r = parseAuthonly({ stdout: 'echo secret-pw\n', stderr: '', exitCode: 0 });
    expect(JSON.stringify(r)).not.toContain('secret-pw');
  });
});

describe('dscl -read GeneratedUID over the corpus', () => {
  test('read-generateduid', async () => {
    const c = loadCase('dscl', 'read-generateduid');
    const { run, calls } = replay(c);
    expect(await generatedUid(run, 'jdoe')).toBe('DF3F7C85-14FF-4DC2-A089-5CA9D6E7479B');
    expect(calls[0]?.args).toEqual(['.', '-read', '/Users/jdoe', 'GeneratedUID']);
  });

  test('read-record-not-found (exit 56) → null', async () => {
    const c = loadCase('dscl', 'read-record-not-found');
    expect(parseGeneratedUid({ stdout: c.stdout, stderr: c.stderr ?? '', exitCode: c.exit })).toBeNull();
    const { run } = replay(c);
    expect(await generatedUid(run, 'nobody')).toBeNull();
  });

  test('exit 0 without a UUID line (e.g. "No such key") → null', () => {
    expect(parseGeneratedUid({ stdout: '', stderr: 'No such key: GeneratedUID\n', exitCode: 0 })).toBeNull();
  });
});
