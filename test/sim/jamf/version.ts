/** Jamf Pro version strings: `11.30.0` or `11.30.0-t1782920582649`. */
export interface ParsedVersion {
  major: number;
  minor: number;
  patch: number;
}

export function parseVersion(v: string): ParsedVersion {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v);
  if (!m) throw new Error(`not a Jamf Pro version: ${JSON.stringify(v)} (expected major.minor.patch, e.g. 11.30.0)`);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}

/** True when `current` is at least `since` and below `until` (either bound optional). */
export function versionInRange(current: string, since?: string, until?: string): boolean {
  if (since && compareVersions(current, since) < 0) return false;
  if (until && compareVersions(current, until) >= 0) return false;
  return true;
}

/**
 * The full version string Jamf Pro reports: `major.minor.patch-t<13-digit build ms>`.
 * A version given without a build suffix gets a stable one derived from the number,
 * so the same version always reports the same string.
 */
export function fullVersionString(v: string): string {
  if (/-t\d{13}$/.test(v)) return v;
  const p = parseVersion(v);
  const build = 1_700_000_000_000 + ((p.major - 11) * 100 + p.minor) * 2_700_000_000 + p.patch * 86_400_000 + 649;
  return `${p.major}.${p.minor}.${p.patch}-t${build}`;
}
