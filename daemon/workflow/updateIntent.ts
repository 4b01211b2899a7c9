/**
 * What the admin asked the update to be, decided once per push from the settings and the
 * deadlines (issue 13, docs/decisions.md "Deadlines through macOS's own update experience").
 * Pure. Plan bodies (pushUpdate.ts) are built from it; nothing here knows about HTTP.
 *
 * - Download only (WorkflowOnlyDownload): the update is downloaded and prepared, never installed.
 * - Install now: WorkflowInstallNow, or the hard deadline (else the only deadline) has passed.
 * - Otherwise install by an enforcement time: the hard deadline, else the soft one, else a
 *   default notice period counted from when superd first saw this target. Before it, the user
 *   chooses when, in macOS's own update experience (a DDM enforcement time; an MDM plan's
 *   deferrals, DeadlineCountHard/Soft of them, else a default).
 */

/** With no deadline configured, macOS enforces the update this long after superd first saw it. */
export const DEFAULT_NOTICE_DAYS = 7;
/** With no deferral count configured, how often the user may choose "later" on the MDM-plan path. */
export const DEFAULT_MAX_DEFERRALS = 3;
/** Never enforce sooner than this after the push, unless install-now or a passed deadline says so. */
export const MINIMUM_NOTICE_MS = 60 * 60_000;
/** An immediate DDM enforcement is scheduled this far ahead (Jamf Pro needs a time in the future). */
export const IMMEDIATE_MS = 60_000;

export type UpdateIntent =
  | { readonly kind: 'download-only' }
  | { readonly kind: 'install-now'; readonly why: string }
  | { readonly kind: 'install-by'; readonly enforceAt: Date; readonly maxDeferrals: number; readonly why: string };

export interface IntentSettings {
  readonly WorkflowOnlyDownload?: boolean;
  readonly WorkflowInstallNow?: boolean;
  readonly DeadlineCountSoft?: number;
  readonly DeadlineCountHard?: number;
}

export function decideUpdateIntent(input: {
  readonly settings: IntentSettings;
  /** The soft and hard deadlines of this target (daemon/failover/deadlines.ts), null when not set. */
  readonly deadlines: { readonly soft: Date | null; readonly hard: Date | null };
  /** When superd first saw this target (status), or now. */
  readonly firstSeen: Date;
  readonly now: Date;
}): UpdateIntent {
  const { settings, deadlines, now } = input;
  if (settings.WorkflowOnlyDownload) return { kind: 'download-only' };
  if (settings.WorkflowInstallNow) return { kind: 'install-now', why: 'WorkflowInstallNow' };
  const deadline = deadlines.hard ?? deadlines.soft;
  const which = deadlines.hard ? 'the hard deadline' : deadlines.soft ? 'the soft deadline' : null;
  if (deadline && deadline.getTime() <= now.getTime()) return { kind: 'install-now', why: `${which} passed (${deadline.toISOString()})` };
  const maxDeferrals = settings.DeadlineCountHard ?? settings.DeadlineCountSoft ?? DEFAULT_MAX_DEFERRALS;
  const enforceAt = deadline ?? new Date(Math.max(input.firstSeen.getTime() + DEFAULT_NOTICE_DAYS * 86_400_000, now.getTime() + MINIMUM_NOTICE_MS));
  const why = which ? `enforced at ${which}` : `no deadline configured: enforced ${DEFAULT_NOTICE_DAYS} days after superd first saw this update`;
  return { kind: 'install-by', enforceAt: new Date(Math.max(enforceAt.getTime(), now.getTime() + MINIMUM_NOTICE_MS)), maxDeferrals, why };
}
