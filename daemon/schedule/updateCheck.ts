import { stableFraction } from './heartbeatDue';

/**
 * When the daemon checks for a macOS update (DeferralTimerWorkflowRelaunch). Pure.
 * The first check falls at this Mac's own, stable point within one interval after the daemon
 * starts, so a fleet that boots or installs superd together spreads its checks over the whole
 * interval; every later check is one interval after the last run.
 */
export function firstUpdateCheck(seed: string, intervalMs: number, startedAt: number): Date {
  return new Date(startedAt + Math.floor(stableFraction(`${seed}:update-check`) * intervalMs));
}

export function nextUpdateCheck(lastRunAt: number, intervalMs: number): Date {
  return new Date(lastRunAt + intervalMs);
}
