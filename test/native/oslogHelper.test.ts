import { encodeHelperLine } from '../../daemon/log/osLogHelperProtocol';
import type { LogLevel } from '../../daemon/log/unifiedLogSink';
import { buildStubHelper, runStubHelper, type StubCall } from './oslogHelperStub';

const built = buildStubHelper();
const describeWithClang = 'missing' in built ? describe.skip : describe;
if ('missing' in built) {
  console.warn(`the os_log helper's protocol tests are skipped: ${built.missing}`);
  test.skip(`the os_log helper's protocol tests are skipped: ${built.missing}`, () => undefined);
}
afterAll(() => {
  if (!('missing' in built)) built.cleanup();
});

/** The helper run once with `input`; only its log calls (the creates are checked on their own). */
function run(input: string | Buffer, args: string[] = []): { status: number | null; logs: Array<Extract<StubCall, { call: 'log' }>>; creates: string[] } {
  if ('missing' in built) throw new Error(built.missing);
  const { status, calls } = runStubHelper(built.file, input, args);
  return {
    status,
    logs: calls.filter((c): c is Extract<StubCall, { call: 'log' }> => c.call === 'log'),
    creates: calls.flatMap((c) => (c.call === 'create' ? [`${c.subsystem}:${c.category}`] : [])),
  };
}
const pairs = (logs: ReturnType<typeof run>['logs']) => logs.map((l) => [l.type, l.category, l.message]);
const MALFORMED = 'superd-oslog: skipped a malformed line';

describeWithClang('the os_log helper line protocol (built against a printing os_log stub)', () => {
  test('one os_log_create per category, cached; subsystem com.github.superd', () => {
    const { status, creates, logs } = run('default\tjamf-api\tone\ninfo\tlifecycle\ttwo\ndefault\tjamf-api\tthree\n');
    expect(status).toBe(0);
    expect(creates).toEqual(['com.github.superd:jamf-api', 'com.github.superd:lifecycle']);
    expect(pairs(logs)).toEqual([
      ['00', 'jamf-api', 'one'],
      ['01', 'lifecycle', 'two'],
      ['00', 'jamf-api', 'three'],
    ]);
  });

  test('each type maps to its os_log_type_t value, through os_log_with_type(log, type, "%{public}s", message)', () => {
    const { logs } = run(['default', 'info', 'debug', 'error', 'fault'].map((t) => `${t}\tcli\t${t} entry\n`).join(''));
    expect(logs.map((l) => l.type)).toEqual(['00', '01', '02', '10', '11']);
    // clang's __builtin_os_log_format: summary 0x02 (non-scalar items), 1 item, descriptor 0x22
    // (string, public), size 8 (a pointer), as Apple's <os/log.h> macro produces.
    expect(new Set(logs.map((l) => `${l.format} ${l.buffer}`))).toEqual(new Set(['%{public}s 02 01 22 08']));
  });

  test('escapes: \\\\ \\n \\r \\t decoded, an unknown escape and a raw TAB in the message kept', () => {
    const { logs } = run('info\thost\ta\\\\b\\nc\\rd\\te \\q f\tg end\\\n');
    expect(logs.map((l) => l.message)).toEqual(['a\\b\nc\rd\te \\q f\tg end\\']);
  });

  test('garbage lines are skipped, each with one error entry in category "log", and the helper carries on', () => {
    const garbage = [
      '', // empty
      'no tabs at all',
      'info\tonly-category',
      'warning\tcli\tunknown type',
      'info\tCli\tupper-case category',
      'info\t\tempty category',
      `info\t${'c'.repeat(64)}\ttoo long a category`,
      'info\tcli\tNUL \0 inside',
      '\xff\xfe\tcli\tbinary type',
    ];
    const { status, logs } = run(`${garbage.join('\n')}\ninfo\tcli\tstill here\n`);
    expect(status).toBe(0);
    expect(pairs(logs)).toEqual([...garbage.map(() => ['10', 'log', MALFORMED]), ['01', 'cli', 'still here']]);
  });

  test('a line over 16384 bytes is skipped with one error entry; one of exactly 16384 bytes is logged', () => {
    const head = 'info\tcli\t';
    const exact = `${head}${'x'.repeat(16384 - head.length)}`;
    const over = `${head}${'y'.repeat(70_000)}`;
    const { status, logs } = run(`${over}\n${exact}\ninfo\tcli\tafter\n`);
    expect(status).toBe(0);
    expect(logs.map((l) => [l.category, l.message.length > 100 ? `${l.message[0]}×${l.message.length}` : l.message])).toEqual([
      ['log', 'superd-oslog: skipped a line longer than 16384 bytes'],
      ['cli', `x×${16384 - head.length}`],
      ['cli', 'after'],
    ]);
  });

  test('past 32 categories, entries go to the category "other"', () => {
    const lines = Array.from({ length: 34 }, (_, i) => `info\tc${i}\tm${i}\n`).join('');
    const { creates, logs } = run(lines);
    expect(creates).toHaveLength(33);
    expect(creates.at(-1)).toBe('com.github.superd:other');
    expect(logs.slice(-2).map((l) => [l.category, l.message])).toEqual([
      ['other', 'm32'],
      ['other', 'm33'],
    ]);
  });

  test('end of input: exit 0; an unterminated last line (a torn write) is dropped', () => {
    expect(run('')).toEqual({ status: 0, logs: [], creates: [] });
    const { status, logs } = run('info\tcli\tcomplete\ninfo\tcli\ttorn');
    expect(status).toBe(0);
    expect(logs.map((l) => l.message)).toEqual(['complete']);
  });

  test('it takes no arguments (exit 64), so nothing can reach it through argv', () => {
    expect(run('info\tcli\tx\n', ['--message', 'x']).status).toBe(64);
  });

  test("superd's encoder and the helper agree: what the daemon logs is what os_log receives", () => {
    const levels: LogLevel[] = ['error', 'warn', 'info', 'verbose', 'debug'];
    const messages = ['plain', 'two\nlines', 'tab\there', 'back\\slash \\n literal', 'cr\r\nlf', 'nul\0byte', 'ünïcødé ✓ 🍎', '-p user.emerg'];
    const entries = messages.map((message, i) => ({ level: levels[i % levels.length]!, category: 'jamf-api', message }));
    const { logs } = run(entries.map(encodeHelperLine).join(''));
    expect(logs.map((l) => [l.type, l.message])).toEqual(
      entries.map((e) => [{ error: '10', warn: '00', info: '00', verbose: '01', debug: '02' }[e.level], e.message.replace(/\0/g, '')]),
    );
  });

  test('the encoder cuts long messages so that the line always fits the helper', () => {
    const message = '\\'.repeat(3000) + '🍎'.repeat(3000);
    const line = encodeHelperLine({ level: 'info', category: 'cli', message });
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(16385);
    const { logs } = run(line);
    expect(logs).toHaveLength(1);
    expect(logs[0]?.message.endsWith('…')).toBe(true);
    expect(logs[0]?.message).not.toMatch(/[\uD800-\uDBFF]…$/);
  });
});
