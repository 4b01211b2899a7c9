import { mkdir, rename, rm, access } from 'node:fs/promises';
import { MAX_PLIST_BYTES, readRegularFile } from '../host/safeFile';
import * as path from 'node:path';
import type { SecretStore } from '../auth/secretStore';
import { superCredentials } from '../auth/applyCredentialOptions';
import { readPlistDict, type PlistDict } from '../config/readPlist';
import { settingKeys, type SettingKey } from '../config/schema';
import { validate } from '../config/validate';
import { CommandError, ConfigError } from '../errors';
import { bootoutService, bootstrapService, serviceLoadedStrict } from '../host/launchctl';
import { hostPath, superdPaths } from '../host/paths';
import type { RunCommand } from '../host/runCommand';
import { superDaemonLoaded, SUPER_LABEL, superPaths } from '../host/superInstall';
import { writeJsonAtomically } from './writeJson';

export interface SuperInstall {
  /** `/Library/LaunchDaemons/com.macjutsu.super.plist` exists (super starts at boot). */
  readonly launchDaemonPresent: boolean;
  /** `launchctl print system/com.macjutsu.super` exits 0: super's daemon is bootstrapped now. */
  readonly loaded: boolean;
  /** super's local settings plist, or null when it has none. */
  readonly settings: PlistDict | null;
}


/** What of super is on this Mac: its LaunchDaemon file, whether launchd has it loaded, its settings. */
export async function detectSuper(run: RunCommand, root: string, signal?: AbortSignal): Promise<SuperInstall> {
  return {
    launchDaemonPresent: await exists(hostPath(superPaths.launchDaemon, root)),
    loaded: await superDaemonLoaded(run, signal),
    settings: await readPlistDict(hostPath(superPaths.settings, root)),
  };
}


/**
 * `superd migrate-from-super [--undo]`: hands a Mac from super to superd, and back.
 *
 * Migrate: super's saved credential is validated and saved under superd's names (the
 * `--auth-migrate-from-super` code), super's settings that are superd settings are validated
 * and added to superd's saved settings (superd's own values win), super's LaunchDaemon plist is
 * moved into superd's folder (so neither launchd at boot nor a running super can bootstrap it
 * again) and super's daemon is booted out. A record says what was done. Undo moves the plist
 * back and bootstraps super again. Both are idempotent.
 */

export const MIGRATION_FOLDER = `${superdPaths.folder}/migration`;
export const MIGRATION_RECORD = `${MIGRATION_FOLDER}/super-migration.json`;
/** Where super's LaunchDaemon plist waits while superd runs the Mac. */
export const SUPER_PLIST_ASIDE = `${MIGRATION_FOLDER}/${SUPER_LABEL}.plist`;

export interface MigrationRecord {
  readonly migratedAt: string;
  /** super's daemon was loaded when migrated: undo bootstraps it again. */
  readonly superWasLoaded: boolean;
  /** The plist was moved aside (false when super's daemon was loaded without its file there). */
  readonly plistMoved: boolean;
  /** The credential method saved from super's items, or null. */
  readonly credentialMethod: string | null;
  /** superd settings keys taken from super's settings. */
  readonly settingsAdded: readonly string[];
}

export interface MigrationDeps {
  readonly root: string;
  readonly run: RunCommand;
  /** superd's keychain items. */
  readonly store: SecretStore;
  /** super's keychain items (service "Super Update Service"). */
  readonly superStore: SecretStore;
  /** Validates with Jamf Pro (or macOS) and saves a credential given as options; returns its method. */
  readonly saveCredential: (given: Record<string, string>) => Promise<string | null>;
  /** Reads superd's saved settings (null when none). */
  readonly readSavedSettings: () => Promise<PlistDict | null>;
  readonly saveSettings: (values: PlistDict) => Promise<void>;
  readonly now: () => Date;
  /** Waits between checks that super's daemon is gone (launchctl bootout is asynchronous, reference §10.3). */
  readonly sleep: (ms: number) => Promise<void>;
  readonly signal?: AbortSignal;
}

export interface MigrationReport {
  /** Something changed on this Mac. */
  readonly changed: boolean;
  /** One line per thing done or found, for the admin. */
  readonly lines: readonly string[];
  /** Settings of super's that were not taken, with why (as superd's validation words it; settings hold no secret). */
  readonly warnings: readonly string[];
}

const BOOTOUT_CHECKS = 5;

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Moves a file within the root; a failure (not root, read-only volume) is named, not a crash. */
async function moveFile(from: string, to: string, root: string): Promise<void> {
  try {
    await mkdir(path.dirname(hostPath(to, root)), { recursive: true, mode: 0o755 });
    await rename(hostPath(from, root), hostPath(to, root));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError([{ subject: from, message: `cannot be moved to ${to} (${code}); run superd migrate-from-super as root` }], 'configuration');
  }
}

export async function readMigrationRecord(root: string): Promise<MigrationRecord | null> {
  // A regular file of bounded size, never through a link (issue 16).
  const read = await readRegularFile(hostPath(MIGRATION_RECORD, root), MAX_PLIST_BYTES);
  if (read === null) return null;
  const text = read.bytes.toString('utf8');
  try {
    return JSON.parse(text) as MigrationRecord;
  } catch {
    throw new ConfigError([{ subject: hostPath(MIGRATION_RECORD, root), message: 'is not valid JSON; restore super by hand (see the admin guide) and remove it' }], 'configuration');
  }
}

/**
 * super's settings that are also superd settings, each validated on its own as a saved value;
 * superd's own saved values win. Invalid ones are left out with a warning naming the key.
 */
export function settingsFromSuper(superSettings: PlistDict, saved: PlistDict | null): { add: PlistDict; warnings: string[] } {
  const add: PlistDict = {};
  const warnings: string[] = [];
  for (const key of settingKeys) {
    if (!Object.hasOwn(superSettings, key) || (saved && Object.hasOwn(saved, key))) continue;
    const one = validate({ managed: null, options: {}, saved: { [key]: superSettings[key] } });
    const issue = one.errors.find((e) => e.subject.startsWith(key));
    if (issue) {
      warnings.push(`${key} in ${superPaths.settings} not migrated: ${issue.message}`);
      continue;
    }
    add[key] = one.settings[key as SettingKey];
  }
  // The whole result must validate too (cross-field rules); otherwise nothing is taken.
  const merged = validate({ managed: null, options: {}, saved: { ...(saved ?? {}), ...add } });
  if (merged.errors.length > 0 && Object.keys(add).length > 0) {
    return { add: {}, warnings: [...warnings, `super's settings were not migrated: together with superd's they are invalid (${merged.errors.map((e) => `${e.subject}: ${e.message}`).join('; ')})`] };
  }
  return { add, warnings };
}

/** Boots super's daemon out and waits until launchd no longer lists it. */
async function bootoutSuper(deps: MigrationDeps): Promise<void> {
  await bootoutService(deps.run, SUPER_LABEL, deps.signal);
  for (let i = 0; i < BOOTOUT_CHECKS; i += 1) {
    if (!(await serviceLoadedStrict(deps.run, SUPER_LABEL, deps.signal))) return;
    await deps.sleep(1000);
  }
  throw new CommandError('/bin/launchctl', 0, '', `launchctl bootout system/${SUPER_LABEL} returned, but launchd still lists ${SUPER_LABEL}; run superd migrate-from-super again`);
}

export async function migrateFromSuper(deps: MigrationDeps): Promise<MigrationReport> {
  const { root } = deps;
  const found = await detectSuper(deps.run, root, deps.signal);
  const previous = await readMigrationRecord(root);
  if (!found.launchDaemonPresent && !found.loaded) {
    const line = previous
      ? `super was already migrated on ${previous.migratedAt}; its LaunchDaemon is in ${SUPER_PLIST_ASIDE}. Nothing to do.`
      : `super's LaunchDaemon (${superPaths.launchDaemon}) is not on this Mac and ${SUPER_LABEL} is not loaded: nothing to migrate.`;
    return { changed: false, lines: [line], warnings: [] };
  }
  const lines: string[] = [];

  // 1. Credentials first: if Jamf Pro (or macOS) rejects super's, nothing of super is touched.
  let credentialMethod = previous?.credentialMethod ?? null;
  const given = await superCredentials(deps.superStore, deps.store, deps.signal);
  if (given) {
    credentialMethod = await deps.saveCredential(given as Record<string, string>);
    lines.push(`super's saved credential was validated and saved under superd's names (${credentialMethod}).`);
  } else {
    lines.push("No credential to migrate (superd already has one, or super saved none).");
  }

  // 2. Settings that are superd settings, validated; superd's own saved values win.
  const saved = await deps.readSavedSettings();
  const { add, warnings } = found.settings ? settingsFromSuper(found.settings, saved) : { add: {}, warnings: [] };
  if (Object.keys(add).length > 0) {
    await deps.saveSettings({ ...(saved ?? {}), ...add });
    lines.push(`Settings taken from super: ${Object.keys(add).join(', ')}.`);
  } else {
    lines.push('No setting of super to take (none, or superd already has them).');
  }

  // 3. The plist goes aside before the bootout, so a super run in progress cannot bootstrap it again.
  if (found.launchDaemonPresent) {
    await moveFile(superPaths.launchDaemon, SUPER_PLIST_ASIDE, root);
    lines.push(`Moved ${superPaths.launchDaemon} to ${SUPER_PLIST_ASIDE} (super no longer starts at boot).`);
  }
  if (found.loaded) {
    await bootoutSuper(deps);
    lines.push(`Unloaded super's daemon (launchctl bootout system/${SUPER_LABEL}).`);
  }

  const record: MigrationRecord = {
    migratedAt: deps.now().toISOString(),
    superWasLoaded: found.loaded || (previous?.superWasLoaded ?? false),
    plistMoved: found.launchDaemonPresent || (previous?.plistMoved ?? false),
    credentialMethod,
    settingsAdded: [...new Set([...(previous?.settingsAdded ?? []), ...Object.keys(add)])],
  };
  await writeJsonAtomically(hostPath(MIGRATION_RECORD, root), record);
  lines.push(`Recorded in ${MIGRATION_RECORD}; superd migrate-from-super --undo gives the Mac back to super.`);
  return { changed: true, lines, warnings };
}

export async function undoMigrateFromSuper(deps: MigrationDeps): Promise<MigrationReport> {
  const { root } = deps;
  const record = await readMigrationRecord(root);
  if (!record) return { changed: false, lines: [`No migration from super is recorded (${MIGRATION_RECORD}): nothing to undo.`], warnings: [] };
  const lines: string[] = [];
  const inPlace = hostPath(superPaths.launchDaemon, root);
  const aside = hostPath(SUPER_PLIST_ASIDE, root);
  if (await exists(aside)) {
    if (await exists(inPlace)) {
      lines.push(`${superPaths.launchDaemon} exists again (super was reinstalled); ${SUPER_PLIST_ASIDE} is left where it is.`);
    } else {
      await moveFile(SUPER_PLIST_ASIDE, superPaths.launchDaemon, root);
      lines.push(`Moved ${SUPER_PLIST_ASIDE} back to ${superPaths.launchDaemon}.`);
    }
  } else if (!(await exists(inPlace)) && record.plistMoved) {
    throw new ConfigError([{ subject: SUPER_PLIST_ASIDE, message: `is missing and ${superPaths.launchDaemon} is not there either: reinstall super to restore it` }], 'configuration');
  }
  if (record.superWasLoaded && (await exists(inPlace)) && !(await serviceLoadedStrict(deps.run, SUPER_LABEL, deps.signal))) {
    const boot = await bootstrapService(deps.run, superPaths.launchDaemon, deps.signal);
    // Exit 5 is launchd's catch-all and sometimes reported although the job loaded: print decides (reference §10.2).
    if (!(await serviceLoadedStrict(deps.run, SUPER_LABEL, deps.signal))) {
      throw new CommandError('/bin/launchctl', null, boot.stderr, `launchctl bootstrap system ${superPaths.launchDaemon} did not load ${SUPER_LABEL}${boot.stderr ? `: ${boot.stderr.trim()}` : ''}; the migration record is kept, run --undo again`);
    }
    lines.push(`Loaded super's daemon again (launchctl bootstrap system ${superPaths.launchDaemon}).`);
  }
  await rm(hostPath(MIGRATION_RECORD, root), { force: true });
  lines.push(
    "superd keeps the credential and settings it took from super; while super's daemon is loaded superd pushes no update " +
      '(its runs end with super-daemon-loaded).',
  );
  return { changed: true, lines, warnings: [] };
}
