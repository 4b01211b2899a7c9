import { ConfigError, UnsafeFileError } from '../errors';
import { hostPath, superdPaths } from '../host/paths';
import { MAX_PLIST_BYTES, moveAside, readRegularFile, type RegularFile } from '../host/safeFile';
import { parseOptions } from './parseOptions';
import { parsePlistDict, readPlistDict, type PlistDict } from './readPlist';
import { settingsSchema, type SettingKey } from './schema';
import { validate, type Issue, type ManagedInput, type ValidateResult } from './validate';
import { writePlistAtomically, xmlCanCarry } from './writePlist';

export interface LoadedSettings extends ValidateResult {
  fromJamfPolicy: boolean;
  managedFile: string | null;
}

/**
 * Reads the three sources (managed preferences, options, saved settings) and validates them.
 * The super profile is read only when superd has none, for admins migrating from super.
 * Never writes. Malformed files throw a ConfigError naming the file and the fault.
 */
export async function loadSettings(argv: readonly string[], root: string, now: Date = new Date()): Promise<LoadedSettings> {
  const parsed = parseOptions(argv);
  const managed = await readManaged(root);
  const saved = await readSavedSettings(root, now);
  const result = validate({ managed: managed.input, options: parsed.options, saved: saved.values });
  const optionIssues = (issues: typeof parsed.errors): Issue[] => issues.map((i) => ({ ...i, source: 'options' as const }));
  return {
    ...result,
    warnings: [...optionIssues(parsed.warnings), ...managed.warnings, ...saved.warnings, ...result.warnings],
    errors: [...optionIssues(parsed.errors), ...result.errors],
    fromJamfPolicy: parsed.fromJamfPolicy,
    managedFile: managed.input?.file ?? null,
  };
}

/** Label of moved-aside saved settings: `com.github.superd.plist.corrupt-<time>`. */
export const CORRUPT_SAVED_LABEL = 'corrupt';

/**
 * superd's saved settings, repaired where damaged (issue 16): saved settings are superd's own
 * memory of earlier options, never the admin's only copy, so a damaged file never blocks a run.
 * A file that is not a property list dictionary, is not a regular file or is too large is moved
 * aside (`com.github.superd.plist.corrupt-<time>`, the newest three kept) and the run goes on
 * with the profile and options alone; a saved value of the wrong type is left out. Each is a
 * warning naming the file; the next save writes the file without the damage. A file that
 * cannot be read at all is still an error (nothing to repair).
 */
export async function readSavedSettings(root: string, now: Date = new Date()): Promise<{ values: PlistDict | null; warnings: Issue[] }> {
  const file = hostPath(superdPaths.savedSettings, root);
  let read: RegularFile | null = null;
  let values: PlistDict | null = null;
  let fault: string | null = null;
  try {
    read = await readRegularFile(file, MAX_PLIST_BYTES);
    values = read === null ? null : await parsePlistDict(read.bytes, file);
  } catch (error) {
    if (!(error instanceof ConfigError) || (read === null && !(error instanceof UnsafeFileError))) throw error;
    fault = error.issues.map((i) => i.message).join('; ');
  }
  if (fault !== null) {
    let where: string;
    try {
      where = `moved aside to ${moveAside(file, CORRUPT_SAVED_LABEL, now, read ?? undefined) ?? '(already gone)'}`;
    } catch (error) {
      where = `could not be moved aside (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    }
    return { values: null, warnings: [{ subject: file, message: `${fault}: ${where}; superd goes on with the profile and options only, and saves settings afresh`, source: 'configuration' }] };
  }
  if (values === null) return { values: null, warnings: [] };
  const warnings: Issue[] = [];
  const kept: PlistDict = {};
  for (const [key, value] of Object.entries(values)) {
    if (key === '__proto__') continue;
    if (!xmlCanCarry(key) || !xmlCanCarry(value)) {
      warnings.push({ subject: `a value in the saved settings ${file}`, message: 'holds control characters a property list cannot carry; it is left out (the next save removes it)', source: 'configuration' });
      continue;
    }
    const def = Object.hasOwn(settingsSchema, key) ? settingsSchema[key as SettingKey] : undefined;
    const parsed = def?.parse(value as never);
    if (parsed && !parsed.ok) {
      warnings.push({ subject: `${key} in the saved settings ${file}`, message: `must be ${parsed.expected}; the saved value is left out (the next save removes it)`, source: 'configuration' });
      continue;
    }
    kept[key] = value;
  }
  return { values: kept, warnings };
}

async function readManaged(root: string): Promise<{ input: ManagedInput | null; warnings: Issue[] }> {
  const superdFile = hostPath(superdPaths.managedPreferences, root);
  const superFile = hostPath(superdPaths.superManagedPreferences, root);
  const own = await readPlistDict(superdFile);
  if (own) {
    const superToo = await readPlistDict(superFile).catch(() => null);
    const warnings: Issue[] = superToo
      ? [{ subject: superFile, message: `is ignored because ${superdFile} exists; remove super's profile once migrated`, source: 'configuration' }]
      : [];
    return { input: { file: superdFile, domain: 'com.github.superd', values: own }, warnings };
  }
  const legacy = await readPlistDict(superFile);
  return { input: legacy ? { file: superFile, domain: 'com.macjutsu.super', values: legacy } : null, warnings: [] };
}

/** Throws the ConfigError for a result with errors; its source decides the exit status. */
export function assertValid(result: Pick<ValidateResult, 'errors'>): void {
  if (result.errors.length === 0) return;
  const source = result.errors.some((e) => e.source === 'configuration') ? 'configuration' : 'options';
  throw new ConfigError(result.errors, source);
}

/** Saves settings atomically (write, then rename), as an XML property list readable by `defaults`. */
export async function saveSettings(values: PlistDict, root: string): Promise<void> {
  const file = hostPath(superdPaths.savedSettings, root);
  await writePlistAtomically(file, values);
}
