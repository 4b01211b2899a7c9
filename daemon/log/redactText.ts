import { REDACTED } from './redacted';
import type { SecretRegistry } from './secretRegistry';
import { isSensitiveKey } from './sensitiveKey';

/**
 * Credential headers, as written by HTTP dumps, curl commands, util.inspect and JSON. A known
 * scheme is kept (`Authorization: Basic [REDACTED]`); any other value is redacted to the end of
 * the line, since an unknown scheme may carry its credential in several parameters.
 */
const CREDENTIAL_HEADER =
  /\b(authorization|cookie|set-cookie|x-api-key|x-auth-token)(["']?[ \t]*[:=][ \t]*["']?)(?:(basic|bearer|token|jwt|dpop)[ \t]+[^\s"'\\,;]+|[^\r\n"'\\]+)/gi;

/** `Bearer <token>` anywhere, as RFC 6750 spells the token. */
const BEARER = /\b(bearer)([ \t]+)([A-Za-z0-9\-._~+/]+=*)/gi;

/** A JSON Web Token: base64url `{"...` header and payload, then a signature. */
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{1,8192}\.eyJ[A-Za-z0-9_-]{1,16384}\.[A-Za-z0-9_-]*/g;

// Repetitions are bounded so that no input makes a pattern quadratic.

/**
 * A quoted value after a field name: `"token":"..."` (JSON), `password: '...'` (util.inspect),
 * `secret="..."` (logfmt, shell). Only names that {@link isSensitiveKey} accepts are redacted.
 */
const QUOTED_FIELD = /(?<![\w$.-])(["']?)([A-Za-z_$-][\w$.-]{0,127})\1([ \t]*[:=][ \t]*)(["'])((?:(?!\4)[^\\\r\n]|\\.){0,16384})\4/g;

/** The same inside a JSON string that holds JSON: `{\"token\":\"...\"}`. */
const ESCAPED_JSON_FIELD = /\\"([\w$.-]{1,128})\\"([ \t]*:[ \t]*)\\"((?:(?!\\")[^\r\n]){0,16384})\\"/g;

/** An unquoted value after `=`: form bodies, query strings, command-line options. */
const BARE_FIELD = /(?<![\w$.[\]-])([A-Za-z_$-][\w$.[\]-]{0,127})=([^\s&"',;<>]+)/g;

/** The password in `scheme://user:password@host`. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]{0,31}:\/\/[^\s/?#@:]{0,256}:)([^\s/?#@]{1,1024})@/gi;

/** A value that is already nothing but a marker, perhaps after its scheme (`Basic [REDACTED]`). */
const ALREADY_REDACTED = /^(?:(?:basic|bearer|token|jwt|dpop) )?\[REDACTED\]$/i;

/** Real bearer tokens are long and rarely all letters; prose such as "Bearer token" is not one. */
function looksLikeToken(token: string): boolean {
  return token.length >= 16 || (token.length >= 8 && /\d/.test(token));
}

/**
 * Redacts one string: every registered secret (in any of its encoded forms), then bearer
 * tokens, credential headers, JWTs, and the values of sensitive fields written as JSON, logfmt,
 * form or query text, and URL passwords. Pure; never throws for string input.
 */
export function redactText(text: string, registry?: SecretRegistry): string {
  let out = registry ? registry.mask(text) : text;
  out = out.replace(CREDENTIAL_HEADER, (_match, name: string, separator: string, scheme: string | undefined) =>
    scheme ? `${name}${separator}${scheme} ${REDACTED}` : `${name}${separator}${REDACTED}`,
  );
  out = out.replace(BEARER, (match, word: string, space: string, token: string) =>
    looksLikeToken(token) ? `${word}${space}${REDACTED}` : match,
  );
  out = out.replace(JWT, REDACTED);
  out = out.replace(QUOTED_FIELD, (match, keyQuote: string, key: string, separator: string, quote: string, value: string) =>
    value !== '' && !ALREADY_REDACTED.test(value) && isSensitiveKey(key) ? `${keyQuote}${key}${keyQuote}${separator}${quote}${REDACTED}${quote}` : match,
  );
  out = out.replace(ESCAPED_JSON_FIELD, (match, key: string, separator: string, value: string) =>
    value !== '' && !ALREADY_REDACTED.test(value) && isSensitiveKey(key) ? `\\"${key}\\"${separator}\\"${REDACTED}\\"` : match,
  );
  out = out.replace(BARE_FIELD, (match, key: string, value: string) =>
    !ALREADY_REDACTED.test(value) && isSensitiveKey(key) ? `${key}=${REDACTED}` : match,
  );
  out = out.replace(URL_PASSWORD, `$1${REDACTED}@`);
  // Masking again catches a secret that a replacement above joined back together.
  return registry && out !== text ? registry.mask(out) : out;
}
