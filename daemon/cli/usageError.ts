import { ConfigError } from '../errors';

/** A command line superd cannot make sense of: exit 64. */
export class UsageError extends ConfigError {
  constructor(message: string) {
    super([{ subject: 'usage', message }], 'options');
    this.name = 'UsageError';
  }
}
