import type { RunCommand } from './runCommand';

export interface ConsoleUser {
  readonly name: string;
  readonly uid: number;
}

/**
 * The user logged in at the console, from `scutil` (`show State:/Users/ConsoleUser` on stdin);
 * null at the login window, for root, or when nobody is logged in.
 */
export async function consoleUser(run: RunCommand, signal?: AbortSignal): Promise<ConsoleUser | null> {
  const r = await run('/usr/sbin/scutil', [], { timeoutMs: 10_000, signal, stdin: 'show State:/Users/ConsoleUser\n' });
  return parseConsoleUser(r.stdout);
}

export function parseConsoleUser(text: string): ConsoleUser | null {
  const name = /^ {2}Name : (.+)$/m.exec(text)?.[1]?.trim();
  const uid = Number(/^ {2}UID : (\d+)$/m.exec(text)?.[1]);
  if (!name || name === 'loginwindow' || name === 'root' || !Number.isInteger(uid) || uid === 0) return null;
  return { name, uid };
}
