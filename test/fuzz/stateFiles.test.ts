/**
 * Issue 16 acceptance, the state-file half of the fuzz test: random saved settings and status
 * files (random bytes, XML and binary property lists of random keys and values, superd's own
 * files cut and spliced) never crash superd and never end in exit 70; a damaged file is moved
 * aside or its bad values left out, and nothing invalid is saved again. Options and profiles are
 * fuzzed in test/fuzz/options*.test.ts. Run counts are modest (2-core machine).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { loadSettings, readSavedSettings, saveSettings } from '../../daemon/config/loadSettings';
import { settingKeys, settingsSchema, type SettingKey } from '../../daemon/config/schema';
import { exitStatusFor } from '../../daemon/exitStatus';
import { hostPath, superdPaths } from '../../daemon/host/paths';
import { checkStatusPlist, readStatus, updateStatus } from '../../daemon/status/statusFile';
import { readStatusPlistText } from '../../daemon/status/statusPlistReader';
import { loadPlist } from '../helpers/plist';
import { openRunWorld } from '../helpers/runWorld';
import { makeTempRoot } from '../helpers/tempRoot';

const NOW = new Date('2026-12-03T22:00:00Z');
const STATUS_KEYS = ['State', 'StateText', 'AuthMethod', 'ComputerID', 'NextAttempt', 'LastErrorCode', 'LastErrorMessage', 'LastErrorDate', 'HeartbeatStatus', 'HeartbeatDate', 'TargetVersion', 'TargetFirstSeenVersion', 'TargetFirstSeenDate', 'ErrorStreakCode', 'ErrorStreakCount', 'ErrorStreakConfig', 'PlanID', 'UpdateAction', 'EnforceAt', 'HeartbeatPausedFor', 'MachineSnapshot', 'UpdatedAt', 'RepairedAt', 'RepairReason', 'RepairMovedTo'];

const scalar = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  { weight: 3, arbitrary: fc.constantFrom('X', '', 'idle', 'deferred', 'jamf-client', 'TRUE', '2026-12-04T08:00:00Z', 'not a date', '-1', '99999999999', 'a\u0001b', '\uFFFE', '\uD800') },
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
  fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b)),
);
const value = fc.oneof({ weight: 4, arbitrary: scalar }, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 6 }), scalar, { maxKeys: 3 }));
/** Mostly the keys superd knows (that is where a wrong type matters), some unknown ones. */
const dictOf = (keys: readonly string[]) =>
  fc.dictionary(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys) }, fc.string({ maxLength: 10 })), value, { maxKeys: 8 });

type FileSpec =
  | { kind: 'bytes'; bytes: Buffer }
  | { kind: 'plist'; dict: Record<string, unknown>; binary: boolean; cut: number | null; insert: string | null };

/** A damage applied one time in four: most files are whole, so their values reach the field checks. */
const sometimes = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, arb);

/** A file: a plist (XML or binary) of random keys and values, maybe cut or spliced, or random bytes. */
function fileSpec(keys: readonly string[]): fc.Arbitrary<FileSpec> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ dict: dictOf(keys), binary: fc.boolean(), cut: sometimes(fc.nat()), insert: sometimes(fc.string({ unit: 'binary', maxLength: 8 })) }).map((r): FileSpec => ({ kind: 'plist', ...r })) },
    fc.uint8Array({ maxLength: 400 }).map((b): FileSpec => ({ kind: 'bytes', bytes: Buffer.from(b) })),
  );
}

/** The spec's bytes (the plist library is ESM and loads asynchronously). */
async function render(s: FileSpec): Promise<Buffer> {
  if (s.kind === 'bytes') return s.bytes;
  const { build, buildBinary } = await loadPlist();
  let bytes: Buffer;
  try {
    bytes = s.binary ? Buffer.from(buildBinary(s.dict as never)) : Buffer.from(build(s.dict as never), 'utf8');
  } catch {
    // The library refuses some values (characters XML cannot carry): write them raw instead.
    bytes = Buffer.from(JSON.stringify(s.dict));
  }
  if (s.cut !== null) bytes = bytes.subarray(0, s.cut % (bytes.length + 1));
  if (s.insert !== null) bytes = Buffer.concat([bytes.subarray(0, bytes.length >> 1), Buffer.from(s.insert, 'latin1'), bytes.subarray(bytes.length >> 1)]);
  return bytes;
}

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ root, cleanup } = await makeTempRoot('superd-fuzzstate-'));
});
afterAll(() => cleanup());

function reset(): void {
  fs.rmSync(hostPath(superdPaths.folder, root), { recursive: true, force: true });
  fs.mkdirSync(hostPath(superdPaths.folder, root), { recursive: true });
}

test('saved settings: never a crash or exit 70; damage moved aside or left out; nothing invalid saved again', async () => {
  const savedFile = hostPath(superdPaths.savedSettings, root);
  await fc.assert(
    fc.asyncProperty(fileSpec(settingKeys), async (spec) => {
      reset();
      const bytes = await render(spec);
      fs.writeFileSync(savedFile, bytes);
      let loaded;
      try {
        loaded = await loadSettings([], root, NOW);
      } catch (error) {
        // A saved-settings file alone never blocks a run.
        throw new Error(`loadSettings threw (exit ${exitStatusFor(error)}): ${String(error)}`);
      }
      // loadSettings never writes: the file is as it was, or moved aside whole.
      if (fs.existsSync(savedFile)) expect(fs.readFileSync(savedFile).equals(bytes)).toBe(true);
      else expect(fs.readdirSync(path.dirname(savedFile)).some((n) => n.startsWith('com.github.superd.plist.corrupt-'))).toBe(true);
      // Cross-field rules over valid values may still refuse (exit 78), never 70.
      if (loaded.errors.length > 0) {
        expect(loaded.errors.every((e) => e.source === 'configuration')).toBe(true);
        return;
      }
      // What the run would save holds only valid values of known keys; saved and read back, nothing is left out.
      for (const [key, v] of Object.entries(loaded.toSave)) {
        expect(Object.hasOwn(settingsSchema, key)).toBe(true);
        expect(settingsSchema[key as SettingKey].parse(v as never).ok).toBe(true);
      }
      await saveSettings(loaded.toSave, root);
      const again = await readSavedSettings(root, NOW);
      expect(again.warnings).toEqual([]);
      expect(again.values).toEqual(loaded.toSave);
    }),
    { numRuns: 100 },
  );
});

test('status files: every read answers with a well-typed record, and the next write is clean', async () => {
  await fc.assert(
    fc.asyncProperty(fileSpec(STATUS_KEYS), async (spec) => {
      reset();
      const file = hostPath(superdPaths.status, root);
      fs.writeFileSync(file, await render(spec));
      const s = await readStatus(root, NOW);
      for (const t of [s.nextAttempt, s.lastError?.at, s.heartbeat?.checkedAt, s.targetFirstSeen?.at, s.enforceAt, s.updatedAt, s.repair?.at]) {
        if (t !== null && t !== undefined) expect(new Date(t).toISOString()).toBe(t);
      }
      if (s.errorStreak) expect(Number.isSafeInteger(s.errorStreak.count)).toBe(true);
      // Whatever was read, a run can write it back, and what it writes is superd's own form, whole and clean.
      await updateStatus(root, { state: 'idle' }, NOW);
      const written = readStatusPlistText(fs.readFileSync(file, 'utf8'));
      expect(written).not.toBeNull();
      expect(checkStatusPlist(written!).dropped).toEqual([]);
      expect(fs.readdirSync(path.dirname(file)).filter((n) => n.includes('.corrupt-')).length).toBeLessThanOrEqual(3);
    }),
    { numRuns: 100 },
  );
});

test('whole runs over random status and saved settings files: never exit 70, never a stack trace', async () => {
  const w = await openRunWorld();
  try {
    await w.saveClient();
    await fc.assert(
      fc.asyncProperty(fileSpec(STATUS_KEYS), fileSpec(settingKeys), async (statusSpec, savedSpec) => {
        fs.mkdirSync(hostPath(superdPaths.folder, w.mac.root), { recursive: true });
        fs.writeFileSync(hostPath(superdPaths.status, w.mac.root), await render(statusSpec));
        fs.writeFileSync(hostPath(superdPaths.savedSettings, w.mac.root), await render(savedSpec));
        const r = await w.run(['run']);
        expect(r.status).not.toBe(70);
        expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
        // The status afterwards is superd's own, readable form.
        expect(readStatusPlistText(fs.readFileSync(hostPath(superdPaths.status, w.mac.root), 'utf8'))).not.toBeNull();
      }),
      { numRuns: 12 },
    );
  } finally {
    await w.close();
  }
});
