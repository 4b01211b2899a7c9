import { ConfigError, SuperdError } from '../errors';
import { exitStatusFor } from '../exitStatus';
import type { Output } from './output';

/** Prints an error for an admin and returns its exit status (design.md §10). */
export function reportError(error: unknown, output: Output): number {
  const status = exitStatusFor(error);
  if (error instanceof ConfigError) {
    const noun = error.source === 'options' ? 'Invalid options' : 'Invalid configuration';
    output.err(`superd: ${noun}; nothing was saved or changed:`);
    for (const issue of error.issues) output.err(`  - ${issue.subject} ${issue.message}`);
  } else if (error instanceof SuperdError && error.code !== 'SUPERD_ERR_INTERNAL') {
    output.err(`superd: ${error.message} [${error.code}]`);
  } else {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    output.err(`superd: internal error (this is a bug; please report it with the lines below):\n${detail}`);
  }
  return status;
}
