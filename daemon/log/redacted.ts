/** What every redacted secret, token or sensitive field value becomes in every log output. */
export const REDACTED = '[REDACTED]';
