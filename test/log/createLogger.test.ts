import { InternalError } from '../../daemon/errors';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createLogger, SecretRegistry, type CreateLoggerOptions } from '../../daemon/log';
import { makeTempRoot } from '../helpers/tempRoot';

const NOW = new Date('2026-11-22T10:00:00.000Z');

let root: string;
let cleanup: () => Promise<void>;
let stderr: string[];

beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot('superd-logger-'));
  stderr = [];
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});
afterEach(() => cleanup());

function options(overrides: Partial<CreateLoggerOptions> = {}): CreateLoggerOptions {
  return {
    dir: path.join(root, 'superd'),
    format: 'text',
    console: false,
    unifiedLog: 'off',
    level: 'debug',
    registry: new SecretRegistry(),
    now: () => NOW,
    ...overrides,
  };
}

const logFile = () => readFile(path.join(root, 'superd', 'logs', 'superd.log'), 'utf8');

describe('import and start cost', () => {
  test('importing daemon/log loads no winston; createLogger does', async () => {
    let winstonLoaded = false;
    let logger: { close(): Promise<void> } | undefined;
    jest.isolateModules(() => {
      jest.doMock('winston', () => {
        winstonLoaded = true;
        return jest.requireActual('winston');
      });
      const log = require('../../daemon/log') as typeof import('../../daemon/log');
      expect(winstonLoaded).toBe(false);
      logger = log.createLogger(options({ registry: new log.SecretRegistry() }));
      expect(winstonLoaded).toBe(true);
    });
    await logger?.close();
  });

  test('nothing touches the file system until the first line', async () => {
    const logger = createLogger(options());
    const log = logger.child('lifecycle');
    expect(existsSync(path.join(root, 'superd'))).toBe(false);
    log.info('first line');
    await logger.close();
    expect(await logFile()).toBe('2026-11-22T10:00:00.000Z info [lifecycle] first line\n');
  });

  test('a logger that logs nothing creates nothing', async () => {
    await createLogger(options()).close();
    expect(existsSync(path.join(root, 'superd'))).toBe(false);
  });
});

describe('line formats', () => {
  test('text: time, level, [category], message, key=value', async () => {
    const logger = createLogger(options());
    logger.child('config').info('settings loaded', { source: 'profile', count: 3, note: 'two words', ok: true, list: [1, 'a'] });
    await logger.close();
    expect(await logFile()).toBe(
      '2026-11-22T10:00:00.000Z info [config] settings loaded source=profile count=3 note="two words" ok=true list=[1,"a"]\n',
    );
  });

  test('json: one object a line, with subsystem and category', async () => {
    const logger = createLogger(options({ format: 'json' }));
    logger.child('jamf-api').warn('slow response', { ms: 5200 });
    logger.child('auth').error('rejected');
    await logger.close();
    const lines = (await logFile()).trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual([
      { timestamp: '2026-11-22T10:00:00.000Z', level: 'warn', subsystem: 'com.github.superd', category: 'jamf-api', message: 'slow response', ms: 5200 },
      { timestamp: '2026-11-22T10:00:00.000Z', level: 'error', subsystem: 'com.github.superd', category: 'auth', message: 'rejected' },
    ]);
  });

  test('a message cannot forge a second line', async () => {
    const logger = createLogger(options());
    logger.child('host').info('output:\n2026-11-22T10:00:00.000Z error [auth] forged', { 'key\nforged': 'value\r\nforged' });
    await logger.close();
    const text = await logFile();
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(text).toBe(
      '2026-11-22T10:00:00.000Z info [host] output:\\n2026-11-22T10:00:00.000Z error [auth] forged "key\\nforged"="value\\r\\nforged"\n',
    );
  });

  test('printf-style arguments and an Error as meta', async () => {
    const logger = createLogger(options());
    const log = logger.child('lifecycle');
    log.info('retry in %d s (%s)', 90, 'temporary failure');
    log.error('push failed', Object.assign(new Error('HTTP 503'), { code: 'SUPERD_ERR_JAMF_HTTP' }));
    await logger.close();
    const [retry, failed] = (await logFile()).trimEnd().split('\n');
    expect(retry).toBe('2026-11-22T10:00:00.000Z info [lifecycle] retry in 90 s (temporary failure)');
    expect(failed).toMatch(/^2026-11-22T10:00:00.000Z error \[lifecycle\] push failed HTTP 503 code=SUPERD_ERR_JAMF_HTTP stack="Error: HTTP 503\\n {4}at /);
  });

  test('a secret split across a field name and its value is masked in the finished line', async () => {
    const registry = new SecretRegistry();
    registry.registerSecret('tenant=acme42');
    const logger = createLogger(options({ registry }));
    logger.child('config').info('loaded', { tenant: 'acme42' });
    await logger.close();
    expect(await logFile()).toBe('2026-11-22T10:00:00.000Z info [config] loaded [REDACTED]\n');
  });
});

describe('levels, console, categories, close', () => {
  test('the level applies to every transport', async () => {
    const logger = createLogger(options({ level: 'info', console: true }));
    const log = logger.child('schedule');
    log.error('e');
    log.warn('w');
    log.info('i');
    log.verbose('v');
    log.debug('d');
    await logger.close();
    const levels = (text: string) => text.trimEnd().split('\n').map((line) => line.split(' ')[1]);
    expect(levels(await logFile())).toEqual(['error', 'warn', 'info']);
    expect(levels(stderr.join(''))).toEqual(['error', 'warn', 'info']);
  });

  test.each([
    [false, undefined, 0],
    ['auto', false, 0],
    ['auto', true, 1],
    [true, false, 1],
  ] as const)('console %s with a terminal %s writes %i line(s) to standard error', async (consoleOption, isTTY, lines) => {
    const descriptor = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: isTTY, configurable: true });
    try {
      const logger = createLogger(options({ console: consoleOption }));
      logger.child('cli').info('hello');
      await logger.close();
    } finally {
      if (descriptor) Object.defineProperty(process.stderr, 'isTTY', descriptor);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
    expect(stderr).toHaveLength(lines);
    if (lines) expect(stderr[0]).toBe('2026-11-22T10:00:00.000Z info [cli] hello\n');
  });

  test.each(['Config', 'jamf_api', 'jamf--api', '-host', 'host-', '', 'jamf api'])('category %j is refused', (category) => {
    const logger = createLogger(options());
    expect(() => logger.child(category)).toThrow(InternalError);
    return logger.close();
  });

  test('close is idempotent and later lines are dropped, not thrown', async () => {
    const logger = createLogger(options());
    const log = logger.child('lifecycle');
    log.info('before');
    const first = logger.close();
    expect(logger.close()).toBe(first);
    await first;
    expect(() => log.error('after')).not.toThrow();
    expect(await logFile()).toBe('2026-11-22T10:00:00.000Z info [lifecycle] before\n');
  });

  test('an unusable log folder is reported once and the other transports carry on', async () => {
    await writeFile(path.join(root, 'not-a-folder'), '');
    const logger = createLogger(options({ dir: path.join(root, 'not-a-folder'), console: true }));
    const log = logger.child('daemon');
    log.info('one');
    log.info('two');
    await logger.close();
    const lines = stderr.join('').trimEnd().split('\n');
    expect(lines).toEqual([
      '2026-11-22T10:00:00.000Z info [daemon] one',
      expect.stringMatching(/^2026-11-22T10:00:00.000Z warn \[log\] cannot write the log file .*not-a-folder\/logs\/superd.log \(ENOTDIR\); logging without it$/),
      '2026-11-22T10:00:00.000Z info [daemon] two',
    ]);
  });
});
