import { CommandError } from '../errors';
import { parseNdjsonEntry, type LogStreamEntry } from './logStream';
import type { RunCommand } from './runCommand';

/**
 * The `log show` adapter, used only by superd doctor (superd itself streams; daemon/host/logStream.ts).
 */
export const LOG = '/usr/bin/log';

export function logShowArguments(predicate: string, last: string): string[] {
  return ['show', '--last', last, '--style', 'ndjson', '--predicate', predicate];
}

/**
 * `log show --last LAST --style ndjson --predicate P` (reference/macos-commands.md §13 for the
 * form, §12.4 for the ndjson fields): the entries, parsed like `log stream`'s; any other line
 * (a header or a closing summary) is skipped.
 */
export async function showLogEntries(run: RunCommand, predicate: string, last: string, signal?: AbortSignal): Promise<LogStreamEntry[]> {
  const r = await run(LOG, logShowArguments(predicate, last), { timeoutMs: 60_000, signal });
  if (r.exitCode !== 0) throw new CommandError(LOG, r.exitCode, r.stderr);
  return r.stdout.split('\n').map(parseNdjsonEntry).filter((e): e is LogStreamEntry => e !== null);
}
