import { createHash } from 'node:crypto';
import type { Settings } from '../config/schema';
import { retryDelay, type RandomSource } from './spread';

export interface ErrorStreak {
  readonly code: string;
  readonly count: number;
  readonly configHash: string;
}

const DAY_MS = 24 * 3600_000;

/**
 * Failures that say Jamf Pro could not be reached or failed, rather than something about this
 * Mac: the workflow's `mdm-service-unavailable` (jamfFailure in auth/jamfCredentialCheck.ts maps
 * unreachable servers and unexpected HTTP statuses to it) and the typed errors of an invocation
 * that failed before the workflow (failureStatus in lifecycle/runStatus.ts). When Jamf Pro is
 * down, every Mac of the fleet fails with one of these at about the same time.
 */
export const JAMF_OUTAGE_CODES: ReadonlySet<string> = new Set(['mdm-service-unavailable', 'SUPERD_ERR_JAMF_UNREACHABLE', 'SUPERD_ERR_JAMF_HTTP']);

/**
 * When to try again after a failure that was not failed over. The same failure repeated under
 * the same configuration doubles the wait each time, capped at a day, so a broken Mac does not
 * retry every minute; a different failure or a changed configuration starts again from the base
 * timer (DeferralTimerError minutes). Pure.
 *
 * - A failure of this Mac (bootstrap token, plan failed…): exactly base × 2^(n-1), as super does.
 * - Jamf Pro unreachable or failing (JAMF_OUTAGE_CODES): the same window, but with full jitter
 *   (spread.ts, after "Exponential Backoff And Jitter", AWS Architecture Blog): a random wait in
 *   [0, window), never under a minute, on top of the server's `Retry-After` when it sent one.
 *   Without jitter every Mac that failed during an outage would come back in step.
 */
export function scheduleRetry(input: {
  now: Date;
  failureCode: string;
  configHash: string;
  previous: ErrorStreak | null;
  deferralErrorMinutes: number;
  /** The delay Jamf Pro asked for (`Retry-After`), a floor under the jittered wait. */
  serverDelayMs?: number | undefined;
  /** Random source in [0, 1) for the jitter; Math.random unless a test or simulation injects one. */
  random?: RandomSource;
}): { nextAttempt: Date; streak: ErrorStreak } {
  const p = input.previous;
  const count = p && p.code === input.failureCode && p.configHash === input.configHash ? p.count + 1 : 1;
  const baseMs = input.deferralErrorMinutes * 60_000;
  const waitMs = JAMF_OUTAGE_CODES.has(input.failureCode) || input.serverDelayMs !== undefined
    ? retryDelay({ attempt: count - 1, baseMs, capMs: DAY_MS, random: input.random ?? Math.random, serverDelayMs: input.serverDelayMs })
    : Math.min(baseMs * 2 ** Math.min(count - 1, 20), Math.max(DAY_MS, baseMs));
  return { nextAttempt: new Date(input.now.getTime() + waitMs), streak: { code: input.failureCode, count, configHash: input.configHash } };
}

/** A stable fingerprint of the settings (no secrets are part of Settings). */
export function configFingerprint(settings: Settings): string {
  const sorted = Object.keys(settings).sort().map((k) => [k, (settings as Record<string, unknown>)[k]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}
