/**
 * Plain advice for each `errorReasons` value of a failed plan (reference §4.9; the enum is
 * Jamf's). Unknown values are shown as they are.
 */
const ADVICE: Record<string, string> = {
  APPLE_SILICON_NO_ESCROW_KEY: 'Jamf Pro holds no bootstrap token for this Mac: escrow it (BOOTSTRAP failover, or `sudo profiles install -type bootstraptoken`).',
  NOT_SUPERVISED: 'This Mac is not supervised, so MDM cannot install updates on it: enroll it through Automated Device Enrollment or re-enroll it supervised.',
  NOT_MANAGED: 'Jamf Pro does not manage this Mac: check its MDM profile and management status.',
  NO_DISK_SPACE: 'This Mac lacks the free space to download the update: free some disk space.',
  NO_UPDATES_AVAILABLE: 'Apple offers no update for this Mac right now; superd will look again later.',
  SPECIFIC_VERSION_UNAVAILABLE: 'Apple does not offer the requested macOS version any more: target a current version (InstallMacOSMinorVersionTarget / InstallMacOSMajorVersionTarget) or leave the target unset.',
  SPECIFIC_VERSION_UNAVAILABLE_FOR_DEVICE_MODEL: 'The requested macOS version does not support this Mac model: choose another target.',
  ACTION_NOT_SUPPORTED_FOR_DEVICE_TYPE: 'Jamf Pro cannot send this update action to a Mac: use MDMWorkflow=auto.',
  DECLARATIVE_DEVICE_MANAGEMENT_SOFTWARE_UPDATES_NOT_SUPPORTED_FOR_DEVICE_OS_VERSION: 'Declarative software updates need a newer macOS on this Mac: use MDMWorkflow=plans or auto.',
  DECLARATIVE_DEVICE_MANAGEMENT_SOFTWARE_UPDATES_NOT_SUPPORTED_FOR_DEVICE_TYPE: 'This device type does not support declarative software updates: use MDMWorkflow=plans or auto.',
  PLAN_NOT_FOUND: 'Jamf Pro lost the plan; superd will create a new one at the next attempt.',
  APPLE_SOFTWARE_LOOKUP_SERVICE_ERROR: "Jamf Pro could not reach Apple's software lookup service; this is usually temporary.",
  EXISTING_PLAN_FOR_DEVICE_IN_PROGRESS: 'Another update plan is already running for this Mac; superd follows it at the next attempt.',
  DOWNGRADE_NOT_SUPPORTED: 'The target is older than the installed macOS: remove or raise the version target.',
  DECLARATIVE_SERVICE_ERROR: "Jamf Pro's declarative management service failed; check Jamf Pro's health.",
  UNABLE_TO_FIND_UPDATES_AND_OUT_OF_RETRIES: 'This Mac did not report the update to Jamf Pro after several scans: check its network access to Apple.',
  NO_DEVICE_STATUS_BY_GRACE_PERIOD: 'This Mac stopped reporting its update status to Jamf Pro: check that it is online and checking in.',
};

export function planErrorAdvice(reasons: readonly string[]): string {
  if (reasons.length === 0) return 'Jamf Pro reported no reason.';
  return reasons.map((r) => `${r}: ${ADVICE[r] ?? 'Jamf Pro reported this failure; see the plan in Jamf Pro for details.'}`).join(' ');
}
