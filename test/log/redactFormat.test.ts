import { inspect } from 'node:util';
import * as winston from 'winston';
import { redactFormat, redactInfo, REDACTED, SecretRegistry } from '../../daemon/log';
import { TransportStream } from '../../daemon/log/transportBase';

const SECRET = 'Zr8!q/W+x=Kp2?s&t~Qm';
const LEVEL = Symbol.for('level');
const SPLAT = Symbol.for('splat');

/** A transport that keeps every info object it receives, hidden fields included. */
class CapturingTransport extends TransportStream {
  readonly seen: Array<Record<string | symbol, unknown>> = [];
  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    this.seen.push(info);
    next();
  }
}

function registry(): SecretRegistry {
  const r = new SecretRegistry();
  r.registerSecret(SECRET);
  return r;
}

test('what a transport receives holds no secret, hidden splat arguments included', () => {
  const capture = new CapturingTransport();
  const r = registry();
  const logger = winston.createLogger({
    level: 'debug',
    format: winston.format.combine(redactFormat(r), winston.format.splat(), redactFormat(r)),
    transports: [capture],
  });
  const error = Object.assign(new Error(`boom ${SECRET}`, { cause: new Error(`why ${SECRET}`) }), { token: 'abc123' });
  logger.debug(`plain ${SECRET}`);
  logger.info('meta', { nested: { list: [SECRET] }, password: 'hunter2' });
  logger.warn('as meta', error);
  logger.error(error as unknown as string);
  logger.verbose('splat %s %j', SECRET, { v: SECRET }, { extra: SECRET });
  logger.log({ level: 'info', message: 'info object', err: error });

  expect(capture.seen).toHaveLength(6);
  for (const info of capture.seen) {
    const everything = inspect(info, { showHidden: true, depth: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity });
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('hunter2');
    expect(everything).not.toContain('abc123');
    expect(everything).toContain(REDACTED);
    expect(typeof info[LEVEL]).toBe('string');
  }
  expect(capture.seen.map((info) => info.level)).toEqual(['debug', 'info', 'warn', 'error', 'verbose', 'info']);
  expect(capture.seen.map((info) => info.message)).toEqual([
    `plain ${REDACTED}`,
    'meta',
    `as meta boom ${REDACTED}`,
    `boom ${REDACTED}`,
    `splat ${REDACTED} {"v":"${REDACTED}"}`,
    'info object',
  ]);
  // An Error logged as the info itself keeps its stack and cause, redacted.
  expect(capture.seen[3]?.stack).toMatch(new RegExp(`^Error: boom \\[REDACTED\\]\\n {4}at `));
  expect(String((capture.seen[3]?.cause as Error).message)).toBe(`why ${REDACTED}`);
});

test('redactInfo keeps the level, redacts every other field and never throws', () => {
  const hostile = Object.defineProperty({ level: 'info', message: SECRET, [LEVEL]: 'info', [SPLAT]: [SECRET] }, 'boom', {
    enumerable: true,
    get: () => {
      throw new Error('getter');
    },
  });
  const out = redactInfo(hostile as never, registry());
  expect(out.level).toBe('info');
  expect(out[LEVEL]).toBe('info');
  expect(out.message).toBe(REDACTED);
  expect(out[SPLAT]).toEqual([REDACTED]);
  expect(out.boom).toBe('[Unreadable]');
});
