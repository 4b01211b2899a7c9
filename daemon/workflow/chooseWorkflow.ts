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
}

/**
 * Which Jamf Pro update path to use. auto: DDM plans on macOS 26+ (Apple deprecated the MDM
 * update command there), MDM plans when the feature toggle is on (Jamf Pro 10.48+), else the
 * legacy send-updates endpoint. A forced choice the server cannot serve is a named failure.
 */
export function chooseWorkflow(input: WorkflowChoiceInput): { workflow: MdmWorkflow } | { failure: WorkflowFailure } {
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
      return plansServed ? { workflow: 'ddm' } : needs(`Jamf Pro ${input.jamfVersion} does not offer plans (DDM plans are plans)`);
    case 'auto':
      if (!plansServed) return { workflow: 'legacy' };
      return { workflow: versionAtLeast(input.macOSVersion, '26.0') ? 'ddm' : 'plans' };
  }
}
