import { classifyConnectionFailure } from './refusal';

/** What went wrong below HTTP, in words an admin can act on. */
export interface ConnectionFailure {
  /** The error code (`ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`, `timeout`…), or `unknown`. */
  readonly code: string;
  readonly description: string;
  /** Worth another try within the run for idempotent calls (refusal.ts decides). */
  readonly transient: boolean;
  /** The server's certificate was not trusted or does not name the host. */
  readonly tls: boolean;
}

const TLS_HINT =
  'if your organisation\'s CA issued the certificate, run superd with --use-system-ca (trust the System keychain) or NODE_EXTRA_CA_CERTS';

/** Descriptions by code; whether a failure is retried comes from refusal.ts, not from here. */
const KNOWN: Record<string, string> = {
  ENOTFOUND: 'the host name does not resolve (DNS)',
  EAI_AGAIN: 'the host name could not be resolved right now (DNS)',
  ECONNREFUSED: 'the connection was refused (is Jamf Pro running on that port?)',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
  UND_ERR_SOCKET: 'the server closed the connection',
  EHOSTUNREACH: 'the host is unreachable (network or VPN down?)',
  ENETUNREACH: 'the network is unreachable (offline?)',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the server did not answer in time',
  UND_ERR_BODY_TIMEOUT: 'the server stopped sending its answer',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate does not name this host (the wrong server URL, or a TLS-inspecting proxy in between?)',
  DEPTH_ZERO_SELF_SIGNED_CERT: `its TLS certificate is self-signed and not trusted; ${TLS_HINT}`,
  SELF_SIGNED_CERT_IN_CHAIN: `its TLS certificate chain ends in an untrusted CA; ${TLS_HINT}`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: `its TLS certificate cannot be verified; ${TLS_HINT}`,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: `its TLS certificate's issuer is not trusted; ${TLS_HINT}`,
  CERT_NOT_YET_VALID: 'its TLS certificate is not valid yet (is this Mac\'s clock right?)',
  UND_ERR_CLOSED: 'the connection was closed',
  timeout: 'no answer in time',
};

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; errors?: unknown[]; cause?: unknown };
  if (typeof e.code === 'string' && e.code !== 'UND_ERR') return e.code;
  // Happy-eyeballs connects fail with an AggregateError of one error per address.
  if (Array.isArray(e.errors)) for (const inner of e.errors) { const c = codeOf(inner); if (c) return c; }
  return e.cause !== undefined && e.cause !== error ? codeOf(e.cause) : undefined;
}

/** Describes a connection-level error thrown by undici or Node's net/tls layers. */
export function describeConnectionFailure(error: unknown): ConnectionFailure {
  const code = codeOf(error) ?? 'unknown';
  const { retryInRun, tls } = classifyConnectionFailure(code);
  const known = KNOWN[code];
  if (known) return { code, description: known, transient: retryInRun, tls };
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return { code, description: code === 'unknown' ? message || 'unknown error' : `${code}: ${message}`, transient: retryInRun, tls };
}
