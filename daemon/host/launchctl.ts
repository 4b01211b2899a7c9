import { CommandError } from '../errors';
import type { RunCommand } from './runCommand';

const LAUNCHCTL = '/bin/launchctl';

/** `launchctl print system/LABEL` exits 0 when the service is loaded (bootstrapped). */
export async function isServiceLoaded(run: RunCommand, label: string, signal?: AbortSignal): Promise<boolean> {
  const r = await run(LAUNCHCTL, ['print', `system/${label}`], { timeoutMs: 10_000, signal });
  return r.exitCode === 0;
}

/** `launchctl kickstart system/LABEL`: starts the service if it is not running (never kills it). */
export async function kickstartService(run: RunCommand, label: string, signal?: AbortSignal): Promise<boolean> {
  const r = await run(LAUNCHCTL, ['kickstart', `system/${label}`], { timeoutMs: 10_000, signal });
  return r.exitCode === 0;
}

/**
 * `launchctl print system/LABEL`, strictly: exit 0 is loaded, exit 113 (`Could not find service
 * "LABEL" in domain for system`, reference §10.1) is not loaded; anything else is not known, and
 * throws rather than be read as "not loaded".
 */
export async function serviceLoadedStrict(run: RunCommand, label: string, signal?: AbortSignal): Promise<boolean> {
  const r = await run(LAUNCHCTL, ['print', `system/${label}`], { timeoutMs: 10_000, signal });
  if (r.exitCode === 0) return true;
  if (r.exitCode === 113) return false;
  throw new CommandError(LAUNCHCTL, r.exitCode, r.stderr, `launchctl print system/${label} exited ${r.exitCode ?? 'by a signal'}; cannot tell whether ${label} is loaded`);
}

/**
 * `launchctl bootout system/LABEL`: exit 0 unloaded; exit 3 (`Boot-out failed: 3: No such
 * process`, reference §10.3) was not loaded. Anything else throws.
 */
export async function bootoutService(run: RunCommand, label: string, signal?: AbortSignal): Promise<'unloaded' | 'not-loaded'> {
  const r = await run(LAUNCHCTL, ['bootout', `system/${label}`], { timeoutMs: 30_000, signal });
  if (r.exitCode === 0) return 'unloaded';
  if (r.exitCode === 3) return 'not-loaded';
  throw new CommandError(LAUNCHCTL, r.exitCode, r.stderr);
}

/**
 * `launchctl bootstrap system PLIST`: exit 0 loaded. Exit 5 is launchd's catch-all (already
 * loaded, bad ownership or mode, malformed plist; reference §10.2): the caller verifies with print.
 */
export async function bootstrapService(run: RunCommand, plistPath: string, signal?: AbortSignal): Promise<{ ok: boolean; stderr: string }> {
  const r = await run(LAUNCHCTL, ['bootstrap', 'system', plistPath], { timeoutMs: 30_000, signal });
  return { ok: r.exitCode === 0, stderr: r.stderr };
}
