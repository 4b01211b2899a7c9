import * as fs from 'node:fs';
import * as path from 'node:path';

/** A running `log stream` of this root: its process is alive and was started from the root's fake. */
function streamAlive(root: string, pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path.join(root, 'usr/bin/log'));
  } catch {
    return false;
  }
}

/** Every live stream has printed everything the fake unified log holds now. */
function caughtUp(root: string): boolean {
  const dir = path.join(root, '.fake', 'streams');
  let size: number;
  let names: string[];
  try {
    size = fs.statSync(path.join(root, '.fake', 'unified.log')).size;
    names = fs.readdirSync(dir);
  } catch {
    return true; // no log or no stream ever started: nothing to deliver
  }
  for (const name of names) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, name), 'utf8');
    } catch {
      continue; // the stream ended meanwhile
    }
    // '' while the stream is starting (it has not chosen its offset yet).
    if ((text === '' || Number(text) < size) && streamAlive(root, Number(name))) return false;
  }
  return true;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Resolves once every `log stream` running from the fake Mac at `root` has printed all entries
 * in the fake unified log, and this process has had the event-loop turns to read what they
 * printed (pipes to a child are written synchronously on Linux, so the bytes are already there).
 * Event-driven: each stream writes how far it printed into `.fake/streams/<pid>` (runtime/cmd-log.js),
 * and this waits on that folder with fs.watch. A stream that dies without ending (SIGKILL) is
 * noticed by the once-a-second re-check.
 */
export async function logDelivered(root: string): Promise<void> {
  if (!caughtUp(root)) {
    const dir = path.join(root, '.fake', 'streams');
    await new Promise<void>((resolve) => {
      let watcher: fs.FSWatcher | undefined;
      let timer: NodeJS.Timeout | undefined;
      const check = () => {
        if (!caughtUp(root)) return;
        watcher?.close();
        clearInterval(timer);
        resolve();
      };
      try {
        watcher = fs.watch(dir, check);
        watcher.on('error', check);
      } catch {
        // the folder went away with the root: the re-check below settles it
      }
      timer = setInterval(check, 1_000);
      check();
    });
  }
  // Two turns: the pipe read (poll phase) and the readline listeners it feeds.
  await nextTurn();
  await nextTurn();
}
