import type { RunCommand } from './runCommand';

export interface ConsoleUser {
  readonly name: string;
  readonly uid: number;
}

/**
 * Console names that are not a person: super treats an empty name, `root`, `_mbsetupuser`
 * (Setup Assistant) and `loginwindow` as "no GUI user" (super lines 4426–4432, HEAD e796981).
 */
export const NOT_A_USER: ReadonlySet<string> = new Set(['root', '_mbsetupuser', 'loginwindow']);

/**
 * The user logged in at the console, from `scutil` (`show State:/Users/ConsoleUser` on stdin);
 * null at the login window, in Setup Assistant, for root, or when nobody is logged in.
 */
export async function consoleUser(run: RunCommand, signal?: AbortSignal): Promise<ConsoleUser | null> {
  const r = await run('/usr/sbin/scutil', [], { timeoutMs: 10_000, signal, stdin: 'show State:/Users/ConsoleUser\n' });
  if (r.exitCode !== 0) return null;
  return parseConsoleUser(r.stdout);
}

/**
 * Reads the top-level `  Name : …` and `  UID : …` lines (exactly two spaces: the nested session
 * keys end in `NameKey :`; reference §8.1, kolide/launcher capture in
 * test/fixtures/macos/scutil/). `  No such key` (early boot) and anything unparsable are null.
 */
export function parseConsoleUser(text: string): ConsoleUser | null {
  const name = /^ {2}Name : (.+)$/m.exec(text)?.[1]?.trim() ?? '';
  const uid = Number(/^ {2}UID : (\d+)$/m.exec(text)?.[1]);
  if (name === '' || NOT_A_USER.has(name) || !Number.isInteger(uid) || uid === 0) return null;
  return { name, uid };
}
