/**
 * The options shared by the commands that act with a privileged Jamf Pro credential
 * (`jamf-account rotate`, `jamf-client rotate-secret`, `credentials heartbeat`): `--name=value`
 * flags, and secrets read from standard input one per line, never from the arguments.
 */
import type { JamfCredential } from '../jamf/credentials';
import { UsageError } from '../errors';

export const VALUE_FLAGS = ['url', 'target-account', 'client-id', 'privileged-client', 'privileged-account', 'password-file', 'if-older-than', 'length', 'exclude', 'sets', 'min-per-set'] as const;
export const BOOLEAN_FLAGS = ['generate', 'new-password-stdin', 'show-password', 'json'] as const;
export type Flags = Partial<Record<(typeof VALUE_FLAGS)[number], string>> & Partial<Record<(typeof BOOLEAN_FLAGS)[number], boolean>>;

/** Parses `--name=value`, `--name value` and `--switch`; anything not in `allowed` is a usage error. */
export function parseFlags(args: readonly string[], allowed: readonly string[]): Flags {
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(args[i]!);
    const name = m?.[1];
    if (!m || !name || !allowed.includes(name)) throw new UsageError(`${describeArgument(args[i]!, i)}; expected ${allowed.map((a) => `--${a}`).join(', ')}`);
    if ((BOOLEAN_FLAGS as readonly string[]).includes(name)) {
      if (m[2] !== undefined) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
    } else {
      const value = m[2] ?? args[++i];
      if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
      flags[name] = value;
    }
  }
  return flags as Flags;
}

/**
 * An unknown argument, named without echoing anything that may be a secret: only the name of
 * something shaped like an option (`--name`, before any `=`); otherwise its position.
 */
function describeArgument(arg: string, index: number): string {
  const name = /^--[A-Za-z0-9-]{1,40}(?==|$)/.exec(arg)?.[0];
  return name ? `unknown option ${JSON.stringify(name)}` : `argument ${index + 1} is not an option (not repeated here: it may hold a secret)`;
}

export async function stdinLines(stdin: NodeJS.ReadableStream): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
}

/** Whether the command line names a privileged credential at all. */
export function namesPrivileged(flags: Flags): boolean {
  return Boolean(flags['privileged-client'] || flags['privileged-account']);
}

export function privilegedFrom(flags: Flags, secret: string): JamfCredential {
  if (flags['privileged-client'] && flags['privileged-account']) throw new UsageError('give --privileged-client or --privileged-account, not both');
  if (flags['privileged-client']) return { kind: 'client', clientId: flags['privileged-client'], clientSecret: secret };
  if (flags['privileged-account']) return { kind: 'account', username: flags['privileged-account'], password: secret };
  throw new UsageError('--privileged-client=ID or --privileged-account=NAME is required (its secret on the first line of standard input)');
}
