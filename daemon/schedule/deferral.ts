import { createHash } from 'node:crypto';
import type { Settings } from '../config/schema';

export interface ErrorStreak {
  readonly code: string;
  readonly count: number;
  readonly configHash: string;
}

const DAY_MS = 24 * 3600_000;

/**
 * When to try again after a failure that was not failed over: now + DeferralTimerError
 * minutes. The same failure repeated under the same configuration doubles the wait each time,
 * capped at a day, so a broken Mac does not retry every minute; a different failure or a
 * changed configuration starts again from the base timer. Pure.
 */
export function scheduleRetry(input: {
  now: Date;
  failureCode: string;
  configHash: string;
  previous: ErrorStreak | null;
  deferralErrorMinutes: number;
}): { nextAttempt: Date; streak: ErrorStreak } {
  const p = input.previous;
  const count = p && p.code === input.failureCode && p.configHash === input.configHash ? p.count + 1 : 1;
  const baseMs = input.deferralErrorMinutes * 60_000;
  const waitMs = Math.min(baseMs * 2 ** Math.min(count - 1, 20), Math.max(DAY_MS, baseMs));
  return { nextAttempt: new Date(input.now.getTime() + waitMs), streak: { code: input.failureCode, count, configHash: input.configHash } };
}

/** A stable fingerprint of the settings (no secrets are part of Settings). */
export function configFingerprint(settings: Settings): string {
  const sorted = Object.keys(settings).sort().map((k) => [k, (settings as Record<string, unknown>)[k]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}
