/**
 * Applies the classification of super's keys and options (superKeys.ts) to one run's input:
 * irrelevant ones become one info line per source, refused ones an error (exit 78) naming each,
 * and super's "delete all" actions remove saved settings. Pure.
 */
import { isCredentialOption, isActionOption } from './credentialOptions';
import type { RawOptions } from './parseOptions';
import type { PlistDict } from './readPlist';
import { keyByOption, type SettingKey } from './schema';
import { isHonouredAnyway, refusalMessage, superKeyByKey, superKeyByOption, type SuperKey } from './superKeys';
import type { Issue } from './issue';

/**
 * super's reset actions and the saved keys each removes (super `manage_preference_resets`,
 * L1261–L1303). superd removes only the keys it saves; the rest of super's list (menu, focus and
 * relaunch timers, other dialog timeouts) are keys superd never saves.
 */
export const resetActions: Readonly<Record<string, readonly SettingKey[]>> = {
  'deferral-timer-reset-all': ['DeferralTimerDefault', 'DeferralTimerError'],
  'deadline-days-delete-all': ['DeadlineDaysSoft', 'DeadlineDaysHard'],
  'deadline-date-delete-all': ['DeadlineDateSoft', 'DeadlineDateHard'],
  'dialog-timeout-delete-all': ['DialogTimeoutDefault', 'DialogTimeoutUserAuth'],
};

/** The saved settings with the keys of every reset action given in this run removed. */
export function applyResetActions(saved: PlistDict | null, options: RawOptions): PlistDict | null {
  if (!saved) return saved;
  const out = { ...saved };
  for (const [action, keys] of Object.entries(resetActions)) if (options[action] === true) for (const k of keys) delete out[k];
  return out;
}

/** Whether an option name is one of superd's own (settings, credentials, actions). */
function isOwnOption(name: string): boolean {
  return keyByOption.has(name) || isCredentialOption(name) || isActionOption(name) || Object.hasOwn(resetActions, name);
}

/** Classifies super's options given in this run (those that are not superd settings). */
export function screenSuperOptions(options: RawOptions, notices: Issue[], errors: Issue[]): void {
  const ignored: SuperKey[] = [];
  for (const [name, raw] of Object.entries(options)) {
    if (isOwnOption(name)) continue;
    const entry = superKeyByOption.get(name);
    if (!entry) continue;
    if (entry.class === 'refused' && !isHonouredAnyway(entry, raw)) {
      errors.push({ subject: `--${name}`, message: refusalMessage(entry), source: 'configuration' });
    } else if (entry.class !== 'implemented') {
      ignored.push(entry);
    }
  }
  if (ignored.length > 0) notices.push(ignoredNotice(ignored.map((e) => `--${e.option}`), 'these super options', 'options'));
}

/**
 * Classifies one profile key that is not a superd setting. Returns 'handled' when the key is one
 * of super's (collected as ignored, or refused into `errors`), 'unknown' otherwise.
 */
export function screenSuperProfileKey(key: string, raw: unknown, file: string, ignored: string[], errors: Issue[]): 'handled' | 'unknown' {
  const entry = superKeyByKey.get(key);
  if (!entry || entry.setting) return 'unknown';
  if (entry.class === 'refused' && !isHonouredAnyway(entry, raw)) {
    errors.push({ subject: `${key} in ${file}`, message: refusalMessage(entry), source: 'configuration' });
  } else {
    ignored.push(key);
  }
  return 'handled';
}

/** One info line naming every ignored super key of a source. */
export function ignoredNotice(names: readonly string[], what: string, source: Issue['source'], subject = 'super compatibility'): Issue {
  return {
    subject,
    message: `${what} change nothing in superd and are ignored: ${[...names].sort().join(', ')} (superd leaves dialogs and notifications to macOS; see docs/super-keys.md)`,
    source,
  };
}
