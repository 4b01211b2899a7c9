/**
 * A `--require` module for a real superd process on the fake Mac:
 *
 *   node --require dist/test/sim/mac/inProcessPreload.js dist/daemon/cli/main.js run …
 *
 * makes that process run the fake macOS commands inside itself (createInProcessRunCommand: the
 * same handlers a launcher runs, without a Node process per command), the way openRunWorld does
 * for a run in the test's own process. superd itself is unchanged: every place that builds its
 * command runner calls daemon/host/runCommand's `createRunCommand` through the module's exports
 * (compiled CommonJS), which this replaces before main.js loads; files that are not launchers of
 * the fake Mac, and `log stream`, still run as real processes.
 *
 * For tests whose property needs a real superd process (a kill -9 and what it leaves on disk,
 * test/lifecycle/killSweep.test.ts) but not a real process per macOS command. What differs from
 * a process per command: a fake still running when superd is killed dies with it (a real one
 * would finish or hang on as an orphan); such a test must not depend on a fake outliving superd.
 */
import runCommandModule = require('../../../daemon/host/runCommand');
import { superdRoot } from '../../../daemon/host/paths';
import { createInProcessRunCommand } from './inProcessRunner';

type CreateRunCommand = typeof runCommandModule.createRunCommand;

const spawning: CreateRunCommand = runCommandModule.createRunCommand;
const inProcess: CreateRunCommand = (root: string = superdRoot()) => createInProcessRunCommand(root, { fallback: spawning(root) });
(runCommandModule as { createRunCommand: CreateRunCommand }).createRunCommand = inProcess;
