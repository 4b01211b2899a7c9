import * as path from 'node:path';
import { InternalError } from '../errors';

/**
 * The macOS boundary (design.md §3): every absolute macOS path superd reads, writes or
 * executes is resolved under `SUPERD_ROOT` (default `/`). Production leaves it unset.
 */
export function superdRoot(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.SUPERD_ROOT;
  return root && root.trim() !== '' ? path.resolve(root) : '/';
}

/** Resolves an absolute macOS path (`/usr/bin/security`) under the root. */
export function hostPath(macPath: string, root: string = superdRoot()): string {
  if (!macPath.startsWith('/')) {
    throw new InternalError(`hostPath expects an absolute macOS path, got "${macPath}"`);
  }
  return root === '/' ? path.normalize(macPath) : path.join(root, macPath);
}

/** superd's own folder and files under the root. */
export const superdPaths = {
  folder: '/Library/Management/superd',
  savedSettings: '/Library/Management/superd/com.github.superd.plist',
  status: '/Library/Management/superd/status.plist',
  lock: '/Library/Management/superd/superd.lock',
  logs: '/Library/Management/superd/logs',
  managedPreferences: '/Library/Managed Preferences/com.github.superd.plist',
  superManagedPreferences: '/Library/Managed Preferences/com.macjutsu.super.plist',
  jamfPreferences: '/Library/Preferences/com.jamfsoftware.jamf.plist',
} as const;
