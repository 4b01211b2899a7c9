import { consoleUser, parseConsoleUser } from '../../daemon/host/scutil';
import { loadCase, replay } from '../helpers/macosCorpus';

describe('scutil ConsoleUser over the corpus (test/fixtures/macos/scutil)', () => {
  const twoSessions = loadCase('scutil', 'console-user-two-sessions');

  test('the top-level Name/UID, not a nested session key; the command goes on stdin', async () => {
    expect(parseConsoleUser(twoSessions.stdout)).toEqual({ name: 'jandoe', uid: 501 });
    const { run, calls } = replay(twoSessions);
    expect(await consoleUser(run)).toEqual({ name: 'jandoe', uid: 501 });
    expect(calls).toEqual([{ command: '/usr/sbin/scutil', args: [], stdin: 'show State:/Users/ConsoleUser\n' }]);
  });

  test('"No such key" early in boot is no user', () => {
    expect(parseConsoleUser(loadCase('scutil', 'no-such-key-early-boot').stdout)).toBeNull();
  });

  // No capture of these dictionaries exists; only the names are known (super lines 4426-4432).
  test.each(['loginwindow', '_mbsetupuser', 'root'])('Name : %s is not a real user', (name) => {
    const text = twoSessions.stdout.replace('  Name : jandoe', `  Name : ${name}`);
    expect(parseConsoleUser(text)).toBeNull();
  });

  test('an empty name, UID 0 or a failing scutil is no user', async () => {
    expect(parseConsoleUser(twoSessions.stdout.replace('  Name : jandoe', '  Name : '))).toBeNull();
    expect(parseConsoleUser(twoSessions.stdout.replace('  UID : 501', '  UID : 0'))).toBeNull();
    const { run } = replay(twoSessions, { exit: 1 });
    expect(await consoleUser(run)).toBeNull();
  });
});
