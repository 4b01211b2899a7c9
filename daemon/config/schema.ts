import { booleanKey, enumKey, integerKey, listKey, stringKey, type KeyDef } from './keyTypes';
import {
  checkComputerId, checkDeadlineDate, checkHttpsUrl, checkMajorVersion, checkMinorVersion,
  COMPUTER_ID_PATTERN, DEADLINE_DATE_PATTERN, HTTPS_URL_PATTERN, MAJOR_VERSION_PATTERN, MINOR_VERSION_PATTERN,
} from './valueForms';

/** The failover types of the seed, each wired to its own trigger (issue 6). */
export const MDM_FAILOVER_TYPES = ['ALWAYS', 'NOSERVICE', 'HARD', 'SOFT', 'INSTALLNOW', 'BOOTSTRAP'] as const;
export type MdmFailoverType = (typeof MDM_FAILOVER_TYPES)[number];

const DATE_EXPECTED = 'a local date and time as YYYY-MM-DD:hh:mm (or YYYY-MM-DD for midnight)';

/**
 * Every setting superd reads, declared once. The object key is the managed/saved key; the
 * `Settings` type is derived from it. Option and key names follow super so that existing
 * profiles and Jamf policies carry over (reference/super-behaviour.md §1). The order here is
 * the order of the Jamf Pro form and of `superd --help`, within each group.
 * super's other keys and options are classified in superKeys.ts.
 */
export const settingsSchema = {
  // Workflow switches. TestMode, WorkflowOnlyDownload and WorkflowDisableUpdateCheck make super do
  // less; they are real typed settings so that superd never does more than the admin asked. The
  // lifecycle/workflow acts on them (issue 13/17, built by the lead); here they are only parsed.
  TestMode: booleanKey({
    key: 'TestMode', option: 'test-mode', title: 'Test mode (no update is sent)', group: 'Workflow', default: false,
    description: 'Test mode: superd checks its settings, credentials and the available update, but sends no update command to Jamf Pro and installs nothing.',
  }),
  WorkflowOnlyDownload: booleanKey({
    key: 'WorkflowOnlyDownload', option: 'workflow-only-download', title: 'Only download updates', group: 'Workflow', default: false,
    description: 'Only download and prepare the macOS update; never install it or restart the Mac.',
  }),
  WorkflowDisableUpdateCheck: booleanKey({
    key: 'WorkflowDisableUpdateCheck', option: 'workflow-disable-update-check', title: 'Skip the macOS update check', group: 'Workflow', default: false,
    description: 'Do not check for macOS updates, so nothing is downloaded or installed (credentials are still validated and saved).',
  }),
  WorkflowInstallNow: booleanKey({
    key: 'WorkflowInstallNow', option: 'workflow-install-now', title: 'Install now', group: 'Workflow', default: false,
    description: 'Install now: an install-now run (MDM failure fails over with INSTALLNOW).',
  }),
  InstallMacOSMajorUpgrades: booleanKey({
    key: 'InstallMacOSMajorUpgrades', option: 'install-macos-major-upgrades', title: 'Allow major macOS upgrades', group: 'macOS target', default: false,
    description: 'Allow major macOS upgrades (otherwise only minor updates of the installed major version).',
  }),
  InstallMacOSMajorVersionTarget: stringKey({
    key: 'InstallMacOSMajorVersionTarget', option: 'install-macos-major-version-target', title: 'Major upgrade target version', group: 'macOS target',
    expected: 'a macOS major version from 11 such as 26, or a specific version such as 26.1 or 15.6.1',
    pattern: MAJOR_VERSION_PATTERN, check: checkMajorVersion, example: '26',
    description: 'The macOS major version (or specific version of it) to upgrade to, with InstallMacOSMajorUpgrades.',
  }),
  InstallMacOSMinorVersionTarget: stringKey({
    key: 'InstallMacOSMinorVersionTarget', option: 'install-macos-minor-version-target', title: 'Minor update target version', group: 'macOS target',
    expected: 'a macOS version from 11 with its minor number, such as 15.7 or 15.7.2',
    pattern: MINOR_VERSION_PATTERN, check: checkMinorVersion, example: '15.7',
    description: 'The macOS minor update to install instead of the latest one.',
  }),
  DeadlineDateSoft: stringKey({
    key: 'DeadlineDateSoft', option: 'deadline-date-soft', title: 'Soft deadline date', group: 'Deadlines', expected: DATE_EXPECTED,
    pattern: DEADLINE_DATE_PATTERN, check: checkDeadlineDate, example: '2030-01-14:09:00',
    description: 'Soft deadline date (local time): from then on a failed MDM update may fail over to the user (failover type SOFT). superd asks for the update as soon as it is available; deadlines decide failover, not when to start.',
  }),
  DeadlineDateHard: stringKey({
    key: 'DeadlineDateHard', option: 'deadline-date-hard', title: 'Hard deadline date', group: 'Deadlines', expected: DATE_EXPECTED,
    pattern: DEADLINE_DATE_PATTERN, check: checkDeadlineDate, example: '2030-01-21:17:00',
    description: 'Hard deadline date (local time): from then on a failed MDM update may fail over to the user (failover type HARD).',
  }),
  DeadlineCountSoft: integerKey({
    key: 'DeadlineCountSoft', option: 'deadline-count-soft', title: 'Soft deferral count', group: 'Deadlines', default: undefined, range: [1, 100], unit: 'deferrals', example: 3,
    description: 'How many times the user may defer in macOS\'s own update dialog (an MDM plan\'s maxDeferrals) when DeadlineCountHard is not set.',
  }),
  DeadlineCountHard: integerKey({
    key: 'DeadlineCountHard', option: 'deadline-count-hard', title: 'Hard deferral count', group: 'Deadlines', default: undefined, range: [1, 100], unit: 'deferrals', example: 5,
    description: 'How many times the user may defer in macOS\'s own update dialog before the update installs (an MDM plan\'s maxDeferrals, DOWNLOAD_INSTALL_ALLOW_DEFERRAL).',
  }),
  DeadlineDaysSoft: integerKey({
    key: 'DeadlineDaysSoft', option: 'deadline-days-soft', title: 'Soft deadline (days)', group: 'Deadlines', default: undefined, range: [1, 365], unit: 'days', example: 7,
    description: 'Soft deadline in days after superd first saw the target update (the earlier of this and DeadlineDateSoft counts).',
  }),
  DeadlineDaysHard: integerKey({
    key: 'DeadlineDaysHard', option: 'deadline-days-hard', title: 'Hard deadline (days)', group: 'Deadlines', default: undefined, range: [1, 365], unit: 'days', example: 14,
    description: 'Hard deadline in days after superd first saw the target update (the earlier of this and DeadlineDateHard counts).',
  }),
  DeferralTimerDefault: integerKey({
    key: 'DeferralTimerDefault', option: 'deferral-timer-default', title: 'Default deferral (minutes)', group: 'Deferrals and timeouts', default: 60, range: [2, 10080], unit: 'minutes', clamp: true,
    description: 'Minutes before the next attempt when no other timer applies.',
  }),
  DeferralTimerError: integerKey({
    key: 'DeferralTimerError', option: 'deferral-timer-error', title: 'Error deferral (minutes)', group: 'Deferrals and timeouts', default: undefined, range: [2, 10080], unit: 'minutes', clamp: true, example: 30,
    description: 'Minutes before the next attempt after an error (defaults to DeferralTimerDefault). Repeated identical errors back off up to a day.',
  }),
  DeferralTimerWorkflowRelaunch: integerKey({
    key: 'DeferralTimerWorkflowRelaunch', option: 'deferral-timer-workflow-relaunch', title: 'Update check interval (minutes)', group: 'Deferrals and timeouts', default: 360, range: [2, 10080], unit: 'minutes', clamp: true, example: 360,
    description: "How often the daemon checks for a macOS update, as super's workflow relaunch timer (default 360). Each Mac's first check falls at its own point within one interval, so a fleet does not check at once; a Jamf Pro policy run is immediate.",
  }),
  DialogTimeoutUserAuth: integerKey({
    key: 'DialogTimeoutUserAuth', option: 'dialog-timeout-user-auth', title: 'User password dialog timeout (seconds)', group: 'Deferrals and timeouts', default: 3600, range: [60, 86400], unit: 'seconds', clamp: true,
    description: 'Seconds the user password dialog waits before it gives up (defaults to DialogTimeoutDefault when that is set, else 3600).',
  }),
  DialogTimeoutDefault: integerKey({
    key: 'DialogTimeoutDefault', option: 'dialog-timeout-default', title: 'Default dialog timeout (seconds)', group: 'Deferrals and timeouts', default: undefined, range: [60, 86400], unit: 'seconds', clamp: true, example: 600,
    description: "Seconds any dialog waits; superd's only dialog is the user password dialog, which uses this when DialogTimeoutUserAuth is not set (as super does).",
  }),
  AuthJamfComputerID: stringKey({
    key: 'AuthJamfComputerID', option: 'auth-jamf-computer-id', title: 'Jamf Pro computer ID', group: 'Jamf Pro and authentication',
    expected: 'the Jamf Pro computer ID, digits only (use $JSSID in a profile deployed by Jamf Pro)',
    pattern: COMPUTER_ID_PATTERN, check: checkComputerId, example: '$JSSID',
    description: "This Mac's Jamf Pro computer ID. Normally $JSSID in a Jamf Pro profile; when unset superd looks it up by hardware UUID.",
  }),
  AuthJamfCustomURL: stringKey({
    key: 'AuthJamfCustomURL', option: 'auth-jamf-custom-url', title: 'Jamf Pro API URL override', group: 'Jamf Pro and authentication',
    expected: 'an https:// URL of the Jamf Pro server (no user, query or fragment)',
    pattern: HTTPS_URL_PATTERN, check: checkHttpsUrl, example: 'https://your-jamf-pro.example/',
    description: 'Jamf Pro URL for API calls, when it differs from the jss_url the jamf binary uses.',
  }),
  AuthAskUserToSavePassword: booleanKey({
    key: 'AuthAskUserToSavePassword', option: 'auth-ask-user-to-save-password', title: "Ask the user to save their password", group: 'Jamf Pro and authentication', default: false,
    description: "Ask the logged-in user for their password and save it for later updates (overrides every other Apple silicon authentication method).",
  }),
  AuthCredentialFailoverToUser: booleanKey({
    key: 'AuthCredentialFailoverToUser', option: 'auth-credential-failover-to-user', title: 'Fail over to the user when a saved credential fails', group: 'Jamf Pro and authentication', default: false,
    description: "When a saved credential fails validation, continue with the logged-in user's authentication.",
  }),
  AuthMDMFailoverToUser: listKey({
    key: 'AuthMDMFailoverToUser', option: 'auth-mdm-failover-to-user', title: 'Fail over to the user when the MDM update fails', group: 'Jamf Pro and authentication',
    values: MDM_FAILOVER_TYPES,
    aliases: { DEADLINE: ['HARD', 'SOFT'], ERROR: ['NOSERVICE', 'BOOTSTRAP'] },
    // super 5 accepts DIALOG and SCHEDULED but no failover reads them (super-behaviour.md §5.1).
    ignored: { DIALOG: 'super accepts it but fails over on it nowhere', SCHEDULED: 'super accepts it but fails over on it nowhere' },
    example: 'NOSERVICE,BOOTSTRAP',
    description: 'When the MDM workflow fails, fail over to the logged-in user for these reasons (ALWAYS, NOSERVICE, HARD, SOFT, INSTALLNOW, BOOTSTRAP; super 5 aliases DEADLINE and ERROR; DIALOG and SCHEDULED are accepted and do nothing, as in super).',
  }),
  CredentialHeartbeatInterval: integerKey({
    key: 'CredentialHeartbeatInterval', option: 'credential-heartbeat-interval', title: 'Credential heartbeat (hours)', group: 'Jamf Pro and authentication', default: 24, range: [1, 168], unit: 'hours',
    description: 'Hours between heartbeats of the saved Jamf Pro credential (each costs a token request and its invalidation).',
  }),
  MDMWorkflow: enumKey({
    key: 'MDMWorkflow', option: 'mdm-workflow', title: 'MDM update method', group: 'MDM update', values: ['auto', 'plans', 'legacy', 'ddm'] as const, default: 'auto',
    description: 'How to ask Jamf Pro for the update: auto (DDM plans on macOS 14+ where Jamf Pro has declarative management on for the computer, else MDM plans; legacy where Jamf Pro serves no plans), plans, legacy or ddm.',
  }),
  MDMTimeoutNoProgress: integerKey({
    key: 'MDMTimeoutNoProgress', option: 'mdm-timeout-no-progress', title: 'MDM no-progress timeout (minutes)', group: 'MDM update', default: 15, range: [2, 240], unit: 'minutes',
    description: 'Minutes superd waits for any sign that this Mac acted on the MDM update before it counts the push as failed.',
  }),
  MDMTimeoutTotal: integerKey({
    key: 'MDMTimeoutTotal', option: 'mdm-timeout-total', title: 'MDM total timeout (minutes)', group: 'MDM update', default: 120, range: [10, 1440], unit: 'minutes',
    description: 'Minutes superd follows an MDM update (download and preparation) before it counts the push as failed.',
  }),
  VerboseMode: booleanKey({
    key: 'VerboseMode', option: 'verbose-mode', title: 'Verbose logging', group: 'Logging', default: false,
    description: 'Log debug detail (never secrets).',
  }),
  LogFormat: enumKey({
    key: 'LogFormat', option: 'log-format', title: 'Log format', group: 'Logging', values: ['text', 'json'] as const, default: 'text',
    description: 'Format of logs/superd.log: text lines or one JSON object per line.',
  }),
} as const;

export type SettingKey = keyof typeof settingsSchema;
type ValueOf<D> = D extends KeyDef<infer T> ? T : never;

/** The one immutable, validated settings object. Unset optional keys are `undefined`. */
export type Settings = { readonly [K in SettingKey]: ValueOf<(typeof settingsSchema)[K]> | undefined } & {
  readonly DeferralTimerDefault: number;
  readonly DeferralTimerError: number;
  readonly DialogTimeoutUserAuth: number;
  readonly MDMTimeoutNoProgress: number;
  readonly MDMTimeoutTotal: number;
  readonly CredentialHeartbeatInterval: number;
  readonly AuthAskUserToSavePassword: boolean;
  readonly AuthCredentialFailoverToUser: boolean;
  readonly InstallMacOSMajorUpgrades: boolean;
  readonly WorkflowInstallNow: boolean;
  readonly TestMode: boolean;
  readonly WorkflowOnlyDownload: boolean;
  readonly WorkflowDisableUpdateCheck: boolean;
  readonly VerboseMode: boolean;
  readonly MDMWorkflow: 'auto' | 'plans' | 'legacy' | 'ddm';
  readonly LogFormat: 'text' | 'json';
};

export const settingKeys = Object.keys(settingsSchema) as SettingKey[];

/** Lookup by option name (`deferral-timer-error` → `DeferralTimerError`). */
export const keyByOption: ReadonlyMap<string, SettingKey> = new Map(settingKeys.map((k) => [settingsSchema[k].option, k]));
