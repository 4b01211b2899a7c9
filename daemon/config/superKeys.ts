/**
 * Every key and option of super 5.1 and what superd does with it: the one source for
 * validation (validate.ts, parseOptions.ts), `superd --help` and docs/super-keys.md.
 *
 * Sources: super 5.1.0-rc4 `show_usage` and `get_options` (Macjutsu/super, script `super`
 * L20–L200 and L708–L1110: every option and its managed key), its Jamf Pro schema v5.1.0 and the
 * All-Options example profile (reference/super-examples). test/config/superKeys.test.ts fails when
 * super's schema or example has a key that is not listed here.
 *
 * Classes (design.md §4):
 * - implemented: superd honours it (a setting in schema.ts, a credential, or an action).
 * - irrelevant: accepted; one info line per run names it. It changes only super's own dialogs,
 *   notifications or files superd does not have; superd leaves the user experience to macOS.
 * - refused: it would change the outcome in a way superd cannot honour, so superd does nothing
 *   rather than something different: exit 78 naming the key. A key that makes super do less is
 *   never ignored. `refusedWhen: 'on'` refuses a boolean only when it is true (false is what
 *   superd does anyway); X or an empty value unsets any key and is never refused.
 */
import { actionOptions, credentialOptions } from './credentialOptions';
import { settingsSchema, type SettingKey } from './schema';

export type SuperKeyClass = 'implemented' | 'irrelevant' | 'refused';
export type SuperKeyForm = 'boolean' | 'value' | 'action';
export type SuperKeyGroup =
  | 'macOS installation' | 'Non-system installation' | 'Jamf Pro policies' | 'Workflow' | 'Deferral timers' | 'Scheduling'
  | 'Deadline counts' | 'Deadline days' | 'Deadline dates' | 'Dialog timeouts' | 'Display behaviour' | 'Display interface'
  | 'Test mode' | 'Alternate configurations' | 'Authentication' | 'Troubleshooting';

export interface SuperKey {
  /** Managed key in com.macjutsu.super (null for options only). */
  readonly key: string | null;
  /** Option without dashes (null for profile-only keys); booleans also take `-off`. */
  readonly option: string | null;
  readonly form: SuperKeyForm;
  readonly group: SuperKeyGroup;
  readonly class: SuperKeyClass;
  /** Booleans: refused only when on. */
  readonly refusedWhen?: 'on';
  /** What superd does, in words (docs, info lines, refusal messages). */
  readonly superd: string;
  /** Implemented as this setting (schema.ts). */
  readonly setting?: SettingKey;
}

const UI = 'superd shows no dialogs or notifications of its own: the user sees macOS\'s own update experience, so this changes nothing';
const NO_ALT = 'superd has no alternate configurations';

function setting(k: SettingKey, group: SuperKeyGroup, superd: string, option: string | null = settingsSchema[k].option): SuperKey {
  return { key: k, option, form: settingsSchema[k].kind === 'boolean' ? 'boolean' : 'value', group, class: 'implemented', setting: k, superd };
}
const irrelevant = (key: string | null, option: string | null, form: SuperKeyForm, group: SuperKeyGroup, superd: string): SuperKey => ({ key, option, form, group, class: 'irrelevant', superd });
const refused = (key: string | null, option: string | null, form: SuperKeyForm, group: SuperKeyGroup, superd: string, refusedWhen?: 'on'): SuperKey =>
  refusedWhen ? { key, option, form, group, class: 'refused', refusedWhen, superd } : { key, option, form, group, class: 'refused', superd };
const implementedAction = (option: string, group: SuperKeyGroup, superd: string): SuperKey => ({ key: null, option, form: 'action', group, class: 'implemented', superd });

const dialogTimeout = (key: string, option: string, what: string) => irrelevant(key, option, 'value', 'Dialog timeouts', `${UI} (the timeout of super's ${what}).`);
const display = (key: string, option: string, what: string) => irrelevant(key, option, 'value', 'Display behaviour', `${UI} (${what}).`);
const accessory = (key: string, option: string) => irrelevant(key, option, 'value', 'Display interface', `${UI} (a display accessory file of super's dialogs).`);

export const superKeys: readonly SuperKey[] = [
  // macOS installation
  setting('InstallMacOSMinorVersionTarget', 'macOS installation', 'Targets this minor update instead of the latest one.'),
  setting('InstallMacOSMajorUpgrades', 'macOS installation', 'Allows major upgrades.'),
  setting('InstallMacOSMajorVersionTarget', 'macOS installation', 'Targets this major version (or specific version) for an upgrade.'),
  refused('InstallMacOSBSIUpdates', 'install-macos-bsi-updates', 'boolean', 'macOS installation', 'superd installs the macOS update it targets through Jamf Pro and cannot install Background Security Improvements on request', 'on'),
  refused('InstallRapidSecurityResponses', 'install-rapid-security-responses', 'boolean', 'macOS installation', 'superd cannot install Rapid Security Responses on request (super 5.1 reads this as InstallMacOSBSIUpdates)', 'on'),
  // Non-system installation
  refused('InstallNonSystemUpdatesWithoutRestarting', 'install-non-system-updates-without-restarting', 'boolean', 'Non-system installation', 'superd installs macOS updates only, through Jamf Pro; it cannot install non-system updates', 'on'),
  refused('InstallSafariUpdatesWithoutRestarting', 'install-safari-updates-without-restarting', 'boolean', 'Non-system installation', 'superd installs macOS updates only; it cannot install Safari updates', 'on'),
  refused('InstallPrioritizeNonRestartUpdates', 'install-prioritize-non-restart-updates', 'boolean', 'Non-system installation', 'superd installs no non-system updates, so it cannot put them first', 'on'),
  // Jamf Pro policies
  refused('InstallJamfPolicyTriggers', 'install-jamf-policy-triggers', 'value', 'Jamf Pro policies', 'superd runs no Jamf Pro policies before the restart; run them from a Jamf Pro policy of their own'),
  refused('InstallJamfPolicyTriggersWithoutRestarting', 'install-jamf-policy-triggers-without-restarting', 'boolean', 'Jamf Pro policies', 'superd runs no Jamf Pro policies', 'on'),
  // Workflow
  setting('WorkflowInstallNow', 'Workflow', 'An install-now run (an MDM failure fails over with INSTALLNOW).'),
  setting('WorkflowOnlyDownload', 'Workflow', 'Downloads and prepares the update only; never installs or restarts (the workflow honours it).'),
  refused(null, 'workflow-ignore-managed-deferrals', 'boolean', 'Workflow', "superd cannot ignore the deferrals of a restrictions profile (super 5.1 lists this option but rejects it as unrecognised)", 'on'),
  refused('WorkflowRequireActiveUser', 'workflow-require-active-user', 'boolean', 'Workflow', 'superd cannot yet wait for a logged-in user before it asks Jamf Pro for the update', 'on'),
  refused('WorkflowRestartWithoutUpdates', 'workflow-restart-without-updates', 'boolean', 'Workflow', 'superd never restarts a Mac itself; macOS restarts it to install an update', 'on'),
  setting('WorkflowDisableUpdateCheck', 'Workflow', 'Checks for no macOS update, so nothing is downloaded or installed (the workflow honours it).'),
  refused('WorkflowDisableRelaunch', 'workflow-disable-relaunch', 'boolean', 'Workflow', "superd's daemon checks for updates every few hours and cannot be told to stop: unload or uninstall superd instead", 'on'),
  refused(null, 'workflow-reset-super-after-completion', 'boolean', 'Workflow', 'superd cannot reset its saved state after a completed update', 'on'),
  // Deferral timers
  setting('DeferralTimerDefault', 'Deferral timers', 'Minutes to the next attempt; out-of-range values are clamped to 2–10080 with a warning, as super does.'),
  irrelevant('DeferralTimerMenu', 'deferral-timer-menu', 'value', 'Deferral timers', `${UI} (the deferral menu of super's dialog).`),
  irrelevant('DeferralTimerFocus', 'deferral-timer-focus', 'value', 'Deferral timers', 'superd makes no Focus deferrals (the focus deadlines that enable them are refused), so this timer is never used.'),
  setting('DeferralTimerError', 'Deferral timers', 'Minutes to the next attempt after an error; clamped to 2–10080 with a warning, as super does.'),
  setting('DeferralTimerWorkflowRelaunch', 'Deferral timers', "The daemon's update-check interval (default 360 minutes, as super); each Mac's first check is spread over one interval."),
  implementedAction('deferral-timer-reset-all', 'Deferral timers', 'Removes the saved DeferralTimerDefault and DeferralTimerError.'),
  // Scheduling
  refused('ScheduleWorkflowActive', 'schedule-workflow-active', 'value', 'Scheduling', 'superd cannot yet keep to maintenance windows'),
  refused('ScheduleDeferredStartFile', 'schedule-deferred-start-file', 'value', 'Scheduling', 'superd cannot yet wait for an onboarding file before it starts'),
  refused('ScheduleDeferredStartDays', 'schedule-deferred-start-days', 'value', 'Scheduling', 'superd cannot yet defer its start by days after an update appears'),
  refused('ScheduleZeroDateRelease', 'schedule-zero-date-release', 'boolean', 'Scheduling', "superd counts deadline days from when it first saw the update, not from Apple's release date (SOFA)", 'on'),
  refused('ScheduleZeroDateSOFACustomURL', 'schedule-zero-date-sofa-custom-url', 'value', 'Scheduling', 'superd reads no SOFA feed'),
  refused('ScheduleZeroDateManual', 'schedule-zero-date-manual', 'value', 'Scheduling', 'superd counts deadline days from when it first saw the update and cannot use a manual zero date'),
  refused('ScheduledInstallDays', 'scheduled-install-days', 'value', 'Scheduling', 'superd cannot schedule an installation; use DeadlineDays* or DeadlineDate* instead'),
  refused('ScheduledInstallDate', 'scheduled-install-date', 'value', 'Scheduling', 'superd cannot schedule an installation; use DeadlineDateHard instead'),
  refused('ScheduledInstallUserChoice', 'scheduled-install-user-choice', 'boolean', 'Scheduling', 'superd shows no dialog in which the user could schedule the installation', 'on'),
  irrelevant('ScheduledInstallReminder', 'scheduled-install-reminder', 'value', 'Scheduling', `${UI} (reminders of a scheduled installation, which superd refuses).`),
  irrelevant(null, 'scheduled-install-delete-all', 'action', 'Scheduling', 'superd saves no scheduled installation, so there is nothing to delete.'),
  // Deadline counts
  refused('DeadlineCountFocus', 'deadline-count-focus', 'value', 'Deadline counts', 'superd makes no Focus deferrals and cannot count them'),
  setting('DeadlineCountSoft', 'Deadline counts', "How many times the user may choose \"later\" in macOS's own update dialog (an MDM plan's maxDeferrals) when no hard count is set."),
  setting('DeadlineCountHard', 'Deadline counts', "How many times the user may choose \"later\" in macOS's own update dialog before it installs (an MDM plan's maxDeferrals)."),
  irrelevant(null, 'deadline-count-restart-all', 'action', 'Deadline counts', 'superd keeps no deferral counts, so there is nothing to restart.'),
  irrelevant(null, 'deadline-count-delete-all', 'action', 'Deadline counts', 'superd saves no count deadlines, so there is nothing to delete.'),
  // Deadline days
  refused('DeadlineDaysFocus', 'deadline-days-focus', 'value', 'Deadline days', 'superd makes no Focus deferrals'),
  setting('DeadlineDaysSoft', 'Deadline days', 'Soft deadline in days after the update was first seen (1–365).'),
  setting('DeadlineDaysHard', 'Deadline days', 'Hard deadline in days after the update was first seen (1–365).'),
  refused(null, 'deadline-days-restart-all', 'action', 'Deadline days', 'superd cannot yet restart the day count of the current update'),
  implementedAction('deadline-days-delete-all', 'Deadline days', 'Removes the saved DeadlineDaysSoft and DeadlineDaysHard.'),
  // Deadline dates
  refused('DeadlineDateFocus', 'deadline-date-focus', 'value', 'Deadline dates', 'superd makes no Focus deferrals'),
  setting('DeadlineDateSoft', 'Deadline dates', 'Soft deadline date; a date without a time is midnight, as in super (with a warning).'),
  setting('DeadlineDateHard', 'Deadline dates', 'Hard deadline date; a date without a time is midnight, as in super (with a warning).'),
  implementedAction('deadline-date-delete-all', 'Deadline dates', 'Removes the saved DeadlineDateSoft and DeadlineDateHard.'),
  // Dialog timeouts
  setting('DialogTimeoutDefault', 'Dialog timeouts', "The user password dialog's timeout when DialogTimeoutUserAuth is not set (superd has no other dialog); clamped to 60–86400 with a warning."),
  setting('DialogTimeoutUserAuth', 'Dialog timeouts', 'Seconds the user password dialog waits; clamped to 60–86400 with a warning, as super does.'),
  dialogTimeout('DialogTimeoutUserChoice', 'dialog-timeout-user-choice', 'restart-or-defer dialog'),
  dialogTimeout('DialogTimeoutUserSchedule', 'dialog-timeout-user-schedule', 'scheduling dialog'),
  dialogTimeout('DialogTimeoutSoftDeadline', 'dialog-timeout-soft-deadline', 'soft deadline dialog'),
  dialogTimeout('DialogTimeoutInsufficientStorage', 'dialog-timeout-insufficient-storage', 'insufficient storage dialog'),
  dialogTimeout('DialogTimeoutPowerRequired', 'dialog-timeout-power-required', 'power required dialog'),
  implementedAction('dialog-timeout-delete-all', 'Dialog timeouts', 'Removes the saved DialogTimeoutDefault and DialogTimeoutUserAuth.'),
  // Display behaviour
  display('DisplayUnmovable', 'display-unmovable', "unmovable dialogs"),
  display('DisplayHideBackground', 'display-hide-background', 'a blurred background behind dialogs'),
  display('DisplaySilently', 'display-silently', 'silent dialogs'),
  display('DisplayHideProgressBar', 'display-hide-progress-bar', 'the progress bar of notifications'),
  display('DisplayNotificationsCentered', 'display-notifications-centered', 'centred notifications'),
  // Display interface
  irrelevant('DisplayIconSize', 'display-icon-size', 'value', 'Display interface', `${UI} (the icon size of super's dialogs).`),
  irrelevant('DisplayIconFile', 'display-icon-file', 'value', 'Display interface', `${UI} (the icon of super's dialogs).`),
  irrelevant('DisplayIconLightFile', 'display-icon-light-file', 'value', 'Display interface', `${UI} (the light-mode icon of super's dialogs).`),
  irrelevant('DisplayIconDarkFile', 'display-icon-dark-file', 'value', 'Display interface', `${UI} (the dark-mode icon of super's dialogs).`),
  irrelevant('DisplayAccessoryType', 'display-accessory-type', 'value', 'Display interface', `${UI} (the kind of display accessory of super's dialogs).`),
  accessory('DisplayAccessoryDefaultFile', 'display-accessory-default-file'),
  accessory('DisplayAccessoryMacOSMinorUpdateFile', 'display-accessory-macos-minor-update-file'),
  accessory('DisplayAccessoryMacOSMajorUpgradeFile', 'display-accessory-macos-major-upgrade-file'),
  accessory('DisplayAccessoryNonSystemUpdatesFile', 'display-accessory-non-system-updates-file'),
  accessory('DisplayAccessorySafariUpdateFile', 'display-accessory-safari-update-file'),
  accessory('DisplayAccessoryJamfPolicyTriggersFile', 'display-accessory-jamf-policy-triggers-file'),
  accessory('DisplayAccessoryRestartWithoutUpdatesFile', 'display-accessory-restart-without-updates-file'),
  irrelevant('DisplayHelpButtonString', 'display-help-button-string', 'value', 'Display interface', `${UI} (the help button of super's dialogs).`),
  irrelevant('DisplayWarningButtonString', 'display-warning-button-string', 'value', 'Display interface', `${UI} (the warning button of super's dialogs).`),
  // Test mode
  setting('TestMode', 'Test mode', 'Checks settings, credentials and the update, but sends no update command (the workflow honours it).'),
  irrelevant('TestModeTimeout', 'test-mode-timeout', 'value', 'Test mode', `${UI} (how long super's test dialogs stay open).`),
  refused('TestStorageUpdate', 'test-storage-update', 'value', 'Test mode', 'superd does not check free storage itself (macOS checks it when it prepares the update), so it cannot require a different amount'),
  refused('TestStorageUpgrade', 'test-storage-upgrade', 'value', 'Test mode', 'superd does not check free storage itself, so it cannot require a different amount'),
  refused('TestBatteryLevel', 'test-battery-level', 'value', 'Test mode', 'superd does not check the battery itself (macOS does before it installs), so it cannot require a different level'),
  // Alternate configurations
  refused(null, 'config-edit-main', 'action', 'Alternate configurations', `${NO_ALT}; options given in a run are saved as superd's settings`),
  refused(null, 'config-edit', 'value', 'Alternate configurations', `${NO_ALT} to save options to`),
  refused(null, 'config-clone', 'value', 'Alternate configurations', `${NO_ALT} to clone`),
  irrelevant(null, 'config-delete', 'value', 'Alternate configurations', `${NO_ALT}, so there is nothing to delete.`),
  irrelevant(null, 'config-delete-all', 'action', 'Alternate configurations', `${NO_ALT}, so there is nothing to delete.`),
  refused(null, 'config-start-default', 'value', 'Alternate configurations', `${NO_ALT} to start`),
  refused(null, 'config-start-temp', 'value', 'Alternate configurations', `${NO_ALT} to start`),
  refused(null, 'config-status', 'action', 'Alternate configurations', 'super only prints its status and runs no workflow; run superd status instead'),
  irrelevant('ConfigCodeSignature', null, 'value', 'Alternate configurations', `${NO_ALT} whose signature could be checked.`),
  irrelevant('ConfigTempOverride', null, 'boolean', 'Alternate configurations', `${NO_ALT} that could override the profile.`),
  // Authentication
  setting('AuthAskUserToSavePassword', 'Authentication', "Asks the user for their password and saves it in their login keychain."),
  ...Object.entries(credentialOptions).map(([option, d]): SuperKey => ({
    key: null, option, form: 'value', group: 'Authentication', class: 'implemented',
    superd: d.secret ? 'Validated, then saved in the System keychain (options or standard input only, never a profile).' : 'Validated together with its secret, then saved in the System keychain.',
  })),
  setting('AuthJamfCustomURL', 'Authentication', 'Used for every Jamf Pro API call (super validates it but never uses it, super-behaviour.md §3.2).'),
  implementedAction('auth-delete-all', 'Authentication', actionOptions['auth-delete-all']),
  setting('AuthCredentialFailoverToUser', 'Authentication', 'Fails over to the user when a saved credential fails validation.'),
  setting('AuthMDMFailoverToUser', 'Authentication', 'Fails over to the user for the listed reasons; DIALOG and SCHEDULED are accepted and do nothing, as in super.'),
  setting('AuthJamfComputerID', 'Authentication', "This Mac's Jamf Pro computer ID; an unresolved $JSSID is reported and the ID looked up by hardware UUID.", null),
  // Troubleshooting
  refused(null, 'usage', 'action', 'Troubleshooting', 'super only prints its usage and runs no workflow; run superd --help instead'),
  refused(null, 'help', 'action', 'Troubleshooting', 'super only opens its wiki and runs no workflow; run superd --help instead'),
  refused(null, 'version', 'action', 'Troubleshooting', 'super only prints its version and runs no workflow; run superd --version instead'),
  irrelevant(null, 'open-logs', 'action', 'Troubleshooting', "superd opens nothing in the user's session; its log is /Library/Management/superd/logs/superd.log."),
  refused(null, 'reset-super', 'action', 'Troubleshooting', 'superd cannot yet reset its saved state; remove /Library/Management/superd/com.github.superd.plist to start from defaults'),
  setting('VerboseMode', 'Troubleshooting', 'Logs debug detail (never secrets).'),
];

/** super's one-letter options, as the long option and value they stand for (super L720–L1105). */
export const superShortOptions: ReadonlyMap<string, { option: string; value: boolean }> = new Map([
  ['-V', { option: 'verbose-mode', value: true }], ['-v', { option: 'verbose-mode', value: false }],
  ['-T', { option: 'test-mode', value: true }], ['-t', { option: 'test-mode', value: false }],
  ['-x', { option: 'reset-super', value: true }], ['-X', { option: 'reset-super', value: true }],
  ['-l', { option: 'open-logs', value: true }], ['-L', { option: 'open-logs', value: true }],
  ['-u', { option: 'usage', value: true }], ['-U', { option: 'usage', value: true }],
  ['-h', { option: 'help', value: true }], ['-H', { option: 'help', value: true }],
]);

export const superKeyByKey: ReadonlyMap<string, SuperKey> = new Map(superKeys.filter((k) => k.key !== null).map((k) => [k.key as string, k]));
export const superKeyByOption: ReadonlyMap<string, SuperKey> = new Map(superKeys.filter((k) => k.option !== null).map((k) => [k.option as string, k]));

/** True when a raw value asks for nothing superd would have to refuse (X, blank, or a boolean off). */
export function isHonouredAnyway(entry: SuperKey, raw: unknown): boolean {
  if (raw === undefined || raw === null) return true;
  if (typeof raw === 'string' && (raw.trim() === '' || raw.trim().toUpperCase() === 'X')) return true;
  if (entry.refusedWhen === 'on') {
    if (raw === false || raw === 0) return true;
    if (typeof raw === 'string' && /^(false|no|0)$/i.test(raw.trim())) return true;
  }
  return false;
}

/** The message of a refused key or option (exit 78). */
export function refusalMessage(entry: SuperKey): string {
  const off = entry.refusedWhen === 'on' ? ' (false is accepted)' : '';
  return `is refused: ${entry.superd}. superd does nothing rather than something different from what super would do: remove it${off}, then run again. See docs/super-keys.md.`;
}
