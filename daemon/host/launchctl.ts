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
