import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { corpusDir, INDEX_BEGIN, INDEX_END, loadAllCases, parseCase, renderIndex } from '../helpers/macosCorpus';

const indexFile = path.join(corpusDir, 'INDEX.md');

describe('the macOS capture corpus (test/fixtures/macos)', () => {
  const cases = loadAllCases();

  test('every case has a source, an exact command and a known confidence', () => {
    expect(cases.length).toBeGreaterThan(20);
    for (const c of cases) {
      expect([c.id, c.sources.every((s) => s.trim().length > 10)]).toEqual([c.id, true]);
      expect([c.id, c.argv.startsWith('/')]).toEqual([c.id, true]);
    }
  });

  test('INDEX.md lists every case as its headers say (UPDATE_MACOS_INDEX=1 rewrites it)', () => {
    const text = readFileSync(indexFile, 'utf8');
    const begin = text.indexOf(INDEX_BEGIN);
    const end = text.indexOf(INDEX_END);
    expect([begin >= 0, end > begin]).toEqual([true, true]);
    const current = text.slice(begin, end + INDEX_END.length + 1);
    const expected = renderIndex(cases);
    if (process.env.UPDATE_MACOS_INDEX === '1' && current !== expected) writeFileSync(indexFile, text.replace(current, expected));
    else expect(current).toBe(expected);
  });

  test('INDEX.md has a "No capture exists" section', () => {
    expect(readFileSync(indexFile, 'utf8')).toMatch(/^## No capture exists$/m);
  });
});

describe('the corpus file format', () => {
  test('stdout and stderr sections are verbatim, stderr optional', () => {
    const c = parseCase('x/y', '# source: somewhere exact\n# command: /bin/x\n# exit: 3\n# --- stdout ---\na\n\tb\n# --- stderr ---\nerr\n');
    expect([c.stdout, c.stderr, c.exit, c.confidence]).toEqual(['a\n\tb\n', 'err\n', 3, 'confirmed']);
    const empty = parseCase('x/y', '# source: somewhere exact\n# command: /bin/x\n# --- stdout ---\n# --- stderr ---\n');
    expect([empty.stdout, empty.stderr, empty.exit]).toEqual(['', '', null]);
    const noStderr = parseCase('x/y', '# source: s\n# command: /bin/x\n# --- stdout ---\nout\n');
    expect([noStderr.stdout, noStderr.stderr]).toEqual(['out\n', null]);
  });

  test.each([
    ['no stdout marker', '# source: s\n# command: c\nout\n', /no "# --- stdout ---"/],
    ['missing source', '# command: c\n# --- stdout ---\n', /required/],
    ['unknown field', '# source: s\n# command: c\n# colour: red\n# --- stdout ---\n', /unknown header field/],
    ['bad exit', '# source: s\n# command: c\n# exit: one\n# --- stdout ---\n', /must be a number/],
    ['stray header text', '# source: s\n# command: c\nhello\n# --- stdout ---\n', /not "# key: value"/],
  ])('refuses a file with %s', (_what, text, error) => {
    expect(() => parseCase('x/y', text)).toThrow(error);
  });
});
