import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createLogger, SecretRegistry, type CreateLoggerOptions, type UnifiedLogEntry, type UnifiedLogSink } from '../../daemon/log';
import { LoggerCommandSink, loggerArguments } from '../../daemon/log/loggerCommandSink';
import { OsLogHelperSink } from '../../daemon/log/osLogHelperSink';
import type { RunCommand } from '../../daemon/host/runCommand';
import { findSecrets } from '../helpers/secretScan';
import { makeTempRoot } from '../helpers/tempRoot';
import { installFakeLogger, installFakeOsLogHelper } from './fakeLoggerCommand';

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot('superd-unified-'));
});
afterEach(() => cleanup());

function options(overrides: Partial<CreateLoggerOptions>): CreateLoggerOptions {
  return {
    dir: path.join(root, 'superd'),
    format: 'text',
    console: false,
    unifiedLog: 'auto',
    level: 'debug',
    registry: new SecretRegistry(),
    env: { SUPERD_ROOT: root },
    now: () => new Date('2026-11-22T10:00:00.000Z'),
    ...overrides,
  };
}

function logEveryLevel(logger: ReturnType<typeof createLogger>): void {
  const log = logger.child('jamf-api');
  log.error('e', { status: 500 });
  log.warn('w');
  log.info('i');
  log.verbose('v');
  log.debug('d');
}

describe('choosing the unified-log writer', () => {
  test('auto on macOS with the helper: one helper, no arguments, a protocol line per entry with its os_log type', async () => {
    const helper = await installFakeOsLogHelper(root);
    const fake = await installFakeLogger(root);
    const logger = createLogger(options({ platform: 'darwin' }));
    logEveryLevel(logger);
    logger.child('host').info('two\nlines\tand a \\ backslash');
    await logger.close();
    expect(await helper.lines()).toEqual([
      'error\tjamf-api\te status=500',
      'default\tjamf-api\tw',
      'default\tjamf-api\ti',
      'info\tjamf-api\tv',
      'debug\tjamf-api\td',
      // renderMessage already wrote the newline as \n (as in the file); the helper's escapes come on top.
      'default\thost\ttwo\\\\nlines\\tand a \\\\ backslash',
    ]);
    expect(await helper.argCounts()).toEqual(['0']);
    expect(await fake.calls()).toEqual([]);
  });

  test('a secret reaches neither the helper nor its argv: entries are redacted and go on stdin', async () => {
    const helper = await installFakeOsLogHelper(root);
    const registry = new SecretRegistry();
    const secret = 'hunter2-Very-Secret-Value';
    registry.registerSecret(secret);
    const logger = createLogger(options({ platform: 'darwin', registry }));
    logger.child('auth').info(`password is ${secret}`, { password: secret });
    await logger.close();
    expect(await helper.argCounts()).toEqual(['0']);
    expect(await helper.lines()).toEqual(['default\tauth\tpassword is [REDACTED] password=[REDACTED]']);
    expect(findSecrets([secret], root)).toEqual([]);
  });

  test('auto on macOS without the helper: /usr/bin/logger under SUPERD_ROOT, no shell, priority per level, "superd: " first', async () => {
    const fake = await installFakeLogger(root);
    const logger = createLogger(options({ platform: 'darwin' }));
    logEveryLevel(logger);
    await logger.close();
    expect(await fake.calls()).toEqual([
      ['-t', 'superd', '-p', 'user.err', '--', 'superd: [jamf-api] e status=500'],
      ['-t', 'superd', '-p', 'user.warning', '--', 'superd: [jamf-api] w'],
      ['-t', 'superd', '-p', 'user.notice', '--', 'superd: [jamf-api] i'],
      ['-t', 'superd', '-p', 'user.info', '--', 'superd: [jamf-api] v'],
      ['-t', 'superd', '-p', 'user.debug', '--', 'superd: [jamf-api] d'],
    ]);
  });

  test.each(['linux', 'freebsd'] as const)('auto on %s: no unified log at all', async (platform) => {
    const fake = await installFakeLogger(root);
    const helper = await installFakeOsLogHelper(root);
    const logger = createLogger(options({ platform }));
    logEveryLevel(logger);
    await logger.close();
    expect(await fake.calls()).toEqual([]);
    expect(await helper.argCounts()).toEqual([]);
    expect(await readFile(path.join(root, 'superd', 'logs', 'superd.log'), 'utf8')).toContain('[jamf-api] d');
  });

  test('logger on Linux when asked explicitly', async () => {
    const fake = await installFakeLogger(root);
    const logger = createLogger(options({ platform: 'linux', unifiedLog: 'logger' }));
    logger.child('cli').info('-p user.emerg looks like an option');
    await logger.close();
    expect(await fake.calls()).toEqual([['-t', 'superd', '-p', 'user.notice', '--', 'superd: [cli] -p user.emerg looks like an option']]);
  });

  test('off: nothing, even on macOS', async () => {
    const helper = await installFakeOsLogHelper(root);
    const fake = await installFakeLogger(root);
    const logger = createLogger(options({ platform: 'darwin', unifiedLog: 'off' }));
    logEveryLevel(logger);
    await logger.close();
    expect(await helper.argCounts()).toEqual([]);
    expect(await fake.calls()).toEqual([]);
  });

  test('helper asked but not installed: one warning in the file, and no logger fallback', async () => {
    const fake = await installFakeLogger(root);
    const logger = createLogger(options({ platform: 'darwin', unifiedLog: 'helper' }));
    await logger.close();
    const helperFile = path.join(root, 'Library/Management/superd/app/bin/superd-oslog');
    expect(await readFile(path.join(root, 'superd', 'logs', 'superd.log'), 'utf8')).toBe(
      `2026-11-22T10:00:00.000Z warn [log] the os_log helper ${helperFile} is missing or not executable; the unified log is off\n`,
    );
    expect(await fake.calls()).toEqual([]);
  });

  test('a failing logger command is given up after three failures, and that is logged', async () => {
    const fake = await installFakeLogger(root, 1);
    const logger = createLogger(options({ platform: 'darwin' }));
    const log = logger.child('lifecycle');
    for (let i = 0; i < 6; i++) log.info(`line ${i}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await logger.close();
    expect(await fake.calls()).toHaveLength(3);
    const file = await readFile(path.join(root, 'superd', 'logs', 'superd.log'), 'utf8');
    expect(file).toMatch(/warn \[log\] the unified log is off: \/usr\/bin\/logger keeps failing reason="\/usr\/bin\/logger exited with status 1"\n$/);
  });

  test('closed at once, the logger still waits for the unified-log writer, and its giving up reaches the file', async () => {
    const fake = await installFakeLogger(root, 1);
    const logger = createLogger(options({ platform: 'darwin' }));
    const log = logger.child('lifecycle');
    for (let i = 0; i < 6; i++) log.info(`line ${i}`);
    await logger.close();
    expect(await fake.calls()).toHaveLength(3);
    const file = await readFile(path.join(root, 'superd', 'logs', 'superd.log'), 'utf8');
    expect(file.trimEnd().split('\n')).toHaveLength(7);
    expect(file).toMatch(/warn \[log\] the unified log is off: \/usr\/bin\/logger keeps failing reason="\/usr\/bin\/logger exited with status 1"\n$/);
  });
});

describe('LoggerCommandSink', () => {
  test('keeps order, bounds the queue and reports what it dropped', async () => {
    const sent: string[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const run: RunCommand = async (command, args) => {
      expect(command).toBe('/usr/bin/logger');
      await gate;
      sent.push([...args]);
      return { stdout: '', stderr: '', exitCode: 0 };
    };
    const sink = new LoggerCommandSink(run);
    for (let i = 0; i < 260; i++) sink.write({ level: 'info', category: 'bench', message: `entry ${i}` });
    release();
    await sink.close();
    const messages = sent.map((args) => args[5]);
    expect(messages.slice(0, 3)).toEqual(['superd: [bench] entry 0', 'superd: [bench] entry 1', 'superd: [bench] entry 2']);
    // 1 in flight + 200 queued; the other 59 are reported as one entry.
    expect(messages).toHaveLength(202);
    expect(messages[200]).toBe('superd: [bench] entry 200');
    expect(messages[201]).toBe('superd: [log] 59 entries were not sent to the unified log (too many at once); the log file has them');
  });

  test('arguments: the message is last, after --, without NUL bytes, and bounded', () => {
    const args = loggerArguments({ level: 'error', category: 'host', message: `a\0b${'x'.repeat(5000)}` });
    expect(args.slice(0, 5)).toEqual(['-t', 'superd', '-p', 'user.err', '--']);
    expect(args[5]?.startsWith('superd: [host] ab')).toBe(true);
    expect(args[5]?.length).toBeLessThanOrEqual(4001);
  });
});

/** A sink that records what it is given (the fallback of the helper sink). */
function recordingSink(): UnifiedLogSink & { entries: UnifiedLogEntry[]; closed: boolean } {
  const sink = {
    kind: 'logger' as const,
    entries: [] as UnifiedLogEntry[],
    closed: false,
    write: (entry: UnifiedLogEntry) => void sink.entries.push(entry),
    close: async () => {
      sink.closed = true;
    },
  };
  return sink;
}

describe('OsLogHelperSink', () => {
  const helperFile = () => path.join(root, 'Library/Management/superd/app/bin/superd-oslog');
  const entry = (message: string): UnifiedLogEntry => ({ level: 'info', category: 'cli', message });

  test('a missing helper: the entry and the next ones go to the fallback, said once', async () => {
    const fallback = recordingSink();
    const problems: string[] = [];
    const sink = new OsLogHelperSink({ file: helperFile(), fallback: () => fallback, onProblem: (p) => problems.push(p) });
    sink.write(entry('one'));
    sink.write(entry('two'));
    await sink.close();
    expect(fallback.entries.map((e) => e.message)).toEqual(['one', 'two']);
    expect(fallback.closed).toBe(true);
    expect(problems).toEqual([`the os_log helper ${helperFile()} is missing or not executable; the unified log now goes through /usr/bin/logger`]);
  });

  test('a helper that dies: later entries go to the fallback, and why is said once', async () => {
    await installFakeOsLogHelper(root, 3);
    const fallback = recordingSink();
    let problem: (reason: string) => void = () => undefined;
    const reported = new Promise<string>((resolve) => (problem = resolve));
    const sink = new OsLogHelperSink({ file: helperFile(), fallback: () => fallback, onProblem: (p) => problem(p) });
    sink.write(entry('to the helper'));
    expect(await reported).toBe('the os_log helper exited (status 3); the unified log now goes through /usr/bin/logger');
    sink.write(entry('after'));
    await sink.close();
    expect(fallback.entries.map((e) => e.message)).toEqual(['after']);
  });

  test('a helper that dies without a fallback: the unified log is off, and nothing throws', async () => {
    await installFakeOsLogHelper(root, 1);
    let problem: (reason: string) => void = () => undefined;
    const reported = new Promise<string>((resolve) => (problem = resolve));
    const sink = new OsLogHelperSink({ file: helperFile(), onProblem: (p) => problem(p) });
    sink.write(entry('one'));
    expect(await reported).toBe('the os_log helper exited (status 1); the unified log is off');
    expect(() => sink.write(entry('two'))).not.toThrow();
    await sink.close();
  });

  test('a helper that does not read: what waits in the pipe is bounded, the rest dropped, order kept', async () => {
    const bin = path.dirname(helperFile());
    const gate = path.join(root, 'gate');
    const out = path.join(root, 'out.txt');
    await mkdir(bin, { recursive: true });
    await writeFile(helperFile(), `#!/bin/sh\nwhile [ ! -e '${gate}' ]; do sleep 0.05; done\nexec cat > '${out}'\n`);
    await chmod(helperFile(), 0o755);
    const sink = new OsLogHelperSink({ file: helperFile() });
    const count = 50_000;
    for (let i = 0; i < count; i++) sink.write(entry(`entry ${i} ${'x'.repeat(80)}`));
    await writeFile(gate, '');
    await sink.close();
    const lines = (await readFile(out, 'utf8')).split('\n').filter(Boolean);
    // 256 KiB in Node's buffer plus what the kernel pipe holds (64 KiB on Linux and macOS).
    expect(lines.length).toBeLessThan(count);
    expect(lines.length * 100).toBeLessThan(1024 * 1024);
    lines.forEach((line, i) => expect(line).toBe(`default\tcli\tentry ${i} ${'x'.repeat(80)}`));
  });
});
