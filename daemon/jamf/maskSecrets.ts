import { redactText } from '../log/redactText';

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

/**
 * A run of 32 or more base64, base64url or hex characters with both letters and digits: the shape
 * of a token, a client secret or a key, not of a word. Bounded repetition keeps it linear.
 */
const LONG_RUN = /(?<![A-Za-z0-9+/_=-])[A-Za-z0-9+/_-]{32,4096}={0,2}(?![A-Za-z0-9+/_=-])/g;

/** A UUID names an object (a plan, an API client id), it is not a secret. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function tokenLike(run: string): boolean {
  return /\d/.test(run) && /[A-Za-z]/.test(run) && !UUID.test(run);
}

/**
 * Redacts text that came from Jamf Pro (an error body, an OAuth `error_description`, an HTML page
 * summary) before it reaches an error message, a log line or the status file: the known
 * `secrets` first, then anything shaped like a secret superd does not know about — JWTs,
 * `Bearer …`, `client_secret=…` and other sensitive fields (log/redactText.ts), and long
 * base64 or hex runs. Only server text goes through this: superd's own words (paths, ids) stay.
 */
export function redactServerText(text: string, secrets: readonly string[]): string {
  const known = maskSecrets(text, secrets);
  return redactText(known).replace(LONG_RUN, (run) => (tokenLike(run) ? MARK : run));
}
