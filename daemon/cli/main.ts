#!/usr/bin/env node
/**
 * superd's entry point: the only top-level catch, and the one place an exit status is chosen.
 * Each subcommand is required lazily (type-only imports above, `require` at the call), so
 * `superd --version` loads nothing it does not need.
 */
import * as nodeModule from 'node:module';
import { processOutput, type Output } from './output';
import type * as BuildInfo from '../buildInfo';
import type * as Help from './help';
import type * as Status from './commands/status';
import type * as Run from './commands/run';
import type * as Credentials from './commands/credentials';
import type * as Daemon from './commands/daemon';
import type * as JamfRotate from './commands/jamfRotate';
import type * as Errors from '../errors';
import type * as Doctor from './commands/doctor';

import type * as MigrateFromSuper from './commands/migrateFromSuper';
import type * as Report from './reportError';
import type * as ExitStatusModule from '../exitStatus';

import { jamfPolicyArgs } from './jamfPolicyArgs';

// Node's on-disk compile cache makes repeated cold starts cheaper (Node ≥ 22.1).
nodeModule.enableCompileCache?.();


/** super's one-letter options (-V, -T, …): `superd -V` is `superd run -V`; parseOptions says which exist. */
const SHORT_OPTION = /^-[A-Za-z]$/;

/**
 * The message for a first argument that is neither a command nor an option. It is echoed only
 * when it looks like a command word: anything else (`auth-jamf-secret=…` without its dashes, a
 * value on its own) may be a secret, and stderr reaches Jamf Pro's policy logs.
 */
function unknownCommand(first: string): string {
  if (/^[a-z][a-z0-9-]{0,39}$/.test(first)) return `unknown command "${first}"; see superd --help`;
  return 'the first argument is neither a superd command nor an option (options begin with two dashes: --name=value); it is not repeated here because it may hold a secret; see superd --help';
}

/** Runs the CLI and returns the exit status; never calls process.exit itself. */
export async function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  const [first, ...rest] = argv;
  try {
    switch (first) {
      case '--version':
      case 'version': {
        const { SUPERD_VERSION } = require('../buildInfo') as typeof BuildInfo;
        output.out(`superd ${SUPERD_VERSION}`);
        return 0;
      }
      case '--help':
      case '-h':
      case 'help': {
        const { helpText } = require('./help') as typeof Help;
        output.out(helpText());
        return 0;
      }
      case 'status': {
        const { statusCommand } = require('./commands/status') as typeof Status;
        return await statusCommand(rest, output);
      }
      case 'daemon': {
        const { daemonCommand } = require('./commands/daemon') as typeof Daemon;
        return await daemonCommand(rest, output);
      }
      case 'jamf-account': {
        const { jamfAccountCommand } = require('./commands/jamfRotate') as typeof JamfRotate;
        return await jamfAccountCommand(rest, output);
      }
      case 'jamf-client': {
        const { jamfClientCommand } = require('./commands/jamfRotate') as typeof JamfRotate;
        return await jamfClientCommand(rest, output);
      }
      case 'credentials': {
        const { credentialsCommand } = require('./commands/credentials') as typeof Credentials;
        return await credentialsCommand(rest, output);
      }
      case 'doctor': {
        const { doctorCommand } = require('./commands/doctor') as typeof Doctor;
        return await doctorCommand(rest, output);
      }

      case 'migrate-from-super':
        return await (require('./commands/migrateFromSuper') as typeof MigrateFromSuper).migrateFromSuperCommand(rest, output);
      case 'run': {
        const { runCommand } = require('./commands/run') as typeof Run;
        return await runCommand(rest, output);
      }
      case undefined: {
        const { runCommand } = require('./commands/run') as typeof Run;
        return await runCommand([], output);
      }
      default: {
        if (first.startsWith('--') || SHORT_OPTION.test(first) || jamfPolicyArgs(argv).fromJamfPolicy) {
          // `superd [run] [OPTIONS]`, including super's one-letter forms (-V) and a Jamf Pro policy's `/ computer user --opt…`.
          const { runCommand } = require('./commands/run') as typeof Run;
          return await runCommand(argv, output);
        }
        const { UsageError } = require('../errors') as typeof Errors;
        throw new UsageError(unknownCommand(first));
      }
    }
  } catch (error) {
    const { reportError } = require('./reportError') as typeof Report;
    return reportError(error, output);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
    },
    () => {
      // main() reports every error itself; a rejection here is a defect in reporting.
      process.exitCode = (require('../exitStatus') as typeof ExitStatusModule).ExitStatus.internal;
    },
  );
}
