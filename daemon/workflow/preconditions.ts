import { checkJssConnection } from '../host/jamfBinary';
import { queryDeviceInformation } from '../host/mdmclient';
import { readBootstrapTokenStatus, readMdmEnrollment, type BootstrapTokenStatus, type MdmEnrollment } from '../host/profiles';
import type { RunCommand } from '../host/runCommand';
import { SUPER_LABEL, superDaemonLoaded } from '../host/superInstall';
import { versionAtLeast } from '../version';
import type { WorkflowFailure } from './failureReason';

/** The seed: the MDM update workflow needs macOS 11.5 or later on Apple silicon. */
export const MDM_MINIMUM_MACOS = '11.5';
/** From macOS 13.3, mdmclient reports whether the escrowed token is valid (EACSPreflight). */
export const BOOTSTRAP_VALIDATION_MACOS = '13.3';

export interface BootstrapCheck extends BootstrapTokenStatus {
  /** `EACSPreflight` from QueryDeviceInformation; null before macOS 13.3 (not reported). */
  readonly preflight: string | null;
  readonly valid: boolean | null;
}

export interface PreconditionFacts {
  enrollment: MdmEnrollment | null;
  mdmReachable: boolean | null;
  bootstrap: BootstrapCheck | null;
}

/**
 * Bootstrap token supported, escrowed and, on 13.3+, valid: `EACSPreflight` is `success`, or
 * `EFI password exists` on an Intel Mac with a firmware password (as super, reference §5.1).
 */
export async function checkBootstrap(run: RunCommand, macOSVersion: string, signal?: AbortSignal): Promise<BootstrapCheck> {
  return bootstrapFrom(await readBootstrapTokenStatus(run, signal), run, macOSVersion, signal);
}

async function bootstrapFrom(status: BootstrapTokenStatus, run: RunCommand, macOSVersion: string, signal?: AbortSignal): Promise<BootstrapCheck> {
  if (!status.escrowed || !versionAtLeast(macOSVersion, BOOTSTRAP_VALIDATION_MACOS)) return { ...status, preflight: null, valid: null };
  const info = await queryDeviceInformation(run, signal);
  const preflight = info.EACSPreflight ?? null;
  return { ...status, preflight, valid: preflight === null ? null : /success|EFI password exists/i.test(preflight) };
}

/**
 * What the MDM path needs from this Mac, each unmet need a distinct reason the failover
 * decision can act on: macOS 11.5+, MDM enrolled, Jamf Pro reachable, bootstrap token
 * supported, escrowed and (13.3+) valid.
 *
 * The independent commands (launchctl, profiles ×2, jamf) run at once; their answers are judged
 * in the order above, so the reason and the facts are those of checking one after another. Once
 * a reason is found the commands still running are stopped. mdmclient (the slow one: up to 120 s
 * on macOS 27) runs only when everything before it holds, as before.
 */
export async function checkPreconditions(
  run: RunCommand,
  input: { macOSVersion: string; signal?: AbortSignal },
): Promise<{ ok: true; facts: PreconditionFacts } | { ok: false; failure: WorkflowFailure; facts: PreconditionFacts }> {
  const facts: PreconditionFacts = { enrollment: null, mdmReachable: null, bootstrap: null };
  const fail = (reason: WorkflowFailure['reason'], message: string) => ({ ok: false as const, failure: { reason, message }, facts });
  const tooOld = !versionAtLeast(input.macOSVersion, MDM_MINIMUM_MACOS);
  const stop = new AbortController();
  const signal = input.signal ? AbortSignal.any([input.signal, stop.signal]) : stop.signal;
  // Started together; a rejection is only seen when its answer is reached (settled() below).
  const started = {
    superLoaded: settle(superDaemonLoaded(run, signal)),
    // Before macOS 11.5 nothing after the super check is asked, as before.
    enrollment: tooOld ? null : settle(readMdmEnrollment(run, signal)),
    reachable: tooOld ? null : settle(checkJssConnection(run, signal)),
    token: tooOld ? null : settle(readBootstrapTokenStatus(run, signal)),
  };
  try {
    if (await settled(started.superLoaded)) return fail('super-daemon-loaded', `super's LaunchDaemon (${SUPER_LABEL}) is loaded, so super would push updates too; superd pushes none beside it. Run \`sudo superd migrate-from-super\` to hand this Mac to superd, or remove super.`);
    if (tooOld || !started.enrollment || !started.reachable || !started.token) {
      return fail('macos-too-old', `This Mac runs macOS ${input.macOSVersion}; the MDM update workflow needs macOS ${MDM_MINIMUM_MACOS} or later. Update it with a local credential or by hand.`);
    }
    facts.enrollment = await settled(started.enrollment);
    if (!facts.enrollment.enrolled) return fail('mdm-not-enrolled', 'This Mac is not enrolled in MDM (profiles status -type enrollment). Enroll it in Jamf Pro.');
    facts.mdmReachable = await settled(started.reachable);
    if (!facts.mdmReachable) return fail('mdm-service-unavailable', 'jamf checkJSSConnection cannot reach Jamf Pro. Check the network and the Jamf Pro server.');
    facts.bootstrap = await bootstrapFrom(await settled(started.token), run, input.macOSVersion, input.signal);
    if (!facts.bootstrap.supported) return fail('bootstrap-missing', 'Jamf Pro does not support a bootstrap token for this Mac (profiles status -type bootstraptoken). Check the Mac is enrolled with a supervised enrollment.');
    if (!facts.bootstrap.escrowed) return fail('bootstrap-missing', 'The bootstrap token is not escrowed to Jamf Pro. Allow failover with BOOTSTRAP so a volume owner can escrow it, or run `sudo profiles install -type bootstraptoken`.');
    if (facts.bootstrap.valid === false) return fail('bootstrap-invalid', `The escrowed bootstrap token is not valid for this Mac (EACSPreflight = ${facts.bootstrap.preflight}). Escrow it again with BOOTSTRAP failover or \`sudo profiles install -type bootstraptoken\`.`);
    return { ok: true, facts };
  } finally {
    // Whatever was not needed is stopped, and nothing is left running when this returns.
    stop.abort();
    await Promise.all(Object.values(started).filter((p) => p !== null));
  }
}

type Settled<T> = Promise<{ ok: true; value: T } | { ok: false; error: unknown }>;

function settle<T>(promise: Promise<T>): Settled<T> {
  return promise.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
}

/** The value, or the error the command ended with (thrown here, where a sequential check would have thrown it). */
async function settled<T>(result: Settled<T>): Promise<T> {
  const r = await result;
  if (!r.ok) throw r.error;
  return r.value;
}
