import { booleanKey, enumKey, integerKey, listKey, stringKey, type KeyDef } from './keyTypes';

/** The failover types of the seed, each wired to its own trigger (issue 6). */
export const MDM_FAILOVER_TYPES = ['ALWAYS', 'NOSERVICE', 'HARD', 'SOFT', 'INSTALLNOW', 'BOOTSTRAP'] as const;
export type MdmFailoverType = (typeof MDM_FAILOVER_TYPES)[number];

const DEADLINE_DATE = /^(\d{4})-(\d{2})-(\d{2}):(\d{2}):(\d{2})$/;

function checkDeadlineDate(s: string): string | null {
  const m = DEADLINE_DATE.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi);
  const real = date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d && h < 24 && mi < 60;
  return real ? s : null;
}

function checkHttpsUrl(s: string): string | null {
  if (!/^https:\/\//i.test(s)) return null;
  try {
    const url = new URL(s);
    if (url.protocol !== 'https:' || !url.hostname || url.username || url.password || url.search || url.hash) return null;
    return url.href.endsWith('/') ? url.href : `${url.href}/`;
  } catch {
    return null;
  }
}

/**
 * Every setting superd reads, declared once. The object key is the managed/saved key; the
 * `Settings` type is derived from it. Option and key names follow super so that existing
 * profiles and Jamf policies carry over (reference/super-behaviour.md §1).
 */
export const settingsSchema = {
  AuthAskUserToSavePassword: booleanKey({
    key: 'AuthAskUserToSavePassword', option: 'auth-ask-user-to-save-password', default: false,
    description: "Ask the logged-in user for their password and save it for later updates (overrides every other Apple silicon authentication method).",
  }),
  AuthCredentialFailoverToUser: booleanKey({
    key: 'AuthCredentialFailoverToUser', option: 'auth-credential-failover-to-user', default: false,
    description: 'When a saved credential fails validation, continue with the logged-in user\'s authentication.',
  }),
  AuthMDMFailoverToUser: listKey({
    key: 'AuthMDMFailoverToUser', option: 'auth-mdm-failover-to-user',
    values: MDM_FAILOVER_TYPES,
    aliases: { DEADLINE: ['HARD', 'SOFT'], ERROR: ['NOSERVICE', 'BOOTSTRAP'] },
    description: 'When the MDM workflow fails, fail over to the logged-in user for these reasons (ALWAYS, NOSERVICE, HARD, SOFT, INSTALLNOW, BOOTSTRAP; super 5 aliases DEADLINE and ERROR).',
  }),
  AuthJamfComputerID: stringKey({
    key: 'AuthJamfComputerID', option: 'auth-jamf-computer-id',
    expected: 'the Jamf Pro computer ID, digits only (use $JSSID in a profile deployed by Jamf Pro)',
    check: (s) => (/^\d{1,12}$/.test(s) ? String(Number(s)) : null),
    description: "This Mac's Jamf Pro computer ID. Normally $JSSID in a Jamf Pro profile; when unset superd looks it up by hardware UUID.",
  }),
  AuthJamfCustomURL: stringKey({
    key: 'AuthJamfCustomURL', option: 'auth-jamf-custom-url',
    expected: 'an https:// URL of the Jamf Pro server (no user, query or fragment)',
    check: checkHttpsUrl,
    description: 'Jamf Pro URL for API calls, when it differs from the jss_url the jamf binary uses.',
  }),
  DeferralTimerDefault: integerKey({
    key: 'DeferralTimerDefault', option: 'deferral-timer-default', default: 60, range: [2, 10080], unit: 'minutes',
    description: 'Minutes before the next attempt when no other timer applies.',
  }),
  DeferralTimerError: integerKey({
    key: 'DeferralTimerError', option: 'deferral-timer-error', default: undefined, range: [2, 10080], unit: 'minutes',
    description: 'Minutes before the next attempt after an error (defaults to DeferralTimerDefault). Repeated identical errors back off up to a day.',
  }),
  DialogTimeoutUserAuth: integerKey({
    key: 'DialogTimeoutUserAuth', option: 'dialog-timeout-user-auth', default: 3600, range: [60, 86400], unit: 'seconds',
    description: 'Seconds the user password dialog waits before it gives up.',
  }),
  InstallMacOSMajorUpgrades: booleanKey({
    key: 'InstallMacOSMajorUpgrades', option: 'install-macos-major-upgrades', default: false,
    description: 'Allow major macOS upgrades (otherwise only minor updates of the installed major version).',
  }),
  InstallMacOSMajorVersionTarget: stringKey({
    key: 'InstallMacOSMajorVersionTarget', option: 'install-macos-major-version-target',
    expected: 'a macOS major version such as 26, or a specific version such as 26.1 or 15.6.1',
    check: (s) => (/^\d{2}(\.\d{1,2}){0,2}$/.test(s) && Number(s.split('.')[0]) >= 11 ? s : null),
    description: 'The macOS major version (or specific version of it) to upgrade to, with InstallMacOSMajorUpgrades.',
  }),
  InstallMacOSMinorVersionTarget: stringKey({
    key: 'InstallMacOSMinorVersionTarget', option: 'install-macos-minor-version-target',
    expected: 'a macOS version such as 15.7 or 15.7.2',
    check: (s) => (/^\d{2}\.\d{1,2}(\.\d{1,2})?$/.test(s) ? s : null),
    description: 'The macOS minor update to install instead of the latest one.',
  }),
  MDMWorkflow: enumKey({
    key: 'MDMWorkflow', option: 'mdm-workflow', values: ['auto', 'plans', 'legacy', 'ddm'] as const, default: 'auto',
    description: 'How to ask Jamf Pro for the update: auto (plans API, DDM on macOS 26+, legacy on old servers), plans, legacy or ddm.',
  }),
  MDMTimeoutNoProgress: integerKey({
    key: 'MDMTimeoutNoProgress', option: 'mdm-timeout-no-progress', default: 15, range: [2, 240], unit: 'minutes',
    description: 'Minutes superd waits for any sign that this Mac acted on the MDM update before it counts the push as failed.',
  }),
  MDMTimeoutTotal: integerKey({
    key: 'MDMTimeoutTotal', option: 'mdm-timeout-total', default: 120, range: [10, 1440], unit: 'minutes',
    description: 'Minutes superd follows an MDM update (download and preparation) before it counts the push as failed.',
  }),
  WorkflowInstallNow: booleanKey({
    key: 'WorkflowInstallNow', option: 'workflow-install-now', default: false,
    description: 'Install now: an install-now run (MDM failure fails over with INSTALLNOW).',
  }),
  DeadlineDateSoft: stringKey({
    key: 'DeadlineDateSoft', option: 'deadline-date-soft', expected: 'a local date and time as YYYY-MM-DD:hh:mm',
    check: checkDeadlineDate, description: 'Soft deadline date (local time).',
  }),
  DeadlineDateHard: stringKey({
    key: 'DeadlineDateHard', option: 'deadline-date-hard', expected: 'a local date and time as YYYY-MM-DD:hh:mm',
    check: checkDeadlineDate, description: 'Hard deadline date (local time).',
  }),
  DeadlineDaysSoft: integerKey({
    key: 'DeadlineDaysSoft', option: 'deadline-days-soft', default: undefined, range: [1, 365], unit: 'days',
    description: 'Soft deadline: days after the target update was first seen.',
  }),
  DeadlineDaysHard: integerKey({
    key: 'DeadlineDaysHard', option: 'deadline-days-hard', default: undefined, range: [1, 365], unit: 'days',
    description: 'Hard deadline: days after the target update was first seen.',
  }),
  CredentialHeartbeatInterval: integerKey({
    key: 'CredentialHeartbeatInterval', option: 'credential-heartbeat-interval', default: 4, range: [1, 168], unit: 'hours',
    description: 'Hours between heartbeats of the saved Jamf Pro credential.',
  }),
  VerboseMode: booleanKey({
    key: 'VerboseMode', option: 'verbose-mode', default: false,
    description: 'Log debug detail (never secrets).',
  }),
  LogFormat: enumKey({
    key: 'LogFormat', option: 'log-format', values: ['text', 'json'] as const, default: 'text',
    description: 'Format of logs/superd.log: text lines or one JSON object per line.',
  }),
} as const;

export type SettingKey = keyof typeof settingsSchema;
type ValueOf<D> = D extends KeyDef<infer T> ? T : never;

/** The one immutable, validated settings object. Unset optional keys are `undefined`. */
export type Settings = { readonly [K in SettingKey]: ValueOf<(typeof settingsSchema)[K]> | undefined } & {
  readonly DeferralTimerDefault: number;
  readonly DialogTimeoutUserAuth: number;
  readonly MDMTimeoutNoProgress: number;
  readonly MDMTimeoutTotal: number;
  readonly CredentialHeartbeatInterval: number;
  readonly AuthAskUserToSavePassword: boolean;
  readonly AuthCredentialFailoverToUser: boolean;
  readonly InstallMacOSMajorUpgrades: boolean;
  readonly WorkflowInstallNow: boolean;
  readonly VerboseMode: boolean;
  readonly MDMWorkflow: 'auto' | 'plans' | 'legacy' | 'ddm';
  readonly LogFormat: 'text' | 'json';
};

export const settingKeys = Object.keys(settingsSchema) as SettingKey[];

/** Lookup by option name (`deferral-timer-error` → `DeferralTimerError`). */
export const keyByOption: ReadonlyMap<string, SettingKey> = new Map(settingKeys.map((k) => [settingsSchema[k].option, k]));
