import { Agent } from 'undici';

export interface JamfAgentOptions {
  /** Extra CA certificates to trust (PEM), e.g. the simulator's CA in integration tests. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Concurrent connections to the server. Jamf recommends at most 5 (reference §8.1). */
  readonly connections?: number;
  readonly connectTimeoutMs?: number;
}

/** The production dispatcher for JamfClient: bounded connections, short keep-alive, connect timeout. */
export function createJamfAgent(options: JamfAgentOptions = {}): Agent {
  return new Agent({
    connections: options.connections ?? 5,
    keepAliveTimeout: 10_000,
    connect: {
      timeout: options.connectTimeoutMs ?? 10_000,
      ...(options.ca !== undefined && { ca: options.ca as string | Buffer | (string | Buffer)[] }),
    },
  });
}
