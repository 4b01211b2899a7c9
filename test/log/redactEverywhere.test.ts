import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { createLogger, SecretRegistry, type CategoryLogger, type LogFormat, type LogLevel } from '../../daemon/log';
import { makeTempRoot } from '../helpers/tempRoot';
import { installFakeLogger } from './fakeLoggerCommand';

/**
 * The guarantee of design.md §7: secrets registered at run time never reach the file (text or
 * JSON), the console or the unified log, whichever way they are logged and at whatever level,
 * while everything around them still arrives.
 */

const LEVELS: LogLevel[] = ['error', 'warn', 'info', 'verbose', 'debug'];

// Characters that make the base64, URL-encoded and form-encoded forms differ from the raw one.
const CLIENT_SECRET = 'Zr8!q/W+x=Kp2?s&t~Qm';
const PASSWORD = 'hunter2 P@ss:word%41';
const ACCESS_TOKEN = 'j4mfT0ken.Ab-Cd_Ef.91x';
// All three quote characters: util.inspect (%o) escapes it in a way no registered form matches,
// so this one proves that arguments are redacted before interpolation.
const QUOTED = `Qu0te'd"back\`tick`;
const SECRETS = [CLIENT_SECRET, PASSWORD, ACCESS_TOKEN, QUOTED];

/** Every spelling a reviewer would grep the logs for. */
function spellings(secret: string): string[] {
  const bytes = Buffer.from(secret);
  return [
    secret,
    bytes.toString('base64'),
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
    encodeURIComponent(secret),
    new URLSearchParams({ v: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    inspect(secret).slice(1, -1),
  ];
}

/** Logs every secret through every path at one level; returns the markers that must arrive. */
function logEverything(log: CategoryLogger, level: LogLevel): string[] {
  const say = log[level];
  const basic = Buffer.from(`client-id:${CLIENT_SECRET}`).toString('base64');
  const error = new Error(`${level}-error-message with ${PASSWORD}`, { cause: new Error(`${level}-cause with ${ACCESS_TOKEN}`) });
  Object.assign(error, { code: `${level}-error-code`, details: { password: PASSWORD, ok: `${level}-error-detail` } });

  say(`${level}-in-message ${CLIENT_SECRET} / ${PASSWORD} / ${ACCESS_TOKEN}`);
  say(`${level}-metadata`, { clientSecret: CLIENT_SECRET, note: `${level}-note around ${PASSWORD}`, computerId: 42 });
  say(`${level}-nested`, {
    request: {
      url: `https://jamf.example.com/api/v1/oauth/token?x=${encodeURIComponent(CLIENT_SECRET)}&site=${level}-site`,
      headers: { Authorization: `Bearer ${ACCESS_TOKEN}`, Accept: `${level}-accept` },
      body: `grant_type=client_credentials&client_id=abc&client_secret=${encodeURIComponent(CLIENT_SECRET)}`,
      basic: `Basic ${basic}`,
      encoded: Buffer.from(PASSWORD).toString('base64'),
    },
    list: [PASSWORD, { deep: [CLIENT_SECRET, `${level}-deep`] }],
    map: new Map<string, unknown>([['ordinary', ACCESS_TOKEN], [`${level}-map-key`, 1]]),
    buffer: Buffer.from(`raw ${PASSWORD}`),
  });
  say(`${level}-error-as-meta`, error);
  say(`${level}-error-field`, { error });
  say(`${level}-err-field`, { err: error, attempt: `${level}-attempt` });
  say(`${level}-splat %s then %j then %o done`, CLIENT_SECRET, { value: PASSWORD }, { token: ACCESS_TOKEN, plain: QUOTED });
  say(`${level}-extra-splat`, { first: CLIENT_SECRET }, { second: PASSWORD });

  return [
    `${level}-in-message`,
    `${level}-metadata`,
    `${level}-note around`,
    `${level}-nested`,
    `${level}-site`,
    `${level}-accept`,
    `${level}-deep`,
    `${level}-map-key`,
    `${level}-error-as-meta`,
    `${level}-error-message with`,
    `${level}-error-code`,
    `${level}-error-detail`,
    `${level}-cause with`,
    `${level}-error-field`,
    `${level}-err-field`,
    `${level}-attempt`,
    `${level}-splat`,
    'then',
    'done',
    `${level}-extra-splat`,
  ];
}

function expectClean(output: string, where: string): void {
  for (const secret of SECRETS) {
    for (const spelling of spellings(secret)) {
      if (output.includes(spelling)) throw new Error(`${where} leaks ${JSON.stringify(spelling)} (a form of ${JSON.stringify(secret)})`);
    }
  }
  expect(output).toContain('[REDACTED]');
}

function expectArrived(output: string, markers: string[], where: string): void {
  const missing = markers.filter((marker) => !output.includes(marker));
  expect({ where, missing }).toEqual({ where, missing: [] });
}

/** Resolves once the fake `logger` recorded `count` calls (however long a busy machine takes; jest's timeout bounds it). */
async function untilDelivered(fakeLogger: { calls: () => Promise<string[][]> }, count: number): Promise<void> {
  while ((await fakeLogger.calls()).length < count) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe.each<LogFormat>(['text', 'json'])('with --log-format=%s', (format) => {
  let root: string;
  let cleanup: () => Promise<void>;
  let stderr: string[];

  beforeEach(async () => {
    ({ root, cleanup } = await makeTempRoot('superd-log-'));
    stderr = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
  });
  afterEach(() => cleanup());

  test('no secret reaches the file, the console or the unified log, at any level', async () => {
    const fakeLogger = await installFakeLogger(root);
    const registry = new SecretRegistry();
    for (const secret of SECRETS) registry.registerSecret(secret);
    const dir = path.join(root, 'Library', 'Management', 'superd');
    const logger = createLogger({
      dir,
      format,
      console: true,
      unifiedLog: 'logger',
      level: 'debug',
      registry,
      env: { SUPERD_ROOT: root },
      platform: 'linux',
    });

    const log = logger.child('jamf-api');
    const markers = LEVELS.flatMap((level) => logEverything(log, level));
    // The unified log gets one `logger` process per entry, one after another, and close() waits
    // for them only so long (a run must end); on a busy machine 40 processes can take longer.
    // What this test proves is what arrives, not how fast: wait until every entry was delivered.
    await untilDelivered(fakeLogger, LEVELS.length * 8);
    await logger.close();

    const file = await readFile(path.join(dir, 'logs', 'superd.log'), 'utf8');
    const consoleText = stderr.join('');
    const unified = await fakeLogger.raw();

    for (const [where, output] of [['file', file], ['console', consoleText], ['unified log', unified]] as const) {
      expectClean(output, where);
      expectArrived(output, markers, where);
    }

    // Every level made it through every transport: 8 calls per level.
    const fileLines = file.trimEnd().split('\n');
    expect(fileLines).toHaveLength(LEVELS.length * 8);
    expect(consoleText.trimEnd().split('\n')).toEqual(fileLines);
    const calls = await fakeLogger.calls();
    expect(calls).toHaveLength(LEVELS.length * 8);
    for (const call of calls) {
      expect(call.slice(0, 3)).toEqual(['-t', 'superd', '-p']);
      expect(call[4]).toBe('--');
      expect(call[5]).toMatch(/^superd: \[jamf-api\] (error|warn|info|verbose|debug)-/);
    }
    if (format === 'json') {
      for (const line of fileLines) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        expect(entry).toMatchObject({ subsystem: 'com.github.superd', category: 'jamf-api' });
        expect(LEVELS).toContain(entry.level);
      }
    }
  });

  test('a secret registered after the logger was created is redacted from then on', async () => {
    const registry = new SecretRegistry();
    const dir = path.join(root, 'superd');
    const logger = createLogger({ dir, format, console: false, unifiedLog: 'off', level: 'debug', registry });
    const late = 'rotated-Secret-9f8e7d';
    registry.registerSecret(late);
    logger.child('credentials').info(`new secret is ${late}`, { value: late });
    await logger.close();
    const file = await readFile(path.join(dir, 'logs', 'superd.log'), 'utf8');
    expect(file).not.toContain(late);
    expect(file).toContain('new secret is [REDACTED]');
  });
});
