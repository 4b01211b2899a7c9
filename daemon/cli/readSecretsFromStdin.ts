import { credentialOptions, type CredentialOption } from '../config/credentialOptions';
import { UsageError } from '../errors';

/**
 * Replaces each secret option given as `-` with one line of standard input, in the order the
 * options were given, so a secret need not appear in the process arguments.
 */
export async function readSecretsFromStdin(
  credentials: Partial<Record<CredentialOption, string>>,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<void> {
  const wanted = (Object.keys(credentials) as CredentialOption[]).filter((o) => credentials[o] === '-' && credentialOptions[o].secret);
  if (wanted.length === 0) return;
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  const lines = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  wanted.forEach((option, i) => {
    const line = lines[i];
    if (line === undefined || line === '') {
      throw new UsageError(`--${option}=- expects the secret on line ${i + 1} of standard input, which is empty`);
    }
    credentials[option] = line;
  });
}
