import { stableOffset } from './spread';

// daemonLoop.ts imports stableFraction from here; it now lives with the other spread functions.
export { stableFraction } from './spread';

/**
 * When the next heartbeat is due: the interval after the last one, shifted by a stable
 * per-Mac offset (up to a tenth of the interval, spread.ts) so a fleet does not call Jamf Pro
 * at once. Because the offset is added at every heartbeat, Macs whose offsets differ drift
 * apart over the days even when they all started together. Pure.
 *
 * With no heartbeat yet, the first is due at the same per-Mac offset after `since`: a fixed
 * moment (when the daemon started watching), never the current time. Measured from "now" it
 * moved forward at every tick and never came due.
 */
export function nextHeartbeatDue(input: { lastCheckedAt: string | null; intervalHours: number; jitterSeed: string; since: Date }): Date {
  const intervalMs = input.intervalHours * 3600_000;
  const jitterMs = stableOffset(input.jitterSeed, intervalMs * 0.1);
  const last = input.lastCheckedAt === null ? Number.NaN : Date.parse(input.lastCheckedAt);
  if (Number.isNaN(last)) return new Date(input.since.getTime() + jitterMs);
  return new Date(last + intervalMs + jitterMs);
}
