import type * as Fs from 'node:fs';
import * as path from 'node:path';
import { hostPath, superdRoot } from '../host/paths';
import type { AuthMethod } from '../status/statusFile';
import { METHOD_PRIORITY } from './methodFields';
import type { ReplacementJournal, ReplacementState } from './secretStore';

/** Beside status and saved settings, in superd's own folder (design.md §3). No secret in it. */
export const REPLACEMENT_JOURNAL = '/Library/Management/superd/credential-replacement.json';

/** Anything bigger is not what superd writes (about 60 bytes). */
const MAX_BYTES = 4096;
const PHASES = ['staging', 'committed', 'done'] as const;

// node:fs on demand: the idle daemon never loads it for this (issue 19).
const fs = () => require('node:fs') as typeof Fs;

/** Writes, flushes and renames into place, then flushes the folder: survives kill -9 and power loss. */
function writeDurably(file: string, text: string): void {
  const { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } = fs();
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  syncFolder(dir);
}

function syncFolder(dir: string): void {
  const { closeSync, fsyncSync, openSync } = fs();
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Parses what `write` wrote; anything else is unreadable (never guessed at). */
export function parseJournal(text: string): ReplacementState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { phase: 'unreadable', detail: 'not JSON' };
  }
  const v = value as { version?: unknown; phase?: unknown; method?: unknown; pid?: unknown } | null;
  if (typeof v !== 'object' || v === null || v.version !== 1) return { phase: 'unreadable', detail: 'not version 1' };
  if (!PHASES.includes(v.phase as (typeof PHASES)[number])) return { phase: 'unreadable', detail: 'unknown phase' };
  if (!METHOD_PRIORITY.includes(v.method as AuthMethod)) return { phase: 'unreadable', detail: 'unknown method' };
  if (v.pid !== undefined && !(Number.isSafeInteger(v.pid) && (v.pid as number) > 0)) return { phase: 'unreadable', detail: 'pid is not a process id' };
  return { phase: v.phase as (typeof PHASES)[number], method: v.method as AuthMethod, ...(v.pid === undefined ? {} : { pid: v.pid as number }) };
}

/**
 * The "which set is current" marker of a credential replacement: one small file, replaced
 * atomically (fsync, rename, fsync of the folder), absent when no replacement is under way. A
 * file rather than a keychain item so that an ordinary run reads no extra keychain item (each
 * read is a `security` process; issue 19).
 */
export class FileReplacementJournal implements ReplacementJournal {
  /** `root` default: SUPERD_ROOT when the journal is used (not when the store was made). */
  constructor(private readonly root?: string) {}

  get file(): string {
    return hostPath(REPLACEMENT_JOURNAL, this.root ?? superdRoot());
  }

  async read(): Promise<ReplacementState | null> {
    const { closeSync, constants, fstatSync, lstatSync, openSync, readSync } = fs();
    let stat: Fs.Stats;
    try {
      stat = lstatSync(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      return { phase: 'unreadable', detail: (error as NodeJS.ErrnoException).code ?? 'cannot stat' };
    }
    if (!stat.isFile()) return { phase: 'unreadable', detail: 'not a regular file' };
    let fd: number;
    try {
      fd = openSync(this.file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    } catch (error) {
      return { phase: 'unreadable', detail: (error as NodeJS.ErrnoException).code ?? 'cannot open' };
    }
    try {
      if (!fstatSync(fd).isFile() || fstatSync(fd).size > MAX_BYTES) return { phase: 'unreadable', detail: 'not a small regular file' };
      const buffer = Buffer.alloc(MAX_BYTES + 1);
      const length = readSync(fd, buffer, 0, buffer.length, 0);
      return parseJournal(buffer.subarray(0, length).toString('utf8'));
    } finally {
      closeSync(fd);
    }
  }

  async write(state: { phase: 'staging' | 'committed' | 'done'; method: AuthMethod }): Promise<void> {
    // A symbolic link or other non-file in the way is removed, never written through (rename replaces the name).
    writeDurably(this.file, `${JSON.stringify({ version: 1, phase: state.phase, method: state.method, pid: process.pid })}\n`);
  }

  async clear(): Promise<void> {
    const { unlinkSync } = fs();
    try {
      unlinkSync(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    syncFolder(path.dirname(this.file));
  }
}
