import { superdRoot } from '../../host/paths';
import { readStatus, type StatusRecord } from '../../status/statusFile';
import type { Output } from '../output';
import { UsageError } from '../../errors';
import { optionName } from '../argumentName';

/** `superd status [--json]`: whatever state exists; never a secret (the status file holds none). */
export async function statusCommand(args: readonly string[], output: Output): Promise<number> {
  const json = args.includes('--json');
  const unknown = args.filter((a) => a !== '--json');
  if (unknown.length > 0) throw new UsageError(`superd status takes only --json; got ${unknown.map((a) => optionName(a, args.indexOf(a) + 1)).join(', ')}`);
  const status = await readStatus(superdRoot());
  output.out(json ? JSON.stringify(statusJson(status), null, 2) : statusText(status));
  return 0;
}

export function statusJson(s: StatusRecord): Record<string, unknown> {
  return {
    state: s.state,
    stateText: s.stateText,
    authMethod: s.authMethod,
    computerId: s.computerId,
    nextAttempt: s.nextAttempt,
    lastError: s.lastError,
    heartbeat: s.heartbeat,
    // The API client that last worked (two clients for fleet rotation: docs/fleet-rotation.md).
    jamfClientInUse: s.jamfClientInUse,
    targetVersion: s.targetVersion,
    planId: s.planId,
    updateAction: s.updateAction,
    enforceAt: s.enforceAt,
    updatedAt: s.updatedAt,
    repair: s.repair,
  };
}

function statusText(s: StatusRecord): string {
  const rows: Array<[string, string]> = [
    ['State', s.stateText ? `${s.state} (${s.stateText})` : s.state],
    ['Auth method', s.authMethod ?? 'none saved'],
    ['Computer ID', s.computerId ?? 'not resolved yet'],
    ['Target version', s.targetVersion ?? 'none'],
    ['Update action', s.updateAction ? `${s.updateAction}${s.planId ? ` (plan ${s.planId})` : ''}` : 'none'],
    ['Enforced at', s.enforceAt ?? 'no enforcement time'],
    ['Next attempt', s.nextAttempt ?? 'none scheduled'],
    ['Last error', s.lastError ? `${s.lastError.code}: ${s.lastError.message}` : 'none'],
    ['Heartbeat', heartbeatText(s)],
    ...(s.jamfClientInUse ? [['API client in use', s.jamfClientInUse] as [string, string]] : []),
    ['Updated', s.updatedAt ?? 'never'],
  ];
  // A damaged status file was repaired (issue 16): what was wrong, and where the damaged file is kept.
  if (s.repair) rows.push(['Repaired', `${s.repair.at}: the status file ${s.repair.reason}${s.repair.movedTo ? `; the damaged file is kept at ${s.repair.movedTo}` : ''}`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

function heartbeatText(s: StatusRecord): string {
  if (!s.heartbeat) return 'never checked';
  const line = `${s.heartbeat.status} at ${s.heartbeat.checkedAt}`;
  // The pause marker is opaque; that it is set is all the text needs.
  if (s.heartbeatPausedFor === null) return line;
  const why = s.authMethod === 'jamf-account' ? ' To tell a lockout from a wrong password: superd credentials heartbeat --privileged-account=NAME.' : '';
  return `${line}; paused: superd does not use this credential until it is saved again.${why}`;
}
