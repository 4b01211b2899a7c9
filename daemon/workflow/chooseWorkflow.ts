import { versionAtLeast } from '../version';
import type { MdmWorkflow } from './contracts';
import type { WorkflowFailure } from './failureReason';

export interface WorkflowChoiceInput {
  readonly setting: 'auto' | 'plans' | 'legacy' | 'ddm';
  readonly jamfVersion: string;
  /**
   * The plans feature toggle; null only when the server does not offer it (before 10.48). A 403
   * never arrives here: readFeatureToggleState throws the JamfPrivilegeError (docs/decisions.md).
   */
  readonly featureToggleOn: boolean | null;
  readonly macOSVersion: string;
  /**
   * Jamf Pro's `general.declarativeDeviceManagementEnabled` for this computer (reference §4.14);
   * null when the inventory does not say (older servers, or the computer was not read this run).
   */
  readonly declarativeManagement: boolean | null;
}

export interface WorkflowChoice {
  readonly workflow: MdmWorkflow;
  /** Why auto chose this path, for the log (absent when the admin forced the path). */
  readonly why?: string;
}

/**
 * Which Jamf Pro update path to use. A forced choice the server cannot serve is a named failure.
 *
 * auto: DDM plans wherever Jamf Pro serves plans, the Mac runs macOS 14 or later, and Jamf Pro has
 * declarative device management on for this computer: macOS then carries the deadline in its own
 * update experience, and Apple has removed the MDM update commands after macOS 26 (reference
 * updates-and-fleet.md). Where the inventory does not say, DDM only on macOS 26+ (the MDM command is
 * deprecated there) and MDM plans before it, the path known to work. Where DDM is off for the
 * computer, MDM plans: a DDM plan would fail with DECLARATIVE_DEVICE_MANAGEMENT_… (reference §4.14).
 * Without plans (feature toggle off, or Jamf Pro before 10.48): the legacy send-updates endpoint.
 */
export function chooseWorkflow(input: WorkflowChoiceInput): WorkflowChoice | { failure: WorkflowFailure } {
  const plansServed = versionAtLeast(input.jamfVersion, '10.48.0') && input.featureToggleOn === true;
  const needs = (what: string) => ({
    failure: {
      reason: 'push-rejected' as const,
      message: `MDMWorkflow is ${input.setting}, but ${what}. Turn on the new software updates experience in Jamf Pro (Settings > Computer management > Software updates) or set MDMWorkflow to auto.`,
    },
  });
  switch (input.setting) {
    case 'legacy':
      return { workflow: 'legacy' };
    case 'plans':
      return plansServed ? { workflow: 'plans' } : needs(`Jamf Pro ${input.jamfVersion} does not offer the plans API (feature toggle off or server before 10.48)`);
    case 'ddm':
      if (!versionAtLeast(input.macOSVersion, '14.0')) return { failure: { reason: 'push-rejected', message: `MDMWorkflow is ddm, but declarative software updates need macOS 14 or later; this Mac runs ${input.macOSVersion}.` } };
      if (input.declarativeManagement === false) {
        return { failure: { reason: 'push-rejected', message: 'MDMWorkflow is ddm, but Jamf Pro has declarative device management off for this computer (declarativeDeviceManagementEnabled is false in its inventory). Re-enroll the Mac or set MDMWorkflow to auto.' } };
      }
      return plansServed ? { workflow: 'ddm' } : needs(`Jamf Pro ${input.jamfVersion} does not offer plans (DDM plans are plans)`);
    case 'auto':
      return autoChoice(input, plansServed);
  }
}

function autoChoice(input: WorkflowChoiceInput, plansServed: boolean): WorkflowChoice {
  if (!plansServed) {
    return { workflow: 'legacy', why: `Jamf Pro ${input.jamfVersion} does not serve update plans (feature toggle off or server before 10.48)` };
  }
  if (!versionAtLeast(input.macOSVersion, '14.0')) {
    return { workflow: 'plans', why: `macOS ${input.macOSVersion} predates declarative software updates (macOS 14)` };
  }
  if (input.declarativeManagement === true) {
    return { workflow: 'ddm', why: 'Jamf Pro serves DDM plans and has declarative device management on for this computer' };
  }
  if (input.declarativeManagement === false) {
    return { workflow: 'plans', why: 'Jamf Pro has declarative device management off for this computer' };
  }
  return versionAtLeast(input.macOSVersion, '26.0')
    ? { workflow: 'ddm', why: `the inventory does not say whether DDM is on; macOS ${input.macOSVersion} deprecates the MDM update command` }
    : { workflow: 'plans', why: 'the inventory does not say whether declarative device management is on for this computer' };
}
