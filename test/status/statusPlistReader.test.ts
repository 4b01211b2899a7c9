import { readFile, writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { parsePlistDict } from '../../daemon/config/readPlist';
import { hostPath, superdPaths } from '../../daemon/host/paths';
import { readStatus, statusFromPlist, statusToPlist, updateStatus, type AuthMethod, type RunState, type StatusRecord } from '../../daemon/status/statusFile';
import { readStatusPlistText } from '../../daemon/status/statusPlistReader';
import { loadPlist } from '../helpers/plist';
import { makeTempRoot } from '../helpers/tempRoot';

/** Characters XML 1.0 cannot carry: superd's writer (xmlbuilder) refuses them, so no status file holds one. */
const XML_ILLEGAL = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
/** Line separators the library's XML parser turns into a line feed (XML 1.1's rule, @xmldom/xmldom 0.9). */
const LINE_SEPARATOR = /[\u0085\u2028\u2029]/;
/** Text that exercises the escaping: markup characters, a carriage return, quotes, tabs, non-ASCII. */
const tricky = fc.constantFrom('&', '<', '>', '\r', '\r\n', '\n', '\t', '"', "'", ']]>', '&amp;', '&#xD;', ' ', 'é', '😀', '<key>x</key>', '\u0085', '\r\u0085', '\u2028', '\u2029');
const text = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), tricky), { maxLength: 6 })
  .map((parts) => parts.join(''))
  .filter((s) => !XML_ILLEGAL.test(s));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
/** Whole seconds, as the status plist keeps times; years 0000–9999 (ISO 8601 without an expanded year). */
const iso = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString());
/** Years beyond 9999 or before 0: the writer still writes them; the small reader leaves them to the library. */
const farIso = fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString());

const record = (date: fc.Arbitrary<string>): fc.Arbitrary<StatusRecord> =>
  fc.record({
    state: fc.constantFrom<RunState>('idle', 'running', 'deferred', 'scheduled', 'waiting-restart', 'done', 'error'),
    stateText: maybe(text),
    authMethod: maybe(fc.constantFrom<AuthMethod>('jamf-client', 'jamf-account', 'local-account', 'service-account', 'user')),
    computerId: maybe(text),
    nextAttempt: maybe(date),
    lastError: maybe(fc.record({ code: text, message: text, at: maybe(date) })),
    heartbeat: maybe(fc.record({ status: text, checkedAt: date })),
    jamfClientInUse: maybe(text),
    targetVersion: maybe(text),
    targetFirstSeen: maybe(fc.record({ version: text, at: date })),
    errorStreak: maybe(fc.record({ code: text, count: fc.integer(), configHash: text })),
    planId: maybe(text),
    planTargetVersion: maybe(text),
    updateAction: maybe(text),
    enforceAt: maybe(date),
    heartbeatPausedFor: maybe(text),
    machineSnapshot: maybe(fc.oneof(text, fc.jsonValue().map((v) => JSON.stringify(v)).filter((s) => !XML_ILLEGAL.test(s)))),
    updatedAt: maybe(date),
    repair: maybe(fc.record({ at: date, reason: text, movedTo: maybe(text) })),
  });

/** What superd's writer puts in the file for a record. */
async function written(s: StatusRecord): Promise<string> {
  const { build } = await loadPlist();
  return build(statusToPlist(s) as Parameters<typeof build>[0]);
}

/** The plist library's reading of the same text (the reference). */
function byLibrary(xml: string): Promise<Record<string, unknown>> {
  return parsePlistDict(Buffer.from(xml, 'utf8'), 'status.plist');
}

describe('the status file reader agrees with the plist library', () => {
  test('every status record superd writes reads back the same through both, and the small reader takes it', async () => {
    await fc.assert(
      fc.asyncProperty(record(iso), async (s) => {
        const xml = await written(s);
        const ours = readStatusPlistText(xml);
        // A line separator is left to the library, which reads it as a line feed (see below).
        if (LINE_SEPARATOR.test(xml)) {
          expect(ours).toBeNull();
          return;
        }
        expect(ours).not.toBeNull();
        expect(ours).toEqual(await byLibrary(xml));
        expect(statusFromPlist(ours!)).toEqual(statusFromPlist(await byLibrary(xml)));
      }),
      { numRuns: 300 },
    );
  });

  test('dates outside years 0000–9999 are left to the library (never a different value)', async () => {
    await fc.assert(
      fc.asyncProperty(record(farIso), async (s) => {
        const xml = await written(s);
        const ours = readStatusPlistText(xml);
        if (ours !== null) expect(ours).toEqual(await byLibrary(xml));
      }),
      { numRuns: 200 },
    );
  });

  test('an edited file: the small reader gives the library value or none, never another', async () => {
    const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 12 }), insert: fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('<!-- c -->', '<real>1.5</real>', '<key>K</key><string>v</string>', '&quot;', '<![CDATA[x]]>', '\r', '<key>__proto__</key><string>x</string>', '<integer>12345678901234567</integer>', '<date>2026-02-30T00:00:00Z</date>', '<data>AA==</data>', '<dict/>', '<array/>')) });
    await fc.assert(
      fc.asyncProperty(record(iso), edit, async (s, e) => {
        const xml = await written(s);
        const at = e.at % (xml.length + 1);
        const changed = xml.slice(0, at) + e.insert + xml.slice(at + e.remove);
        const ours = readStatusPlistText(changed);
        if (ours === null) return;
        expect(ours).toEqual(await byLibrary(changed));
      }),
      { numRuns: 500 },
    );
  });

  test('the forms the writer does not produce are refused by the small reader', () => {
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n';
    const dict = (body: string) => `${head}  <dict>\n${body}\n  </dict>\n</plist>`;
    expect(readStatusPlistText(dict('<key>State</key><string>idle</string>'))).toEqual({ State: 'idle' });
    expect(readStatusPlistText(`${head}  <dict/>\n</plist>\n`)).toEqual({});
    for (const body of [
      '<key>A</key><real>1.5</real>',
      '<key>A</key><data>AA==</data>',
      '<key>A</key><array/>',
      '<key>A</key><dict/>',
      '<key>A</key><string>a &quot; b</string>',
      '<key>A</key><string><![CDATA[x]]></string>',
      '<!-- a comment --><key>A</key><string>x</string>',
      '<key>A</key><string>x</string><key>A</key><string>y</string>',
      '<key>__proto__</key><string>x</string>',
      '<key>A</key><integer>1.0</integer>',
      '<key>A</key><integer>12345678901234567</integer>',
      '<key>A</key><date>2026-12-03T20:00:00.5Z</date>',
      '<key>A</key><date>+010000-01-01T00:00:00Z</date>',
      '<key>A</key><string>a\rb</string>',
      '<key>A</key><string>a\u0085b</string>',
      '<key>A</key><string>a\u2028b</string>',
      '<key>A</key><string>a\u2029b</string>',
      '<key>A</key>',
    ]) {
      expect(readStatusPlistText(dict(body))).toBeNull();
    }
    expect(readStatusPlistText(`\uFEFF${dict('')}`)).toBeNull();
    expect(readStatusPlistText('bplist00')).toBeNull();
  });
});

describe('readStatus', () => {
  test('reads what updateStatus wrote, and a file in another form through the plist library', async () => {
    const { root, cleanup } = await makeTempRoot();
    try {
      const now = new Date('2026-12-03T20:00:00Z');
      const wrote = await updateStatus(root, { state: 'deferred', stateText: 'A & B <c>\r\n', authMethod: 'jamf-client', nextAttempt: '2026-12-04T08:00:00.000Z', errorStreak: { code: 'SUPERD_ERR_X', count: 3, configHash: 'abc' } }, now);
      expect(await readStatus(root)).toEqual({ ...wrote, updatedAt: now.toISOString() });

      // The same values as plutil's binary form (a file someone converted): read by the library.
      const file = hostPath(superdPaths.status, root);
      const { buildBinary, parse } = await loadPlist();
      const dict = parse(await readFile(file, 'utf8'));
      expect(readStatusPlistText((await readFile(file)).toString('utf8'))).not.toBeNull();
      await writeFile(file, buildBinary(dict as Parameters<typeof buildBinary>[0]));
      expect(readStatusPlistText((await readFile(file)).toString('utf8'))).toBeNull();
      expect(await readStatus(root)).toEqual({ ...wrote, updatedAt: now.toISOString() });
    } finally {
      await cleanup();
    }
  });

  test('a missing file is an empty status; a malformed one is repaired, the library\'s fault (with its line) kept as the reason', async () => {
    const { root, cleanup } = await makeTempRoot();
    try {
      expect((await readStatus(root)).state).toBe('idle');
      await updateStatus(root, { state: 'done' });
      const file = hostPath(superdPaths.status, root);
      await writeFile(file, (await readFile(file, 'utf8')).replace('</dict>', ''));
      const repaired = await readStatus(root);
      expect(repaired.state).toBe('idle');
      expect(repaired.repair?.reason).toMatch(/line \d+, column \d+/);
      expect(repaired.repair?.movedTo).toMatch(/status\.plist\.corrupt-\d{8}T\d{9}Z$/);
    } finally {
      await cleanup();
    }
  });
});
