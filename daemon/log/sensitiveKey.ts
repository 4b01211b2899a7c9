/**
 * Words that make a field name sensitive wherever they appear in it: `password`,
 * `jamfPassword`, `client_secret`, `AuthJamfSecret`, `access_token`, `Set-Cookie`.
 */
const SENSITIVE_WORDS = new Set([
  'password',
  'passwords',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'authorization',
  'cookie',
  'cookies',
]);

/** Adjacent word pairs that are sensitive together: `apiKey`, `x-api-key`, `private_key`. */
const SENSITIVE_PAIRS = new Set(['apikey', 'privatekey', 'secretkey', 'accesskey', 'sessionid']);

/**
 * A last word that turns a sensitive-looking name into a description of the secret rather than
 * the secret itself, so that `token_type`, `tokenExpiresAt`, `secretLength` or `passwordSource`
 * stay readable in the log.
 */
const DESCRIPTIVE_LAST_WORDS = new Set([
  'type',
  'kind',
  'name',
  'names',
  'expires',
  'expiry',
  'expiration',
  'expired',
  'at',
  'in',
  'ttl',
  'age',
  'length',
  'count',
  'status',
  'state',
  'source',
  'method',
  'store',
  'valid',
  'present',
  'required',
  'url',
  'uri',
  'endpoint',
  'path',
  'file',
  'policy',
]);

/** Splits `clientSecret`, `client_secret`, `X-API-Key`, `AuthJamfSecret` into lower-case words. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/**
 * Whether the value of a field with this name is a secret whatever it contains: names built on
 * password, passwd, passphrase, secret, token, authorization or cookie (any case, camelCase,
 * snake_case or kebab-case), `apiKey`-like pairs, and the bare `auth` (Node's `user:password`).
 */
export function isSensitiveKey(key: string): boolean {
  const words = keyWords(key);
  if (words.length === 0) return false;
  if (words.length === 1 && words[0] === 'auth') return true;
  const last = words[words.length - 1] ?? '';
  if (words.length > 1 && DESCRIPTIVE_LAST_WORDS.has(last)) return false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (SENSITIVE_WORDS.has(word)) return true;
    const next = words[i + 1];
    if (next !== undefined && SENSITIVE_PAIRS.has(word + next)) return true;
  }
  return false;
}
