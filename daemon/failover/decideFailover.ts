import type { MdmFailoverType } from '../config/schema';
import type { FailureReason } from '../workflow/failureReason';

/** The MDM service or its API credentials failed (failover type NOSERVICE). */
export const NOSERVICE_REASONS: readonly FailureReason[] = ['mdm-not-enrolled', 'mdm-service-unavailable', 'credentials-rejected', 'privileges-missing', 'computer-not-found'];
/** The bootstrap token is missing or invalid (failover type BOOTSTRAP, with re-escrow). */
export const BOOTSTRAP_REASONS: readonly FailureReason[] = ['bootstrap-missing', 'bootstrap-invalid'];
/** Any failure of the MDM path (ALWAYS, HARD, SOFT, INSTALLNOW). */
export const MDM_REASONS: readonly FailureReason[] = [...NOSERVICE_REASONS, ...BOOTSTRAP_REASONS, 'push-rejected', 'plan-failed', 'verification-timeout'];
/** A saved or new credential failed (AuthCredentialFailoverToUser). */
export const CREDENTIAL_REASONS: readonly FailureReason[] = ['credentials-rejected', 'privileges-missing', 'no-credentials', 'local-auth-failed'];

/** What the failover decision chose after a failure. */
export type RecoveryDecision =
  | { readonly action: 'failover-to-user'; readonly trigger: string; readonly reescrow: boolean }
  | { readonly action: 'defer'; readonly reason: string }
  | { readonly action: 'fatal'; readonly reason: string; readonly needs: 'configuration' | 'credentials' };

const NEEDS_CONFIGURATION: readonly FailureReason[] = ['not-apple-silicon', 'macos-too-old', 'jamf-server-missing', 'super-daemon-loaded'];
const NO_RETRY_CREDENTIALS: readonly FailureReason[] = ['credentials-rejected', 'privileges-missing', 'no-credentials'];

export interface FailoverInput {
  readonly failure: FailureReason;
  /** AuthMDMFailoverToUser, aliases already expanded. */
  readonly types: readonly MdmFailoverType[];
  readonly deadlines: { readonly softPassed: boolean; readonly hardPassed: boolean };
  readonly installNow: boolean;
  /** AuthCredentialFailoverToUser. */
  readonly credentialFailover: boolean;
  /** The user already authenticated in this run: never a second failover (no loop). */
  readonly failedOver: boolean;
}

/** Which failover type (if any) the admin allowed for this failure, in the seed's order. */
export function failoverTrigger(input: FailoverInput): MdmFailoverType | 'CREDENTIAL' | null {
  const { failure, types } = input;
  if (input.credentialFailover && CREDENTIAL_REASONS.includes(failure)) return 'CREDENTIAL';
  if (!MDM_REASONS.includes(failure)) return null;
  if (types.includes('BOOTSTRAP') && BOOTSTRAP_REASONS.includes(failure)) return 'BOOTSTRAP';
  if (types.includes('NOSERVICE') && NOSERVICE_REASONS.includes(failure)) return 'NOSERVICE';
  if (types.includes('HARD') && input.deadlines.hardPassed) return 'HARD';
  if (types.includes('SOFT') && input.deadlines.softPassed) return 'SOFT';
  if (types.includes('INSTALLNOW') && input.installNow) return 'INSTALLNOW';
  if (types.includes('ALWAYS')) return 'ALWAYS';
  return null;
}

/**
 * What to do after a failure. Pure. Failover to the logged-in user where the admin allowed it
 * (once per run); otherwise a configuration problem is fatal (exit 78), a rejected credential is fatal
 * (exit 77: retrying a wrong password can lock the account out), and everything else is deferred to
 * the error timer.
 */
export function decideFailover(input: FailoverInput): RecoveryDecision {
  const trigger = input.failedOver ? null : failoverTrigger(input);
  if (trigger !== null) {
    const reescrow = BOOTSTRAP_REASONS.includes(input.failure) && (trigger === 'BOOTSTRAP' || trigger === 'ALWAYS');
    return { action: 'failover-to-user', trigger, reescrow };
  }
  if (NEEDS_CONFIGURATION.includes(input.failure)) return { action: 'fatal', reason: `${input.failure} needs an administrator`, needs: 'configuration' };
  if (NO_RETRY_CREDENTIALS.includes(input.failure)) return { action: 'fatal', reason: `${input.failure}: save a working credential`, needs: 'credentials' };
  return { action: 'defer', reason: input.failedOver ? 'the user failover of this run did not succeed' : 'retry after the error deferral timer' };
}
