import { CommandError } from '../errors';
import type { RunCommand } from './runCommand';

const SOFTWAREUPDATE = '/usr/sbin/softwareupdate';
/** The catalog scan can take minutes on a slow network. */
const LIST_TIMEOUT_MS = 10 * 60_000;

export interface ListedUpdate {
  readonly label: string;
  readonly title: string;
  readonly version: string;
  readonly restart: boolean;
  readonly recommended: boolean;
}

/** `softwareupdate --list`: `* Label: …` then a tab-indented `Title: …, Version: …, …` line. */
export async function listSoftwareUpdates(run: RunCommand, signal?: AbortSignal): Promise<ListedUpdate[]> {
  const r = await run(SOFTWAREUPDATE, ['--list'], { timeoutMs: LIST_TIMEOUT_MS, signal });
  if (r.exitCode !== 0) throw new CommandError(SOFTWAREUPDATE, r.exitCode, r.stderr);
  return parseSoftwareUpdateList(r.stdout);
}

export function parseSoftwareUpdateList(text: string): ListedUpdate[] {
  const updates: ListedUpdate[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const label = /^\*\s*Label:\s*(.+?)\s*$/.exec(lines[i] ?? "")?.[1];
    if (!label) continue;
    const details = lines[i + 1] ?? '';
    const field = (name: string) => new RegExp(`${name}:\\s*([^,]+)`).exec(details)?.[1]?.trim() ?? '';
    updates.push({
      label,
      title: field('Title') || label,
      version: field('Version'),
      restart: /Action:\s*restart/i.test(details),
      recommended: /Recommended:\s*YES/i.test(details),
    });
  }
  return updates;
}
