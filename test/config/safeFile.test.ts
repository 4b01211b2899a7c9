/**
 * Issue 16: every file superd reads or writes as root is a regular file of bounded size, never
 * reached through a symbolic link (daemon/host/safeFile.ts), and replacements are durable and
 * atomic. FIFOs are made with mkfifo(1) (coreutils); a test that needs one skips without it.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePlistDict, readPlistDict } from '../../daemon/config/readPlist';
import { loadSettings } from '../../daemon/config/loadSettings';
import { checkSecretFile, writeSecretFile } from '../../daemon/credentials/secretFile';
import { UnsafeFileError } from '../../daemon/errors';
import { exitStatusFor } from '../../daemon/exitStatus';
import { hostPath, superdPaths } from '../../daemon/host/paths';
import {
  appendRegularFileSync,
  MAX_PLIST_BYTES,
  moveAside,
  MOVED_ASIDE_KEPT,
  openAppendSync,
  readRegularFile,
  readRegularFileSync,
  writeFileDurably,
} from '../../daemon/host/safeFile';
import { makeTempRoot } from '../helpers/tempRoot';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot('superd-safefile-'));
});
afterEach(() => cleanup());

function mkfifo(file: string): boolean {
  try {
    execFileSync('mkfifo', [file]);
    return true;
  } catch {
    return false;
  }
}

const read = (file: string, max?: number) => readRegularFile(file, max);
const readSync = (file: string, max?: number) => Promise.resolve().then(() => readRegularFileSync(file, max));

describe.each([
  ['readRegularFile', read],
  ['readRegularFileSync', readSync],
])('%s', (_name, readFn) => {
  test('a regular file is read whole; a missing one is null', async () => {
    const file = path.join(root, 'a.plist');
    fs.writeFileSync(file, 'hello');
    const got = await readFn(file);
    expect(got?.bytes.toString()).toBe('hello');
    expect(got?.ino).toBe(fs.statSync(file).ino);
    expect(await readFn(path.join(root, 'missing.plist'))).toBeNull();
  });

  test('a symbolic link is refused, even to a regular file, and /dev/zero is never read', async () => {
    const target = path.join(root, 'target.plist');
    fs.writeFileSync(target, 'secret');
    const link = path.join(root, 'link.plist');
    fs.symlinkSync(target, link);
    await expect(readFn(link)).rejects.toMatchObject({ name: 'UnsafeFileError', reason: 'symbolic-link', file: link });
    const zero = path.join(root, 'zero.plist');
    fs.symlinkSync('/dev/zero', zero);
    await expect(readFn(zero)).rejects.toMatchObject({ reason: 'symbolic-link', message: expect.stringContaining(zero) });
  });

  test('a device, a folder and a FIFO are refused as not regular (the FIFO without hanging)', async () => {
    await expect(readFn('/dev/null')).rejects.toMatchObject({ reason: 'not-regular', message: expect.stringContaining('a device') });
    fs.mkdirSync(path.join(root, 'dir.plist'));
    await expect(readFn(path.join(root, 'dir.plist'))).rejects.toMatchObject({ reason: 'not-regular', message: expect.stringContaining('a directory') });
    const fifo = path.join(root, 'fifo.plist');
    if (!mkfifo(fifo)) return console.warn('mkfifo(1) not available: FIFO case skipped');
    // No writer ever opens it: an open without O_NONBLOCK would wait forever.
    await expect(readFn(fifo)).rejects.toMatchObject({ reason: 'not-regular', message: expect.stringContaining('a FIFO') });
  });

  test('the size cap: exactly the cap is read, one byte more is refused naming the file', async () => {
    const file = path.join(root, 'big.plist');
    fs.writeFileSync(file, 'x'.repeat(64));
    expect((await readFn(file, 64))?.bytes.length).toBe(64);
    fs.writeFileSync(file, 'x'.repeat(65));
    await expect(readFn(file, 64)).rejects.toMatchObject({ reason: 'too-large', message: expect.stringMatching(/big\.plist: is larger than 64 bytes/) });
  });
});

describe('profiles and other plists', () => {
  test('a profile that is a link to /dev/zero is a configuration error (78) naming the file, at once', async () => {
    const profile = hostPath(superdPaths.managedPreferences, root);
    fs.mkdirSync(path.dirname(profile), { recursive: true });
    fs.symlinkSync('/dev/zero', profile);
    const error = await loadSettings([], root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeFileError);
    expect(exitStatusFor(error)).toBe(78);
    expect((error as Error).message).toContain(profile);
  });

  test('a 2 MB profile is refused without parsing it (the cap is 1 MiB)', async () => {
    const profile = hostPath(superdPaths.managedPreferences, root);
    fs.mkdirSync(path.dirname(profile), { recursive: true });
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n<key>Padding</key>\n<string>';
    fs.writeFileSync(profile, `${head}${'a'.repeat(2 * 1024 * 1024)}</string>\n</dict>\n</plist>\n`);
    await expect(readPlistDict(profile)).rejects.toMatchObject({ reason: 'too-large' });
    expect(MAX_PLIST_BYTES).toBe(1024 * 1024);
    const error = await loadSettings([], root).catch((e: unknown) => e);
    expect(exitStatusFor(error)).toBe(78);
  });

  test('a regular profile still reads (the refusal is only for what is not a regular file)', async () => {
    const file = path.join(root, 'p.plist');
    fs.writeFileSync(file, '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>TestMode</key><true/></dict></plist>\n');
    expect(await readPlistDict(file)).toEqual({ TestMode: true });
    await expect(parsePlistDict(Buffer.from('<plist><array/></plist>'), file)).rejects.toMatchObject({ code: 'SUPERD_ERR_CONFIG' });
  });
});

describe('writeFileDurably', () => {
  test('writes the exact mode whatever the umask, replaces the file whole, and leaves no temporary file', async () => {
    const file = path.join(root, 'sub', 'status.plist');
    const previous = process.umask(0o077);
    try {
      await writeFileDurably(file, 'one', 0o644);
    } finally {
      process.umask(previous);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('one');
    expect(fs.statSync(file).mode & 0o777).toBe(0o644);
    await writeFileDurably(file, Buffer.from('two'), 0o644);
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['status.plist']);
  });

  test('a temporary file left by a killed writer (a pid no longer running) is removed by the next write', async () => {
    const file = path.join(root, 'status.plist');
    // Pids above the kernel's pid_max (4194304 on Linux, 99999 on macOS) never run.
    const stale = `${file}.99999999.abc.tmp`;
    const live = `${file}.${process.ppid}.def.tmp`;
    fs.writeFileSync(stale, 'half');
    fs.writeFileSync(live, 'another writer at work');
    await writeFileDurably(file, 'whole', 0o644);
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
  });

  test('a link in the target place is replaced, never written through', async () => {
    const victim = path.join(root, 'victim');
    fs.writeFileSync(victim, 'untouched');
    const file = path.join(root, 'status.plist');
    fs.symlinkSync(victim, file);
    await writeFileDurably(file, 'new', 0o644);
    expect(fs.readFileSync(victim, 'utf8')).toBe('untouched');
    expect(fs.lstatSync(file).isFile()).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
  });
});

describe('moveAside', () => {
  test('keeps the newest copies only, and moves a link itself (not its target)', () => {
    const file = path.join(root, 'status.plist');
    const moved: string[] = [];
    for (let i = 0; i < MOVED_ASIDE_KEPT + 2; i++) {
      fs.writeFileSync(file, `copy ${i}`);
      moved.push(moveAside(file, 'corrupt', new Date(Date.UTC(2026, 11, 3, 22, 0, i)))!);
    }
    expect(moved[0]).toBe(`${file}.corrupt-20261203T220000000Z`);
    const left = fs.readdirSync(root).sort();
    expect(left).toEqual(moved.slice(-MOVED_ASIDE_KEPT).map((m) => path.basename(m)));
    expect(fs.readFileSync(moved.at(-1)!, 'utf8')).toBe(`copy ${MOVED_ASIDE_KEPT + 1}`);

    const target = path.join(root, 'target');
    fs.writeFileSync(target, 'kept');
    fs.symlinkSync(target, file);
    const linkMoved = moveAside(file, 'corrupt', new Date(Date.UTC(2026, 11, 3, 23)))!;
    expect(fs.lstatSync(linkMoved).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('kept');
    expect(moveAside(file, 'corrupt', new Date())).toBeNull();
  });

  test('two moves in the same millisecond get distinct names; a file replaced since it was read is not moved', () => {
    const file = path.join(root, 'x.plist');
    const at = new Date(Date.UTC(2026, 0, 1));
    fs.writeFileSync(file, 'a');
    const first = moveAside(file, 'corrupt', at);
    fs.writeFileSync(file, 'b');
    const second = moveAside(file, 'corrupt', at);
    expect(second).toBe(`${first}-1`);
    fs.writeFileSync(file, 'someone else repaired it');
    const now = fs.statSync(file);
    // What was read earlier was another file (another inode) than the one now in place.
    expect(moveAside(file, 'corrupt', at, { dev: now.dev, ino: now.ino + 1 })).toBeNull();
    expect(fs.readFileSync(file, 'utf8')).toBe('someone else repaired it');
    expect(moveAside(file, 'corrupt', at, { dev: now.dev, ino: now.ino })).toBe(`${first}-2`);
  });
});

describe('appending (log files)', () => {
  test('created with the given mode; a wider existing mode is narrowed', () => {
    const file = path.join(root, 'a.log');
    appendRegularFileSync(file, 'one\n', 0o640);
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    fs.chmodSync(file, 0o644);
    appendRegularFileSync(file, 'two\n', 0o640);
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.readFileSync(file, 'utf8')).toBe('one\ntwo\n');
  });

  test('a link, a FIFO or a device is refused', () => {
    const victim = path.join(root, 'victim');
    fs.writeFileSync(victim, '');
    const link = path.join(root, 'l.log');
    fs.symlinkSync(victim, link);
    expect(() => openAppendSync(link, 0o640)).toThrow(expect.objectContaining({ reason: 'symbolic-link' }));
    expect(fs.readFileSync(victim, 'utf8')).toBe('');
    expect(() => openAppendSync('/dev/null', 0o640)).toThrow(expect.objectContaining({ reason: 'not-regular' }));
    const fifo = path.join(root, 'f.log');
    if (mkfifo(fifo)) expect(() => openAppendSync(fifo, 0o640)).toThrow(expect.objectContaining({ reason: 'not-regular' }));
  });
});

describe('secret files (--password-file)', () => {
  const SECRET = 'Not-A-Real-Secret-5521';

  test('written 0600 and fsynced; an existing wider file is narrowed and replaced', () => {
    const file = path.join(root, 'secret.txt');
    fs.writeFileSync(file, 'an older, longer content\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    checkSecretFile(file);
    writeSecretFile(file, SECRET);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${SECRET}\n`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  test('a link, a FIFO, a device or a folder is refused before Jamf Pro is asked, and never written', () => {
    const victim = path.join(root, 'victim');
    fs.writeFileSync(victim, 'untouched');
    const link = path.join(root, 'link.txt');
    fs.symlinkSync(victim, link);
    expect(() => checkSecretFile(link)).toThrow(/symbolic link/);
    expect(() => writeSecretFile(link, SECRET)).toThrow(expect.objectContaining({ reason: 'symbolic-link' }));
    expect(fs.readFileSync(victim, 'utf8')).toBe('untouched');
    expect(() => checkSecretFile('/dev/null')).toThrow(/not a regular file/);
    expect(() => writeSecretFile('/dev/null', SECRET)).toThrow(expect.objectContaining({ reason: 'not-regular' }));
    fs.mkdirSync(path.join(root, 'dir'));
    expect(() => checkSecretFile(path.join(root, 'dir'))).toThrow(/not a regular file/);
    const fifo = path.join(root, 'fifo');
    if (mkfifo(fifo)) {
      expect(() => checkSecretFile(fifo)).toThrow(/not a regular file/);
      expect(() => writeSecretFile(fifo, SECRET)).toThrow(expect.objectContaining({ name: 'UnsafeFileError' }));
    }
    // No refusal carries the secret.
    try {
      writeSecretFile(link, SECRET);
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(SECRET);
    }
  });
});
