/**
 * Spreading a fleet's load on Jamf Pro over time (issue 18). Every Mac of a fleet runs superd
 * against the same Jamf Pro, which has no rate limiting and asks an integration to stay at or
 * below 5 concurrent connections (developer.jamf.com, "Jamf Pro API scalability best
 * practices"). Two tools, both pure (no I/O, no clock, no global random):
 *
 * - a stable per-Mac offset: a hash of a seed (hostname, hardware UUID) into [0, period), so
 *   recurring work lands at a different, fixed point of its period on each Mac;
 * - "full jitter" exponential back-off after a failure, as in Marc Brooker's AWS Architecture
 *   Blog post "Exponential Backoff And Jitter" (2015):
 *   sleep = random_between(0, min(cap, base × 2^attempt)). The random source is injected, so
 *   tests and the fleet simulation are reproducible.
 */
// A plain SHA-256 (same values as node:crypto): the idle daemon does not load node:crypto.
import { sha256 } from './sha256';

/** A uniform random number in [0, 1), like Math.random. */
export type RandomSource = () => number;

/** No retry sooner than the daemon's tick: it could not start earlier anyway. */
export const MIN_RETRY_MS = 60_000;

/** A number in [0, 1) that is the same for the same seed (a per-Mac offset). */
export function stableFraction(seed: string): number {
  return sha256(seed).readUInt32BE(0) / 0x1_0000_0000;
}

/** A stable per-Mac offset in [0, periodMs): the same seed always gives the same offset. */
export function stableOffset(seed: string, periodMs: number): number {
  if (!(periodMs > 0)) return 0;
  return Math.floor(stableFraction(seed) * periodMs);
}

/**
 * Full jitter: a wait drawn uniformly from [0, min(capMs, baseMs × 2^attempt)). `attempt` counts
 * from 0 (the first retry). A cap below the base leaves the base as the window (an admin's
 * timer above the cap is kept, as super keeps it).
 */
export function fullJitter(input: { attempt: number; baseMs: number; capMs: number; random: RandomSource }): number {
  const window = Math.min(input.baseMs * 2 ** Math.min(Math.max(input.attempt, 0), 40), Math.max(input.capMs, input.baseMs));
  return Math.floor(clampUnit(input.random()) * window);
}

/**
 * The wait before retrying a call Jamf Pro failed or could not answer: full jitter over the
 * doubling window, on top of the server's own delay (`Retry-After` on a 503 or 429) when it sent
 * one. The server's delay is a floor, never the answer itself: if it were, every Mac told "retry
 * after 120 s" during an outage would come back in the same second. Never less than a minute.
 */
export function retryDelay(input: { attempt: number; baseMs: number; capMs: number; random: RandomSource; serverDelayMs?: number | undefined }): number {
  const floor = Math.max(input.serverDelayMs ?? 0, 0);
  return Math.max(floor + fullJitter(input), MIN_RETRY_MS);
}

/**
 * An alternative to updateCheck.ts's "last run + interval" (not wired; the fleet simulation
 * compares the two): the Mac's own point on a fixed grid (epoch + per-Mac phase + k × interval),
 * at least half an interval after the last check. Anchoring to the grid keeps the fleet's checks
 * uniform over the interval whatever made runs happen together (a fleet restarted at once, a
 * policy that ran everywhere): the next check does not inherit the cluster.
 */
export function gridUpdateCheck(seed: string, intervalMs: number, lastStart: Date): Date {
  if (!(intervalMs > 0)) return new Date(lastStart.getTime());
  const phase = stableOffset(`${seed}:update-check`, intervalMs);
  const earliest = lastStart.getTime() + Math.ceil(intervalMs / 2);
  const k = Math.ceil((earliest - phase) / intervalMs);
  return new Date(phase + k * intervalMs);
}

function clampUnit(x: number): number {
  if (!Number.isFinite(x) || x < 0) return 0;
  return x >= 1 ? 1 - Number.EPSILON : x;
}
