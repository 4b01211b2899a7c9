import { sha256 } from './sha256';

/**
 * When the next heartbeat is due: the interval after the last one, shifted by a stable
 * per-Mac offset (up to a tenth of the interval) so a fleet does not call Jamf Pro at once. Pure.
 */
export function nextHeartbeatDue(input: { lastCheckedAt: string | null; intervalHours: number; jitterSeed: string; now: Date }): Date {
  const intervalMs = input.intervalHours * 3600_000;
  const jitterMs = Math.round(stableFraction(input.jitterSeed) * intervalMs * 0.1);
  if (input.lastCheckedAt === null) return new Date(input.now.getTime() + jitterMs);
  return new Date(Date.parse(input.lastCheckedAt) + intervalMs + jitterMs);
}

/** A number in [0, 1) that is the same for the same seed (a per-Mac offset). */
export function stableFraction(seed: string): number {
  return sha256(seed).readUInt32BE(0) / 0x1_0000_0000;
}
