import type { RunCommand } from './runCommand';

const JAMF = '/usr/local/bin/jamf';

/**
 * `jamf checkJSSConnection -retry 1`, the form super uses (super line 9063, HEAD e796981).
 * True only with exit 0 **and** the exact sentence `The JSS is available.` (reference §3.2,
 * test/fixtures/macos/jamf/checkjssconnection-available.txt). super accepts any output that
 * contains `available`, which would also accept "… not available"; the failure wording has no
 * public capture, so anything else is "not reachable".
 */
export async function checkJssConnection(run: RunCommand, signal?: AbortSignal): Promise<boolean> {
  const r = await run(JAMF, ['checkJSSConnection', '-retry', '1'], { timeoutMs: 60_000, signal });
  return parseJssConnection(r.exitCode, r.stdout);
}

export function parseJssConnection(exitCode: number | null, stdout: string): boolean {
  return exitCode === 0 && /^The JSS is available\.$/m.test(stdout);
}

/**
 * `jamf -version` → `11.4.1` (from `version=11.4.1-t1712591696`); null when absent or
 * unparsable. The `version=` prefix is Derived from super (line 9053 strips it); no verbatim
 * capture exists (test/fixtures/macos/INDEX.md, "No capture exists"), so anything else is null.
 */
export async function jamfBinaryVersion(run: RunCommand, signal?: AbortSignal): Promise<string | null> {
  const r = await run(JAMF, ['-version'], { timeoutMs: 30_000, signal }).catch(() => null);
  return r ? parseJamfVersion(r.exitCode, r.stdout) : null;
}

export function parseJamfVersion(exitCode: number | null, stdout: string): string | null {
  return exitCode === 0 ? /^version=(\d+(?:\.\d+)*)/m.exec(stdout)?.[1] ?? null : null;
}
