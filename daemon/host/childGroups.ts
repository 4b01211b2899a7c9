/**
 * The commands superd has started and not yet seen exit. A run that ends, or is told to stop
 * (SIGTERM, SIGINT), ends them too, so no `log stream` or hanging command outlives superd.
 * What cannot be covered here (kill -9 of superd) is in docs/decisions.md ("Children die with
 * superd").
 */
const live = new Map<number, boolean>();
let exitHook = false;

/**
 * Records a running child; `group`: it leads its own process group (spawned `detached`), so
 * the whole group is signalled. Returns the call that forgets it (when it has exited).
 */
export function trackChild(pid: number | undefined, group: boolean): () => void {
  if (pid === undefined) return () => undefined;
  live.set(pid, group);
  if (!exitHook) {
    exitHook = true;
    // 'exit' runs synchronously, as kill() is. A child still listed here was not stopped by its owner.
    process.once('exit', () => signalChildren('SIGKILL'));
  }
  return () => live.delete(pid);
}

/** Sends `signal` to every tracked child (its group when it leads one); returns how many were signalled. */
export function signalChildren(signal: NodeJS.Signals): number {
  let sent = 0;
  for (const [pid, group] of live) {
    try {
      process.kill(group ? -pid : pid, signal);
      sent += 1;
    } catch {
      live.delete(pid); // already gone
    }
  }
  return sent;
}

/** How many children are tracked now (tests, diagnostics). */
export function trackedChildren(): number {
  return live.size;
}
