import { askForPassword, parseDialogAnswer } from '../../daemon/host/userDialog';
import { loadCase, replay } from '../helpers/macosCorpus';

describe('osascript display dialog over the corpus (test/fixtures/macos/osascript)', () => {
  test.each([
    ['display-dialog-ok', { kind: 'ok', text: 's3cret' }],
    ['display-dialog-ok-giving-up', { kind: 'ok', text: 's3cret' }],
    ['display-dialog-timeout', { kind: 'timeout' }],
    ['display-dialog-cancel', { kind: 'cancel' }],
  ])('%s', async (name, expected) => {
    const c = loadCase('osascript', name);
    expect(parseDialogAnswer(c.exit, c.stdout, c.stderr ?? '')).toEqual(expected);
    const { run, calls } = replay(c);
    expect(await askForPassword(run, { uid: 501, title: 'superd', message: 'Password', timeoutSeconds: 120 })).toEqual(expected);
    expect(calls[0]?.args.slice(0, 4)).toEqual(['asuser', '501', '/usr/bin/osascript', '-e']);
    expect(calls[0]?.args[4]).toMatch(/with hidden answer .* giving up after 120$/);
  });

  test('a password with commas (reference §11 pitfall) is kept whole', () => {
    const line = loadCase('osascript', 'display-dialog-ok-giving-up').stdout.replace('s3cret', 'a, b, c');
    expect(parseDialogAnswer(0, line, '')).toEqual({ kind: 'ok', text: 'a, b, c' });
  });

  test('other failures (-1713 no user interaction, texts unconfirmed) are errors, never an answer', () => {
    expect(parseDialogAnswer(1, '', '0:10: execution error: No user interaction allowed. (-1713)\n')).toMatchObject({ kind: 'error' });
    expect(parseDialogAnswer(0, 'something else\n', '')).toEqual({ kind: 'error', message: 'osascript answered without a text field' });
  });
});
