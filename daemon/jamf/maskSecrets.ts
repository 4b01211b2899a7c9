const MARK = '[REDACTED]';

/**
 * Replaces every occurrence of each secret in `text` with `[REDACTED]`. Insurance for text that
 * comes from the server (an error body that echoes a field) before it goes into an error message.
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(MARK);
  }
  return out;
}
