import { SUPERD_ID } from '../buildInfo';
import { isServiceLoaded, kickstartService } from '../host/launchctl';
import type { RunCommand } from '../host/runCommand';
import { readStatus, updateStatus } from '../status/statusFile';

/** The environment variable the daemon sets for the runs it starts (they never hand off again). */
export const STARTED_BY_DAEMON_ENV = 'SUPERD_STARTED_BY_DAEMON';

/**
 * A run started by a Jamf Pro policy hands the workflow to the daemon, so the policy does not
 * wait for the length of an update; a run the daemon started, or one without a loaded daemon,
 * does the work itself. Pure.
 */
export function shouldHandOff(input: { fromJamfPolicy: boolean; startedByDaemon: boolean; daemonLoaded: boolean }): boolean {
  return input.fromJamfPolicy && !input.startedByDaemon && input.daemonLoaded;
}

/**
 * Asks the daemon for a run now: the next attempt becomes now (an absolute time its tick
 * honours within a minute) and the service is kickstarted in case it is not running. A run
 * already in progress is left alone; it reads the saved settings next time.
 */
export async function handOffToDaemon(run: RunCommand, root: string, now: Date): Promise<'requested' | 'already-running'> {
  const status = await readStatus(root);
  if (status.state === 'running') return 'already-running';
  await updateStatus(root, { nextAttempt: now.toISOString(), stateText: 'A run was requested by a Jamf Pro policy' }, now);
  await kickstartService(run, SUPERD_ID);
  return 'requested';
}

export async function daemonLoaded(run: RunCommand): Promise<boolean> {
  return isServiceLoaded(run, SUPERD_ID).catch(() => false);
}
