import type { RunCommand } from './runCommand';

const JAMF = '/usr/local/bin/jamf';

/** `jamf checkJSSConnection`: true when it ends with `The JSS is available.` */
export async function checkJssConnection(run: RunCommand, signal?: AbortSignal): Promise<boolean> {
  const r = await run(JAMF, ['checkJSSConnection'], { timeoutMs: 60_000, signal });
  return r.exitCode === 0 && /The JSS is available\./.test(r.stdout);
}

/** `jamf -version` → `11.4.1` (from `version=11.4.1-t1712591696`); null when absent. */
export async function jamfBinaryVersion(run: RunCommand, signal?: AbortSignal): Promise<string | null> {
  const r = await run(JAMF, ['-version'], { timeoutMs: 30_000, signal }).catch(() => null);
  return r?.exitCode === 0 ? /version=(\d+(?:\.\d+)*)/.exec(r.stdout)?.[1] ?? null : null;
}
