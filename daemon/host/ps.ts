import { readFileSync } from 'node:fs';
import type { RunCommand } from './runCommand';

export const PS = '/bin/ps';

/**
 * A process's start time, as an opaque token that only has to be equal for the same process
 * and differ for another process that got the same pid later (a lock holder's identity).
 * `null`: no such process. `'unknown'`: superd cannot tell (the caller must then assume the
 * process is the one it recorded: fail safe, never a takeover of a live holder's lock).
 *
 * - macOS: `ps -o lstart= -p PID` (`lstart` = "time started", `=` drops the header; ps(1),
 *   https://keith.github.io/xcode-man-pages/ps.1.html). No capture of its output exists in
 *   reference/macos-commands.md, so the text is never parsed: it is trimmed and compared with
 *   the same command's output for the same pid. ps exits non-zero with nothing on stdout for a
 *   pid that does not exist (ps(1): "exits 0 on success, and >0 if an error occurs"): read as
 *   gone only when stdout is empty too; anything else is `'unknown'`. Its one-second
 *   resolution means a pid recycled within the same second would look the same (accepted).
 * - Linux (where the tests run real processes): field 22 of /proc/PID/stat, `starttime` in
 *   clock ticks since boot (proc(5)); the comm field in parentheses may hold spaces, so fields
 *   are counted after its closing parenthesis.
 * - Anything else: `'unknown'`.
 */
export async function processStartTime(pid: number, deps: { platform: NodeJS.Platform; run: () => RunCommand }): Promise<string | null | 'unknown'> {
  if (deps.platform === 'linux') return linuxStartTime(pid);
  if (deps.platform !== 'darwin') return 'unknown';
  try {
    const result = await deps.run()(PS, ['-o', 'lstart=', '-p', String(pid)], { timeoutMs: 10_000 });
    return parsePsStart(result.exitCode, result.stdout);
  } catch {
    return 'unknown';
  }
}

export function parsePsStart(exitCode: number | null, stdout: string): string | null | 'unknown' {
  const text = stdout.trim();
  if (exitCode === 0 && text !== '' && !text.includes('\n')) return text;
  if (exitCode !== null && exitCode !== 0 && text === '') return null;
  return 'unknown';
}

export function linuxStartTime(pid: number): string | null | 'unknown' {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : 'unknown';
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the comm field come state (field 3) …; starttime is field 22, i.e. index 19 here.
  const start = fields[19];
  return start !== undefined && /^\d+$/.test(start) ? start : 'unknown';
}
