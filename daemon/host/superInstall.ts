import { serviceLoadedStrict } from './launchctl';
import { hostPath } from './paths';
import type { RunCommand } from './runCommand';

/**
 * super (Macjutsu/super) on this Mac. Label and paths from super's own installer
 * (`Macjutsu/super:super` L3600–L3701, summarised in reference/super-behaviour.md §6.2–6.3):
 * the LaunchDaemon `/Library/LaunchDaemons/com.macjutsu.super.plist` with `Label`
 * com.macjutsu.super runs `/Library/Management/super/super-starter` every 60 s, and super keeps
 * its local settings and state in `/Library/Management/super/com.macjutsu.super.plist` (options
 * persisted under the same key names as its profile, plus status keys such as `SuperStatus`).
 * Uninstallers list the same LaunchDaemon path (Installomator-style `appLaunchDaemons` entry).
 */
export const SUPER_LABEL = 'com.macjutsu.super';
export const superPaths = {
  launchDaemon: '/Library/LaunchDaemons/com.macjutsu.super.plist',
  folder: '/Library/Management/super',
  settings: '/Library/Management/super/com.macjutsu.super.plist',
} as const;

/** Whether super's LaunchDaemon is loaded now (the precondition: super would push updates too). */
export function superDaemonLoaded(run: RunCommand, signal?: AbortSignal): Promise<boolean> {
  return serviceLoadedStrict(run, SUPER_LABEL, signal);
}
