/**
 * A `--require` module that keeps a Node process from ending on its own: once its work is done
 * (the event loop is empty, 'beforeExit'), it waits until a signal ends it. For a test that
 * kills a real process when it reaches its last state (test/lifecycle/killSweep.test.ts): the
 * kill then always lands, in the process's last steps or after them, however quickly it would
 * have ended. What the process leaves on disk is what a kill -9 just before its exit leaves
 * ('exit' handlers do not run, as under any SIGKILL). process.exit() still ends it at once.
 * The test must kill the process (or stop it with another signal) itself.
 */
process.once('beforeExit', () => {
  setInterval(() => undefined, 1 << 30);
});
