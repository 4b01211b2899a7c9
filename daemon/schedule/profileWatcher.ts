/**
 * Watches the managed-preferences folder for superd's profile (and SIGHUP), so a changed
 * configuration is picked up without a restart. Debounced: a profile install writes several times.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { hostPath, superdPaths } from '../host/paths';
import type { DaemonLog } from '../log/daemonLog';

const RELOAD_DEBOUNCE_MS = 2_000;

export function watchProfile(root: string, log: DaemonLog, onChange: (why: string) => void): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  const changed = (why: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => onChange(why), RELOAD_DEBOUNCE_MS);
  };
  const folder = path.dirname(hostPath(superdPaths.managedPreferences, root));
  let watcher: FSWatcher | undefined;
  if (existsSync(folder)) {
    watcher = watch(folder, (_event, name) => {
      if (name === null || String(name).startsWith('com.github.superd')) changed('managed preferences changed');
    });
  } else {
    log(`${folder} does not exist; profile changes are picked up at the next run`);
  }
  const onHup = () => changed('SIGHUP');
  process.on('SIGHUP', onHup);
  return {
    close() {
      clearTimeout(timer);
      watcher?.close();
      process.off('SIGHUP', onHup);
    },
  };
}
