import type { LockDeps } from '../host/lockFile';
import { processStartTime } from '../host/ps';
import type * as RunCommandModule from '../host/runCommand';

/** The production lock dependencies: start times from this platform (daemon/host/ps.ts). */
export function systemLockDeps(root: string): LockDeps {
  return {
    startTimeOf: (pid) =>
      processStartTime(pid, {
        platform: process.platform,
        // Loaded only on macOS, only when a start time is needed (the idle daemon stays small).
        run: () => (require('../host/runCommand') as typeof RunCommandModule).createRunCommand(root),
      }),
  };
}
