/**
 * Issue 16, "state that repairs itself": a damaged status.plist (truncated, binary garbage, not
 * a dictionary, huge, a link to /dev/zero, a FIFO, a folder) or one with wrongly typed fields
 * never blocks a run or `superd status`, never ends in exit 70; the damaged file is kept aside
 * for diagnosis (bounded), a warning is logged, and the state is rebuilt. Saved settings that
 * are damaged fall back to the profile and options with a warning.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { statusCommand } from '../../daemon/cli/commands/status';
import { loadSettings } from '../../daemon/config/loadSettings';
import { hostPath, superdPaths } from '../../daemon/host/paths';
import { MOVED_ASIDE_KEPT } from '../../daemon/host/safeFile';
import { readStatus, updateStatus } from '../../daemon/status/statusFile';
import { captureOutput } from '../helpers/captureOutput';
import { loadPlist } from '../helpers/plist';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';
import { makeTempRoot } from '../helpers/tempRoot';

const NOW = new Date('2026-12-03T22:00:00Z');
const statusFile = (root: string) => hostPath(superdPaths.status, root);
const logText = (root: string) => fs.readFileSync(hostPath(`${superdPaths.folder}/logs/superd.log`, root), 'utf8');
const asideCopies = (root: string, name = 'status.plist') =>
  fs.readdirSync(path.dirname(statusFile(root))).filter((n) => n.startsWith(`${name}.corrupt-`));

async function superdStatus(root: string, json: boolean): Promise<{ code: number; out: string }> {
  const previous = process.env.SUPERD_ROOT;
  process.env.SUPERD_ROOT = root;
  try {
    const output = captureOutput();
    const code = await statusCommand(json ? ['--json'] : [], output);
    return { code, out: output.stdout() };
  } finally {
    if (previous === undefined) delete process.env.SUPERD_ROOT;
    else process.env.SUPERD_ROOT = previous;
  }
}

function mkfifo(file: string): boolean {
  try {
    execFileSync('mkfifo', [file]);
    return true;
  } catch {
    return false;
  }
}

/** Ways a status file is found damaged; each returns false when this machine cannot make it. */
const DAMAGE: Array<[string, (file: string) => boolean]> = [
  ['truncated', (f) => (fs.writeFileSync(f, fs.readFileSync(f).subarray(0, 200)), true)],
  ['empty', (f) => (fs.writeFileSync(f, ''), true)],
  ['binary garbage', (f) => (fs.writeFileSync(f, Buffer.concat([Buffer.from('bplist00'), Buffer.from([0xff, 0x00, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02])])), true)],
  ['random bytes', (f) => (fs.writeFileSync(f, Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 73 + 11) % 256))), true)],
  ['a root that is not a dictionary', (f) => (fs.writeFileSync(f, '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><array><string>x</string></array></plist>\n'), true)],
  ['huge (2 MiB)', (f) => (fs.writeFileSync(f, `<?xml version="1.0"?><plist version="1.0"><dict><key>StateText</key><string>${'a'.repeat(2 * 1024 * 1024)}</string></dict></plist>`), true)],
  ['a link to /dev/zero', (f) => (fs.rmSync(f), fs.symlinkSync('/dev/zero', f), true)],
  ['a FIFO', (f) => (fs.rmSync(f), mkfifo(f))],
  ['a folder', (f) => (fs.rmSync(f), fs.mkdirSync(f), fs.writeFileSync(path.join(f, 'inside'), 'x'), true)],
];

describe('a damaged status.plist is moved aside and rebuilt', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ root, cleanup } = await makeTempRoot('superd-repair-'));
  });
  afterEach(() => cleanup());

  test.each(DAMAGE)('%s: the read answers, the damage is kept aside and logged, superd status says so', async (_kind, damage) => {
    await updateStatus(root, { state: 'deferred', planId: 'plan-7', nextAttempt: '2026-12-04T08:00:00.000Z' }, NOW);
    const file = statusFile(root);
    if (!damage(file)) return console.warn('mkfifo(1) not available: case skipped');

    const s = await readStatus(root, NOW);
    expect(s.state).toBe('idle');
    expect(s.repair).toMatchObject({ at: NOW.toISOString(), movedTo: expect.stringMatching(/status\.plist\.corrupt-20261203T220000000Z$/) });
    expect(s.repair!.reason.length).toBeGreaterThan(10);
    // The damaged thing itself was moved (a link stays a link), not followed or deleted.
    expect(fs.lstatSync(s.repair!.movedTo!)).toBeTruthy();
    // A fresh, regular status file that remembers the repair.
    expect(fs.lstatSync(file).isFile()).toBe(true);
    expect(await readStatus(root, NOW)).toEqual(s);
    expect(logText(root)).toMatch(/warn \[status\] status\.plist repaired: .*moved aside to/);

    const text = await superdStatus(root, false);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^Repaired\s+2026-12-03T22:00:00\.000Z: the status file .+; the damaged file is kept at .+status\.plist\.corrupt-/m);
    const json = await superdStatus(root, true);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ state: 'idle', repair: { movedTo: s.repair!.movedTo } });
  });

  test('wrongly typed fields are dropped, the rest (the plan superd follows) kept, and the next write leaves them out', async () => {
    const { build } = await loadPlist();
    const file = statusFile(root);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, build({ State: 'deferred', PlanID: 'plan-7', NextAttempt: 'garbage', AuthMethod: 7, ErrorStreakCode: 'E', ErrorStreakCount: 'many', EnforceAt: [1, 2], TargetVersion: '15.6', LastErrorCode: 'SUPERD_ERR_X', LastErrorDate: new Date('2026-12-03T20:00:00Z') } as never));
    const s = await readStatus(root, NOW);
    expect(s).toMatchObject({ state: 'deferred', planId: 'plan-7', targetVersion: '15.6', nextAttempt: null, authMethod: null, errorStreak: null, enforceAt: null, lastError: { code: 'SUPERD_ERR_X', at: '2026-12-03T20:00:00.000Z' } });
    expect(s.repair).toMatchObject({ movedTo: null, reason: expect.stringMatching(/NextAttempt \(expected a date, got "garbage"\)/) });
    for (const key of ['AuthMethod', 'ErrorStreakCount', 'EnforceAt']) expect(s.repair!.reason).toContain(key);
    expect(asideCopies(root)).toEqual([]);
    expect(logText(root)).toContain('wrongly typed fields');

    // The answer is the same for `superd status`; a write (any run) rewrites the file clean.
    expect((await superdStatus(root, false)).out).toMatch(/^Repaired .*NextAttempt/m);
    await updateStatus(root, { state: 'done' }, NOW);
    const rewritten = fs.readFileSync(file, 'utf8');
    expect(rewritten).not.toContain('<key>NextAttempt</key>');
    expect(rewritten).toContain('plan-7');
    expect((await readStatus(root, NOW)).repair?.reason).toContain('NextAttempt');
  });

  test('a binary status whose text XML cannot carry (a control character): dropped, so the next write works', async () => {
    const { buildBinary } = await loadPlist();
    const file = statusFile(root);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, buildBinary({ State: 'done', StateText: 'a\u0001b', PlanID: 'plan-1' } as never));
    const s = await readStatus(root, NOW);
    expect(s).toMatchObject({ state: 'done', stateText: null, planId: 'plan-1', repair: { reason: expect.stringContaining('StateText') } });
    await expect(updateStatus(root, { state: 'idle' }, NOW)).resolves.toMatchObject({ planId: 'plan-1' });
  });

  test('an edited file with ISO 8601 strings for dates is accepted (normalized), not treated as damage', async () => {
    const { build } = await loadPlist();
    const file = statusFile(root);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, build({ State: 'deferred', NextAttempt: '2026-12-04T08:00:00Z' } as never));
    expect(await readStatus(root, NOW)).toMatchObject({ nextAttempt: '2026-12-04T08:00:00.000Z', repair: null });
  });

  test(`repeated damage keeps only the newest ${MOVED_ASIDE_KEPT} copies`, async () => {
    for (let i = 0; i < MOVED_ASIDE_KEPT + 3; i++) {
      fs.mkdirSync(path.dirname(statusFile(root)), { recursive: true });
      fs.writeFileSync(statusFile(root), `damaged ${i}`);
      await readStatus(root, new Date(NOW.getTime() + i * 1000));
    }
    const kept = asideCopies(root).sort();
    expect(kept).toHaveLength(MOVED_ASIDE_KEPT);
    expect(fs.readFileSync(path.join(path.dirname(statusFile(root)), kept.at(-1)!), 'utf8')).toBe(`damaged ${MOVED_ASIDE_KEPT + 2}`);
  });
});

describe('damaged saved settings fall back to the profile and options', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ root, cleanup } = await makeTempRoot('superd-saved-'));
  });
  afterEach(() => cleanup());

  test('a file that is not a plist: moved aside, a warning naming it, the options still apply', async () => {
    const saved = hostPath(superdPaths.savedSettings, root);
    fs.mkdirSync(path.dirname(saved), { recursive: true });
    fs.writeFileSync(saved, '<?xml version="1.0"?><plist><dict><key>DeferralTimerDefault</key>');
    const loaded = await loadSettings(['--deferral-timer-default=120'], root, NOW);
    expect(loaded.errors).toEqual([]);
    expect(loaded.settings.DeferralTimerDefault).toBe(120);
    expect(loaded.warnings).toContainEqual(expect.objectContaining({ subject: saved, message: expect.stringMatching(/moved aside to .*com\.github\.superd\.plist\.corrupt-.*profile and options only/) }));
    expect(fs.existsSync(saved)).toBe(false);
    expect(asideCopies(root, 'com.github.superd.plist')).toHaveLength(1);
  });

  test('a link to /dev/zero in its place: moved aside, never read', async () => {
    const saved = hostPath(superdPaths.savedSettings, root);
    fs.mkdirSync(path.dirname(saved), { recursive: true });
    fs.symlinkSync('/dev/zero', saved);
    const loaded = await loadSettings([], root, NOW);
    expect(loaded.errors).toEqual([]);
    expect(loaded.warnings.map((w) => w.message).join('\n')).toMatch(/symbolic link/);
    expect(fs.existsSync(saved)).toBe(false);
  });

  test('a saved value of the wrong type is left out with a warning, and not saved again', async () => {
    const { build } = await loadPlist();
    const saved = hostPath(superdPaths.savedSettings, root);
    fs.mkdirSync(path.dirname(saved), { recursive: true });
    fs.writeFileSync(saved, build({ DeferralTimerError: 'soon', DeferralTimerDefault: 90 } as never));
    const loaded = await loadSettings([], root, NOW);
    expect(loaded.errors).toEqual([]);
    expect(loaded.settings.DeferralTimerDefault).toBe(90);
    expect(loaded.warnings).toContainEqual(expect.objectContaining({ subject: expect.stringContaining('DeferralTimerError in the saved settings'), source: 'configuration' }));
    expect(loaded.toSave).toEqual({ DeferralTimerDefault: 90 });
  });

  test('a binary saved value with a control character is left out, so saving again works', async () => {
    const { buildBinary } = await loadPlist();
    const saved = hostPath(superdPaths.savedSettings, root);
    fs.mkdirSync(path.dirname(saved), { recursive: true });
    fs.writeFileSync(saved, buildBinary({ AuthJamfComputerID: '12\u00013', DeferralTimerDefault: 90 } as never));
    const loaded = await loadSettings([], root, NOW);
    expect(loaded.errors).toEqual([]);
    expect(loaded.warnings.map((w) => w.message).join('\n')).toMatch(/control characters/);
    expect(loaded.toSave).toEqual({ DeferralTimerDefault: 90 });
  });
});

describe('whole runs after damage (HTTPS simulator and fake Mac)', () => {
  let w: RunWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  test('a truncated status.plist: the run proceeds (exit 0), the damage is kept aside, superd status answers', async () => {
    w = await openRunWorld();
    await w.saveClient();
    // A status from an earlier run that failed, cut off mid-write (what a power loss did before fsync).
    await updateStatus(w.mac.root, { state: 'deferred', stateText: 'Retrying', lastError: { code: 'SUPERD_ERR_JAMF_HTTP', message: 'Jamf Pro answered 503', at: NOW.toISOString() } }, NOW);
    const file = statusFile(w.mac.root);
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 150));
    const r = await w.run();
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(asideCopies(w.mac.root)).toHaveLength(1);
    const s = await w.status();
    expect(s.repair?.movedTo).toContain('status.plist.corrupt-');
    expect(s.lastError).toBeNull();
    expect(s.planId).not.toBeNull();
    expect((await superdStatus(w.mac.root, false)).code).toBe(0);
  });

  test('a NextAttempt of the wrong type (once exit 70 with a stack trace): the run proceeds, the field is dropped', async () => {
    w = await openRunWorld();
    await w.saveClient();
    const { build } = await loadPlist();
    const file = statusFile(w.mac.root);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, build({ State: 'deferred', NextAttempt: 'not a date', ErrorStreakCount: 'x', ErrorStreakCode: 'SUPERD_ERR_JAMF_HTTP' } as never));
    const r = await w.run();
    expect(r.status).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('<key>NextAttempt</key>');
    expect((await w.status()).repair?.reason).toContain('NextAttempt');
  });

  test('status.plist a link to /dev/zero and saved settings garbage: the run proceeds with a warning, both set aside', async () => {
    w = await openRunWorld();
    await w.saveClient();
    const file = statusFile(w.mac.root);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.symlinkSync('/dev/zero', file);
    const saved = hostPath(superdPaths.savedSettings, w.mac.root);
    fs.writeFileSync(saved, Buffer.from([0, 1, 2, 3, 0xff]));
    const r = await w.run();
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`superd: warning: ${saved}`);
    expect(fs.lstatSync(file).isFile()).toBe(true);
    expect(asideCopies(w.mac.root)).toHaveLength(1);
    expect(asideCopies(w.mac.root, 'com.github.superd.plist')).toHaveLength(1);
    // The settings were saved afresh from this run's (valid) input.
    expect(fs.lstatSync(saved).isFile()).toBe(true);
  });
});

describe('the repair note itself', () => {
  test('a fault message quoting bytes XML cannot carry is kept writable, so the fresh status is on disk', async () => {
    const { root, cleanup } = await makeTempRoot('superd-repairnote-');
    try {
      const file = statusFile(root);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      // Text outside <plist>: the fault quotes it, U+FFFE included.
      fs.writeFileSync(file, '\uFFFE\u0001 stray text <plist version="1.0"><dict/></plist>');
      const s = await readStatus(root, NOW);
      expect(s.repair?.movedTo).toBeTruthy();
      expect(fs.lstatSync(file).isFile()).toBe(true);
      expect((await readStatus(root, NOW)).repair).toEqual(s.repair);
    } finally {
      await cleanup();
    }
  });
});
