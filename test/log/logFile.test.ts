import { readdir, readFile, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { createLogger, SecretRegistry, type SuperdLogger } from '../../daemon/log';
import { makeTempRoot } from '../helpers/tempRoot';

let root: string;
let cleanup: () => Promise<void>;
let logs: string;
beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot('superd-logfile-'));
  logs = path.join(root, 'superd', 'logs');
});
afterEach(() => cleanup());

const MAX_BYTES = 4_000;
const BATCH = 10;

function smallLogger(): SuperdLogger {
  return createLogger({
    dir: path.join(root, 'superd'),
    format: 'text',
    console: false,
    unifiedLog: 'off',
    level: 'info',
    registry: new SecretRegistry(),
    logFile: { maxBytes: MAX_BYTES, maxFiles: 3 },
  });
}

/** Line numbers kept in superd2.log, superd1.log, superd.log, oldest first. */
async function keptLineNumbers(): Promise<number[]> {
  let kept = '';
  for (const name of ['superd2.log', 'superd1.log', 'superd.log']) kept += await readFile(path.join(logs, name), 'utf8').catch(() => '');
  return kept
    .trimEnd()
    .split('\n')
    .map((line) => Number(/line (\d+)/.exec(line)?.[1]));
}

const line = (n: number) => `line ${String(n).padStart(4, '0')} ${'x'.repeat(60)}`;

test('the file is size-capped: superd.log plus two older files, each near the cap, the newest lines kept', async () => {
  const logger = smallLogger();
  const log = logger.child('bench');
  for (let batch = 0; batch < 30; batch++) {
    for (let i = 0; i < BATCH; i++) log.info(line(batch * BATCH + i));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await logger.close();

  expect((await readdir(logs)).sort()).toEqual(['superd.log', 'superd1.log', 'superd2.log']);
  const lineBytes = Buffer.byteLength(`2026-11-22T10:00:00.000Z info [bench] ${line(0)}\n`);
  let kept = 0;
  for (const name of ['superd.log', 'superd1.log', 'superd2.log']) {
    const info = await stat(path.join(logs, name));
    // winston checks the size after a write, so a file may overshoot by what was queued: one
    // batch on an idle machine, more on a busy one (the 10 ms pause does not guarantee a flush).
    // What must hold whatever the load: the file is capped, not growing without bound. A write
    // that crossed the cap last leaves a fresh, empty superd.log (seen beside eight busy loops).
    expect(info.size).toBeLessThanOrEqual(2 * MAX_BYTES);
    expect(info.mode & 0o777).toBe(0o640);
    kept += info.size;
  }
  expect(kept).toBeGreaterThan(MAX_BYTES);
  expect(kept).toBeGreaterThan(2 * lineBytes);
  const numbers = await keptLineNumbers();
  expect(numbers[numbers.length - 1]).toBe(299);
  expect(numbers).toEqual(numbers.map((_, i) => 299 - (numbers.length - 1) + i));
});

test('close loses no line, even when a burst is still queued behind a rotation', async () => {
  const logger = smallLogger();
  const log = logger.child('bench');
  for (let i = 0; i < 150; i++) log.info(line(i));
  await logger.close();
  // The burst (about three files' worth) is all there: winston rotates late under a burst,
  // but nothing is written after the end and nothing is dropped.
  expect(await keptLineNumbers()).toEqual(Array.from({ length: 150 }, (_, i) => i));
});

test('after close the files stay as they are: a rotation the last lines started has finished', async () => {
  // winston renames files after its 'finish' when the last write crossed the cap; before the
  // fix a reader right after close found superd.log listed but gone (ENOENT), or lines missing.
  const snapshot = async (): Promise<string> => {
    const names = (await readdir(logs)).sort();
    return JSON.stringify(await Promise.all(names.map(async (n) => [n, await readFile(path.join(logs, n), 'utf8')])));
  };
  for (let round = 0; round < 20; round++) {
    await rm(logs, { recursive: true, force: true });
    const logger = smallLogger();
    const log = logger.child('bench');
    for (let i = 0; i < 100 + round * 3; i++) log.info(line(i));
    await logger.close();
    const closed = await snapshot();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await snapshot()).toBe(closed);
  }
});
