/**
 * Parses a `Retry-After` header into milliseconds from `now`. Jamf sends integer seconds
 * (reference §8.1); the HTTP-date form is accepted too. Returns undefined when absent or invalid.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  if (Number.isNaN(at) || !/[a-z]/i.test(raw)) return undefined;
  return Math.max(0, at - now);
}
