import { ConfigError } from '../errors';
import { hostPath, superdPaths } from '../host/paths';
import { parseOptions } from './parseOptions';
import { readPlistDict, type PlistDict } from './readPlist';
import { validate, type Issue, type ManagedInput, type ValidateResult } from './validate';
import { writePlistAtomically } from './writePlist';

export interface LoadedSettings extends ValidateResult {
  fromJamfPolicy: boolean;
  managedFile: string | null;
}

/**
 * Reads the three sources (managed preferences, options, saved settings) and validates them.
 * The super profile is read only when superd has none, for admins migrating from super.
 * Never writes. Malformed files throw a ConfigError naming the file and the fault.
 */
export async function loadSettings(argv: readonly string[], root: string): Promise<LoadedSettings> {
  const parsed = parseOptions(argv);
  const managed = await readManaged(root);
  const savedFile = hostPath(superdPaths.savedSettings, root);
  const saved = await readPlistDict(savedFile);
  const result = validate({ managed: managed.input, options: parsed.options, saved });
  const optionIssues = (issues: typeof parsed.errors): Issue[] => issues.map((i) => ({ ...i, source: 'options' as const }));
  return {
    ...result,
    warnings: [...optionIssues(parsed.warnings), ...managed.warnings, ...result.warnings],
    errors: [...optionIssues(parsed.errors), ...result.errors],
    fromJamfPolicy: parsed.fromJamfPolicy,
    managedFile: managed.input?.file ?? null,
  };
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
