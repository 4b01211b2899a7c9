#!/usr/bin/env node
/**
 * `superd run` (or `superd credentials heartbeat`) as a process of its own, as
 * dist/daemon/cli/main.js runs it (the same command function, the same top-level catch and exit
 * status), except that the fake Mac's macOS commands run inside this process
 * (createInProcessRunCommand: the same handlers, no Node process per command). superd spawns
 * `log stream` itself, so that stays a real child of this process, tracked as on a Mac
 * (daemon/host/childGroups.ts). For real-process tests whose property lies between processes
 * (the run lock, signals, process groups), not in the commands' own processes: a run to its plan
 * is then one Node start instead of about twenty.
 *
 *   node dist/test/sim/mac/superdProcess.js run [OPTIONS]      (SUPERD_ROOT names the fake Mac)
 *
 * A daemon's worker too: with SUPERD_DAEMON_WORKER=<this file> the daemon starts `<this file> run`
 * (or `heartbeat`) in its own process group (daemon/schedule/workerProcess.ts).
 */
import * as nodeModule from 'node:module';
import { credentialsCommand } from '../../../daemon/cli/commands/credentials';
import { runCommand } from '../../../daemon/cli/commands/run';
import { processOutput } from '../../../daemon/cli/output';
import { reportError } from '../../../daemon/cli/reportError';
import { UsageError } from '../../../daemon/errors';
import { ExitStatus } from '../../../daemon/exitStatus';
import { superdRoot } from '../../../daemon/host/paths';
import { createInProcessRunCommand } from './inProcessRunner';

// As main.ts: Node's on-disk compile cache makes repeated cold starts cheaper.
nodeModule.enableCompileCache?.();

async function superdWithInProcessFakes(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  try {
    const deps = { runCommand: createInProcessRunCommand(superdRoot()) };
    if (first === 'run') return await runCommand(rest, processOutput, deps);
    if (first === 'heartbeat') return await credentialsCommand(['heartbeat', ...rest], processOutput, deps);
    if (first === 'credentials') return await credentialsCommand(rest, processOutput, deps);
    throw new UsageError(`test/sim/mac/superdProcess: only run, heartbeat and credentials are supported; got ${JSON.stringify(first ?? '')}`);
  } catch (error) {
    return reportError(error, processOutput);
  }
}

superdWithInProcessFakes(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  () => {
    process.exitCode = ExitStatus.internal;
  },
);
