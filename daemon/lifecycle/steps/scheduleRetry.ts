import { scheduleRetry as nextRetry } from '../../schedule/deferral';
import type { Step } from './step';

/** The next attempt after the error timer (backing off for the same failure); ISO 8601. */
export const scheduleRetry: Step<'scheduleRetry'> = async (session, { failure }) => {
  const { settings, deps } = session;
  const next = nextRetry({
    now: deps.now(),
    failureCode: failure.reason,
    configHash: deps.configHash,
    previous: deps.status.view.errorStreak,
    deferralErrorMinutes: settings.DeferralTimerError ?? settings.DeferralTimerDefault,
    serverDelayMs: failure.retryAfterSeconds === undefined ? undefined : failure.retryAfterSeconds * 1000,
  });
  deps.status.note({ errorStreak: next.streak });
  return next.nextAttempt.toISOString();
};
