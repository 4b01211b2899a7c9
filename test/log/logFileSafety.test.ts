/**
 * Issue 16: superd's log files (the run's winston file, the idle daemon's appender) are created
 * 0640, never appended through a symbolic link or into a FIFO; something in the log file's
 * place is moved aside with a warning on stderr; rotated files keep 0640.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createDaemonLog } from '../../daemon/log/daemonLog';
import { createLogger, SecretRegistry } from '../../daemon/log';
import { makeTempRoot } from '../helpers/tempRoot';

let root: string;
let cleanup: () => Promise<void>;
let folder: string;
let logs: string;
let logFile: string;
let victim: string;
let stderr: string[];
let stderrSpy: jest.SpyInstance;
beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot('superd-logsafety-'));
  folder = path.join(root, 'superd');
  logs = path.join(folder, 'logs');
  logFile = path.join(logs, 'superd.log');
  victim = path.join(root, 'victim');
  fs.writeFileSync(victim, 'do not append here\n');
  fs.mkdirSync(logs, { recursive: true });
  stderr = [];
  stderrSpy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});
afterEach(async () => {
  stderrSpy.mockRestore();
  await cleanup();
});

const mode = (file: string) => fs.statSync(file).mode & 0o777;
const asideNames = () => fs.readdirSync(logs).filter((n) => n.startsWith('superd.log.unsafe-'));

function mkfifo(file: string): boolean {
  try {
    execFileSync('mkfifo', [file]);
    return true;
  } catch {
    return false;
  }
}

function runLogger(maxBytes = 1_000_000) {
  return createLogger({ dir: folder, format: 'text', console: false, unifiedLog: 'off', level: 'info', registry: new SecretRegistry(), logFile: { maxBytes, maxFiles: 3 } });
}

describe('the idle daemon log', () => {
  test('created 0640; a file an older superd created 0644 is narrowed', () => {
    const log = createDaemonLog(folder);
    log('first');
    expect(mode(logFile)).toBe(0o640);
    fs.chmodSync(logFile, 0o644);
    log('second');
    expect(mode(logFile)).toBe(0o640);
    expect(fs.readFileSync(logFile, 'utf8')).toMatch(/first\n.*second\n$/);
  });

  test('a symbolic link in its place is moved aside with a warning, never appended through', () => {
    fs.symlinkSync(victim, logFile);
    createDaemonLog(folder)('a line');
    expect(fs.readFileSync(victim, 'utf8')).toBe('do not append here\n');
    expect(fs.lstatSync(logFile).isFile()).toBe(true);
    expect(mode(logFile)).toBe(0o640);
    expect(fs.readFileSync(logFile, 'utf8')).toContain('a line');
    const [aside] = asideNames();
    expect(fs.lstatSync(path.join(logs, aside!)).isSymbolicLink()).toBe(true);
    expect(stderr.join('')).toMatch(/superd: warning: the log file .*superd\.log is a symbolic link.*moved it aside to .*superd\.log\.unsafe-/);
  });

  test('a FIFO in its place is moved aside (no hang, nothing written into it)', () => {
    if (!mkfifo(logFile)) return console.warn('mkfifo(1) not available: case skipped');
    createDaemonLog(folder)('a line');
    expect(fs.lstatSync(logFile).isFile()).toBe(true);
    expect(fs.lstatSync(path.join(logs, asideNames()[0]!)).isFIFO()).toBe(true);
    expect(stderr.join('')).toMatch(/not a regular file/);
  });

  test('a log folder that is a symbolic link is refused once on stderr, and nothing is written through it', () => {
    fs.rmSync(logs, { recursive: true });
    const elsewhere = path.join(root, 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.symlinkSync(elsewhere, logs);
    const log = createDaemonLog(folder);
    log('one');
    log('two');
    expect(fs.readdirSync(elsewhere)).toEqual([]);
    expect(stderr.filter((l) => l.includes('symbolic link'))).toHaveLength(1);
  });
});

describe("the run's log file (winston)", () => {
  test('a symbolic link in its place: set aside with a warning on stderr; the new file is regular, 0640', async () => {
    fs.symlinkSync(victim, logFile);
    const logger = runLogger();
    logger.child('test').info('hello');
    await logger.close();
    expect(fs.readFileSync(victim, 'utf8')).toBe('do not append here\n');
    expect(fs.lstatSync(logFile).isFile()).toBe(true);
    expect(mode(logFile)).toBe(0o640);
    expect(fs.readFileSync(logFile, 'utf8')).toContain('hello');
    expect(asideNames()).toHaveLength(1);
    expect(stderr.join('')).toMatch(/superd: warning: the log file .*is a symbolic link/);
  });

  test('an existing 0644 file and its rotated copies are narrowed to 0640; rotation keeps 0640', async () => {
    fs.writeFileSync(logFile, 'old\n', { mode: 0o644 });
    fs.writeFileSync(path.join(logs, 'superd1.log'), 'older\n', { mode: 0o644 });
    fs.chmodSync(logFile, 0o644);
    fs.chmodSync(path.join(logs, 'superd1.log'), 0o644);
    const logger = runLogger(2_000);
    const log = logger.child('test');
    // Enough lines for at least two rotations at a 2 kB cap; waiting on each write's flush, not on time.
    for (let batch = 0; batch < 8; batch++) {
      for (let i = 0; i < 10; i++) log.info(`line ${batch}-${i} ${'x'.repeat(60)}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await logger.close();
    const names = fs.readdirSync(logs).filter((n) => /^superd\d?\.log$/.test(n)).sort();
    expect(names).toEqual(['superd.log', 'superd1.log', 'superd2.log']);
    for (const name of names) expect(mode(path.join(logs, name))).toBe(0o640);
  });
});
