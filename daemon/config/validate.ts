import type { Issue, SettingSource } from './issue';

export type { Issue, SettingSource };
import { credentialOptions, isCredentialOption, type CredentialOption } from './credentialOptions';
import type { RawOptions } from './parseOptions';
import type { PlistDict } from './readPlist';
import { crossFieldRules } from './rules';
import { settingKeys, settingsSchema, type SettingKey, type Settings } from './schema';
import { applyResetActions, ignoredNotice, screenSuperOptions, screenSuperProfileKey } from './screenSuperKeys';


export interface ManagedInput {
  file: string;
  /** `com.macjutsu.super` when read through the migration fallback. */
  domain: 'com.github.superd' | 'com.macjutsu.super';
  values: PlistDict;
}

export interface ValidateInput {
  managed: ManagedInput | null;
  options: RawOptions;
  saved: PlistDict | null;
}


export interface ValidateResult {
  settings: Settings;
  sources: Readonly<Record<SettingKey, SettingSource>>;
  /** Credential option values, by option name; secrets included (never log this object). */
  credentials: Partial<Record<CredentialOption, string>>;
  actions: { deleteAll: boolean; migrateFromSuper: boolean };
  /** The saved-settings file as it should be after this run (options applied, X removed). */
  toSave: PlistDict;
  warnings: Issue[];
  /** Info lines: super keys and options that change nothing in superd (one line per source). */
  notices: Issue[];
  errors: Issue[];
}

const JAMF_VARIABLE = /^\$[A-Z][A-Z0-9_]*$/;
const SECRET_NAME = /password|secret|token/i;
const PROFILE_ONLY_KEYS = new Set(['PayloadUUID', 'PayloadType', 'PayloadVersion', 'PayloadIdentifier', 'PayloadDisplayName']);

/**
 * Merges managed preferences > command-line options > saved settings > defaults into one
 * validated Settings object. Pure: it reads nothing and writes nothing; the caller saves
 * `toSave` only when `errors` is empty.
 */
export function validate(input: ValidateInput): ValidateResult {
  const warnings: Issue[] = [];
  const notices: Issue[] = [];
  const errors: Issue[] = [];
  const managed = input.managed;
  const managedValues = managed ? screenProfile(managed, warnings, notices, errors) : {};
  screenSuperOptions(input.options, notices, errors);
  const saved = applyResetActions(input.saved, input.options);

  const settings: Record<string, unknown> = {};
  const given: Partial<Record<SettingKey, unknown>> = {};
  const sources = {} as Record<SettingKey, SettingSource>;
  const toSave: PlistDict = { ...(saved ?? {}) };

  for (const key of settingKeys) {
    const def = settingsSchema[key];
    const option = input.options[def.option];
    let value: unknown;
    let source: SettingSource = 'default';

    if (Object.hasOwn(managedValues, key)) {
      const raw = managedValues[key];
      source = 'managed';
      if (option !== undefined) {
        warnings.push({ subject: `--${def.option}`, message: `is ignored: the profile ${managed?.file} sets ${key}`, source: 'options' });
      }
      if (isUnset(raw)) value = undefined;
      else value = parseOrIssue(key, raw, `${key} in ${managed?.file}`, 'configuration', errors, warnings);
      // A managed value replaces any local one, as in super.
      delete toSave[key];
    } else if (option !== undefined) {
      source = 'option';
      if (isUnset(option)) {
        value = undefined;
        delete toSave[key];
      } else {
        value = parseOrIssue(key, option, `--${def.option}`, 'options', errors, warnings);
        if (value !== undefined) saveAs(toSave, key, value);
      }
    } else if (saved && Object.hasOwn(saved, key)) {
      source = 'saved';
      value = parseOrIssue(key, saved[key], `${key} in the saved settings`, 'configuration', errors, warnings);
    }
    if (value === undefined && source !== 'managed' && source !== 'option') source = 'default';
    given[key] = value;
    settings[key] = value ?? def.default;
    sources[key] = source;
  }
  for (const key of Object.keys(toSave)) if (!Object.hasOwn(settingsSchema, key)) delete toSave[key];
  // DeferralTimerError defaults to DeferralTimerDefault (super-behaviour.md §6).
  settings.DeferralTimerError ??= settings.DeferralTimerDefault;
  // The user password dialog waits DialogTimeoutUserAuth, else DialogTimeoutDefault (super-behaviour.md §2.3).
  if (given.DialogTimeoutUserAuth === undefined && given.DialogTimeoutDefault !== undefined) settings.DialogTimeoutUserAuth = given.DialogTimeoutDefault;

  const credentials: Partial<Record<CredentialOption, string>> = {};
  for (const [name, value] of Object.entries(input.options)) {
    if (isCredentialOption(name) && typeof value === 'string') credentials[name] = value;
  }
  const actions = {
    deleteAll: input.options['auth-delete-all'] === true,
    migrateFromSuper: input.options['auth-migrate-from-super'] === true,
  };

  const frozen = Object.freeze(settings) as Settings;
  for (const rule of crossFieldRules) rule({ settings: frozen, sources, credentials, actions, warnings, errors });
  return { settings: frozen, sources, credentials, actions, toSave, warnings, notices, errors };
}

/**
 * Puts a parsed value into the saved settings in the form its key's parser reads back: a list
 * (AuthMDMFailoverToUser) as super's comma-separated string, as the profile and the option give
 * it; an empty list (only ignored types given) as no key at all.
 */
function saveAs(toSave: PlistDict, key: SettingKey, value: unknown): void {
  const stored = Array.isArray(value) ? value.join(',') : value;
  if (stored === '') delete toSave[key];
  else toSave[key] = stored;
}

function isUnset(raw: unknown): boolean {
  return typeof raw === 'string' && raw.trim().toUpperCase() === 'X';
}

function parseOrIssue(key: SettingKey, raw: unknown, subject: string, source: Issue['source'], errors: Issue[], warnings: Issue[]): unknown {
  const def = settingsSchema[key];
  const parsed = def.parse(raw);
  if (parsed.ok) {
    if (parsed.note) warnings.push({ subject, message: parsed.note, source });
    return parsed.value;
  }
  errors.push({ subject, message: `must be ${parsed.expected}; got ${describeValue(raw)}`, source });
  return undefined;
}

/**
 * A refused value as quoted in an error (stderr, the log, status lastError). A URL's user
 * information and its query and fragment values are replaced first: they are where passwords
 * and tokens travel (`https://admin:pw@…`, `?token=…`).
 */
export function describeValue(raw: unknown): string {
  if (typeof raw === 'string') {
    const safe = raw.replace(/\/\/[\s\S]*@/, '//…@').replace(/([?&;][^=&#;]*=)[^&#;]*/g, '$1…').replace(/#[\s\S]*/, '#…');
    return JSON.stringify(safe.length > 60 ? `${safe.slice(0, 60)}…` : safe);
  }
  if (raw instanceof Date) return 'a date';
  if (raw instanceof Uint8Array) return 'data';
  if (Array.isArray(raw)) return 'an array';
  if (raw !== null && typeof raw === 'object') return 'a dictionary';
  return String(raw);
}

/**
 * Screens a profile before its values are used: secrets are refused (a profile is readable by
 * every local user); an empty string is "not set" (Jamf Pro writes one for a blank field);
 * unresolved Jamf Pro variables are reported; super's other keys are classified (superKeys.ts);
 * unknown keys are reported once.
 */
function screenProfile(managed: ManagedInput, warnings: Issue[], notices: Issue[], errors: Issue[]): PlistDict {
  const usable: PlistDict = {};
  const credentialByProfileKey = new Map<string, { opt: string; secret: boolean }>(Object.entries(credentialOptions).map(([opt, d]) => [d.profileKey, { opt, ...d }]));
  const unsupported: string[] = [];
  const ignored: string[] = [];
  for (const [key, raw] of Object.entries(managed.values)) {
    if (typeof raw === 'string' && raw.trim() === '') continue;
    const credential = credentialByProfileKey.get(key);
    if (credential?.secret || (!Object.hasOwn(settingsSchema, key) && !credential && SECRET_NAME.test(key))) {
      errors.push({
        subject: `${key} in ${managed.file}`,
        message: `is a secret, and secrets are never read from a configuration profile: ${managed.file} is readable by every local user. Remove it from the profile and pass it from a Jamf Pro policy parameter${credential ? ` (--${credential.opt}=…)` : ''} or on standard input; superd then keeps it in the System keychain.`,
        source: 'configuration',
      });
      continue;
    }
    if (credential) {
      warnings.push({ subject: `${key} in ${managed.file}`, message: `is ignored: credentials are accepted only as the option --${credential.opt}= together with its secret`, source: 'configuration' });
      continue;
    }
    if (typeof raw === 'string' && JAMF_VARIABLE.test(raw.trim())) {
      warnings.push({
        subject: `${key} in ${managed.file}`,
        message: `holds the unresolved Jamf Pro variable ${raw.trim()}: the profile was not delivered through Jamf Pro's variable substitution. Deploy it as a Jamf Pro configuration profile (Application & Custom Settings), or remove the key. superd ignores the value${key === 'AuthJamfComputerID' ? ' and looks the computer up by its hardware UUID' : ''}.`,
        source: 'configuration',
      });
      continue;
    }
    if (!Object.hasOwn(settingsSchema, key)) {
      if (screenSuperProfileKey(key, raw, managed.file, ignored, errors) === 'unknown' && !PROFILE_ONLY_KEYS.has(key)) unsupported.push(key);
      continue;
    }
    usable[key] = raw;
  }
  if (ignored.length > 0) notices.push(ignoredNotice(ignored, "these super keys", 'configuration', managed.file));
  if (unsupported.length > 0) {
    warnings.push({
      subject: managed.file,
      message: `has keys superd does not support, ignored: ${unsupported.sort().join(', ')}`,
      source: 'configuration',
    });
  }
  return usable;
}
