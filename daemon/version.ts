/**
 * Compares dotted version strings numerically ("11.30.0" > "11.9", "26.0" > "15.7.3").
 * Non-numeric suffixes after the numbers ("11.30.0-t1712345678") are ignored.
 */
export function compareVersions(a: string, b: string): number {
  const pa = numericParts(a);
  const pb = numericParts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export function versionAtLeast(version: string, minimum: string): boolean {
  return compareVersions(version, minimum) >= 0;
}

function numericParts(v: string): number[] {
  const m = /^\s*(\d+(?:\.\d+)*)/.exec(v);
  return m?.[1] ? m[1].split('.').map(Number) : [];
}
