import { readHardwareIdentity, type HardwareIdentity } from './ioreg';
import type { RunCommand } from './runCommand';
import { readMacOSVersion, type MacOSVersion } from './sw_vers';
import { isAppleSilicon } from './sysctl';

export interface HostFacts {
  macOS: MacOSVersion;
  appleSilicon: boolean;
  identity: HardwareIdentity;
}

/** The facts every run needs about this Mac, read in parallel. */
export async function checkHost(run: RunCommand, signal?: AbortSignal): Promise<HostFacts> {
  const [macOS, appleSilicon, identity] = await Promise.all([
    readMacOSVersion(run, signal),
    isAppleSilicon(run, signal),
    readHardwareIdentity(run, signal),
  ]);
  return { macOS, appleSilicon, identity };
}
