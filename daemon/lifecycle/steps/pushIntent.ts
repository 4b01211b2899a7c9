import { deadlineState } from '../../failover/deadlines';
import { decideUpdateIntent, type UpdateIntent } from '../../workflow/updateIntent';
import type { RunSession } from '../runSession';

/** The admin's intent for this push, from the settings and the deadlines of this target. */
export function pushIntent(session: RunSession, installNow: boolean): UpdateIntent {
  const { settings, deps } = session;
  const now = deps.now();
  const firstSeen = deps.status.view.targetFirstSeen;
  return decideUpdateIntent({
    settings: { ...settings, WorkflowInstallNow: installNow },
    deadlines: deadlineState(settings, firstSeen, now),
    firstSeen: firstSeen ? new Date(firstSeen.at) : now,
    now,
  });
}
