import { checkHost as readHost } from '../../host/checkHost';
import { fail, ok } from '../runSession';
import type { Step } from './step';

/** This Mac: macOS version, Apple silicon, hardware UUID. */
export const checkHost: Step<'checkHost'> = async (session, _input, signal) => {
  const host = await readHost(session.deps.run, signal);
  session.macOSVersion = host.macOS.productVersion;
  if (!host.appleSilicon) return fail({ reason: 'not-apple-silicon', message: 'This Mac is not Apple silicon: superd enforces updates on Apple silicon Macs only (Intel Macs need no MDM or credential to install).' });
  return ok({ macOSVersion: host.macOS.productVersion, appleSilicon: true, hardwareUUID: host.identity.hardwareUUID });
};
