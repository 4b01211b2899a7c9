import { cryptoUsersCheck, adminMemberCheck, generatedUidCheck, passwordRefusedCheck } from './checks/accounts';
import { keychainDeleteCheck, keychainReadCheck, keychainWriteCheck } from './checks/keychain';
import {
  availableOSUpdatesCheck, bootstrapTokenCheck, deviceInformationCheck, enrollmentCheck, jamfConnectionCheck, jamfVersionCheck,
} from './checks/mdm';
import { softwareupdateListCheck } from './checks/softwareupdate';
import { ioregCheck, launchctlCheck, scutilCheck, swVersCheck, sysctlArm64Check } from './checks/system';
import { logShowCheck, logStreamCheck } from './checks/unifiedLog';
import type { DoctorCheck } from './types';

/**
 * Every macOS command form superd uses that can be run without changing the Mac, in the order
 * they run (later checks use what earlier ones learned: the macOS version, the console user, the
 * keychain item). Not run, because each would change the Mac or show something to its user:
 * softwareupdate --install, profiles install -type bootstraptoken, sysadminctl -addUser /
 * -deleteUser, dscl -create (hide a user), launchctl kickstart / bootstrap / bootout, and the
 * osascript password dialog (launchctl asuser).
 */
export const DOCTOR_CHECKS: readonly DoctorCheck[] = [
  swVersCheck,
  sysctlArm64Check,
  ioregCheck,
  scutilCheck,
  generatedUidCheck,
  adminMemberCheck,
  cryptoUsersCheck,
  passwordRefusedCheck,
  jamfVersionCheck,
  jamfConnectionCheck,
  enrollmentCheck,
  bootstrapTokenCheck,
  deviceInformationCheck,
  availableOSUpdatesCheck,
  keychainWriteCheck,
  keychainReadCheck,
  keychainDeleteCheck,
  logStreamCheck,
  logShowCheck,
  launchctlCheck,
  softwareupdateListCheck,
];
