import type { RunCommand } from './runCommand';

export const SYSCTL = '/usr/sbin/sysctl';

/**
 * Apple silicon ⇔ `sysctl -n hw.optional.arm64` exits 0 and prints exactly `1`. Intel Macs
 * either lack the OID (exit 1, "unknown oid") or print 0 (reference/macos-commands.md §1.3).
 * The OID describes the hardware, so a Rosetta process still sees 1.
 */
export function parseArm64(exitCode: number | null, stdout: string): boolean {
  return exitCode === 0 && stdout.trim() === '1';
}

export async function isAppleSilicon(run: RunCommand, signal?: AbortSignal): Promise<boolean> {
  const result = await run(SYSCTL, ['-n', 'hw.optional.arm64'], { timeoutMs: 10_000, signal });
  return parseArm64(result.exitCode, result.stdout);
}
