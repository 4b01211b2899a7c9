/**
 * Waiting for what a real process does. A limit only turns a hang into a message that says what
 * was awaited, before jest's own timeout; it is generous because a slow, busy machine must not
 * fail here (issue 19: the suite holds beside eight busy loops).
 */

const describeWait = (what: string | (() => string)) => (typeof what === 'string' ? what : what());

/** Polls `condition` every 50 ms until it holds; fails naming `what` after `limitMs`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string | (() => string), limitMs = 100_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${describeWait(what)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Awaits `promise`; fails naming `what` (evaluated then: a log, a process's stderr) after `limitMs`. */
export async function within<T>(promise: Promise<T>, what: string | (() => string), limitMs = 120_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out (${limitMs / 1000} s) waiting for ${describeWait(what)}`)), limitMs);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}
