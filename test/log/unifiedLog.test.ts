import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createLogger, loadNativeOsLog, SecretRegistry, type CreateLoggerOptions, type NativeOsLog, type OsLogType } from '../../daemon/log';
import { LoggerCommandSink, loggerArguments } from '../../daemon/log/loggerCommandSink';
import type { RunCommand } from '../../daemon/host/runCommand';
import { makeTempRoot } from '../helpers/tempRoot';
import { installFakeLogger } from './fakeLoggerCommand';

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

function fakeNative(): NativeOsLog & { entries: Array<[string, string, OsLogType, string]> } {
  const entries: Array<[string, string, OsLogType, string]> = [];
  return { entries, log: (...entry) => void entries.push(entry) };
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
  test('auto on macOS with the addon: os_log, with the subsystem, the category and a type per level', async () => {
    const native = fakeNative();
    const fake = await installFakeLogger(root);
    const logger = createLogger(options({ platform: 'darwin', loadNativeOsLog: () => native }));
    logEveryLevel(logger);
    await logger.close();
    expect(native.entries).toEqual([
      ['com.github.superd', 'jamf-api', 'error', 'e status=500'],
      ['com.github.superd', 'jamf-api', 'default', 'w'],
      ['com.github.superd', 'jamf-api', 'default', 'i'],
      ['com.github.superd', 'jamf-api', 'info', 'v'],
      ['com.github.superd', 'jamf-api', 'debug', 'd'],
    ]);
    expect(await fake.calls()).toEqual([]);
  });

  test('auto on macOS without the addon: /usr/bin/logger under SUPERD_ROOT, no shell, priority per level', async () => {
    const fake = await installFakeLogger(root);
    const logger = createLogger(options({ platform: 'darwin', loadNativeOsLog: () => null }));
    logEveryLevel(logger);
    await logger.close();
    expect(await fake.calls()).toEqual([
      ['-t', 'superd', '-p', 'user.err', '--', '[jamf-api] e status=500'],
      ['-t', 'superd', '-p', 'user.warning', '--', '[jamf-api] w'],
      ['-t', 'superd', '-p', 'user.notice', '--', '[jamf-api] i'],
      ['-t', 'superd', '-p', 'user.info', '--', '[jamf-api] v'],
      ['-t', 'superd', '-p', 'user.debug', '--', '[jamf-api] d'],
    ]);
  });

  test.each(['linux', 'freebsd'] as const)('auto on %s: no unified log at all', async (platform) => {
    const fake = await installFakeLogger(root);
    const loadNative = jest.fn(() => fakeNative());
    const logger = createLogger(options({ platform, loadNativeOsLog: loadNative }));
    logEveryLevel(logger);
    await logger.close();
    expect(await fake.calls()).toEqual([]);
    expect(loadNative).not.toHaveBeenCalled();
    expect(await readFile(path.join(root, 'superd', 'logs', 'superd.log'), 'utf8')).toContain('[jamf-api] d');
  });

  test('logger on Linux when asked explicitly', async () => {
    const fake = await installFakeLogger(root);
    const logger = createLogger(options({ platform: 'linux', unifiedLog: 'logger' }));
    logger.child('cli').info('-p user.emerg looks like an option');
    await logger.close();
    expect(await fake.calls()).toEqual([['-t', 'superd', '-p', 'user.notice', '--', '[cli] -p user.emerg looks like an option']]);
  });

  test('off: nothing, even on macOS', async () => {
    const native = fakeNative();
    const fake = await installFakeLogger(root);
    const logger = createLogger(options({ platform: 'darwin', unifiedLog: 'off', loadNativeOsLog: () => native }));
    logEveryLevel(logger);
    await logger.close();
    expect(native.entries).toEqual([]);
    expect(await fake.calls()).toEqual([]);
  });

  test('native asked but not loadable: one warning in the file, and no logger fallback', async () => {
    const fake = await installFakeLogger(root);
    const logger = createLogger(options({ platform: 'darwin', unifiedLog: 'native', loadNativeOsLog: () => null }));
    await logger.close();
    expect(await readFile(path.join(root, 'superd', 'logs', 'superd.log'), 'utf8')).toBe(
      '2026-11-22T10:00:00.000Z warn [log] the native os_log addon is not available; the unified log is off\n',
    );
    expect(await fake.calls()).toEqual([]);
  });

  test('a failing logger command is given up after three failures, and that is logged', async () => {
    const fake = await installFakeLogger(root, 1);
    const logger = createLogger(options({ platform: 'darwin', loadNativeOsLog: () => null }));
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
    const logger = createLogger(options({ platform: 'darwin', loadNativeOsLog: () => null }));
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
    expect(messages.slice(0, 3)).toEqual(['[bench] entry 0', '[bench] entry 1', '[bench] entry 2']);
    // 1 in flight + 200 queued; the other 59 are reported as one entry.
    expect(messages).toHaveLength(202);
    expect(messages[200]).toBe('[bench] entry 200');
    expect(messages[201]).toBe('[log] 59 entries were not sent to the unified log (too many at once); the log file has them');
  });

  test('arguments: the message is last, after --, without NUL bytes, and bounded', () => {
    const args = loggerArguments({ level: 'error', category: 'host', message: `a\0b${'x'.repeat(5000)}` });
    expect(args.slice(0, 5)).toEqual(['-t', 'superd', '-p', 'user.err', '--']);
    expect(args[5]?.startsWith('[host] ab')).toBe(true);
    expect(args[5]?.length).toBeLessThanOrEqual(4001);
  });
});

describe('loadNativeOsLog', () => {
  const addon: NativeOsLog = { log: () => undefined };
  test.each([
    ['off macOS', { platform: 'linux' as const, load: () => addon }, null],
    ['no addon file', { platform: 'darwin' as const, candidates: ['/nonexistent/superd_oslog.node'] }, null],
    ['wrong shape', { platform: 'darwin' as const, candidates: ['x'], load: () => ({ write: () => undefined }) }, null],
    ['loadable', { platform: 'darwin' as const, candidates: ['x'], load: () => addon }, addon],
  ])('%s', (_name, seam, expected) => {
    expect(loadNativeOsLog(seam)).toBe(expected);
  });

  test('the default candidates are absent here and it says so with null', () => {
    expect(loadNativeOsLog({ platform: 'darwin' })).toBeNull();
  });
});
