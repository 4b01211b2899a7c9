import { CommandError } from '../errors';
import type { RunCommand } from './runCommand';

export const IOREG = '/usr/sbin/ioreg';

export interface HardwareIdentity {
  /** IOPlatformUUID: what Jamf Pro calls the computer's `udid`. */
  hardwareUUID: string;
  serialNumber: string;
}

/**
 * Parses `ioreg -rd1 -c IOPlatformExpertDevice`. Matches the quoted properties, not the
 * indentation, and ignores the binary `serial-number` property (reference §2.1).
 */
export function parseIoregPlatform(text: string): HardwareIdentity {
  const uuid = /"IOPlatformUUID" = "([0-9A-Fa-f-]{36})"/.exec(text)?.[1];
  const serial = /"IOPlatformSerialNumber" = "([^"]+)"/.exec(text)?.[1];
  if (!uuid || !serial) {
    throw new CommandError('ioreg', 0, '', 'ioreg printed no IOPlatformUUID or IOPlatformSerialNumber for IOPlatformExpertDevice');
  }
  return { hardwareUUID: uuid.toUpperCase(), serialNumber: serial };
}

export async function readHardwareIdentity(run: RunCommand, signal?: AbortSignal): Promise<HardwareIdentity> {
  const result = await run(IOREG, ['-rd1', '-c', 'IOPlatformExpertDevice'], { timeoutMs: 15_000, signal });
  if (result.exitCode !== 0) throw new CommandError('ioreg', result.exitCode, result.stderr);
  return parseIoregPlatform(result.stdout);
}
