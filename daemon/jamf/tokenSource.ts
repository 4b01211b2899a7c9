import { JamfAuthError } from '../errors';
import { abortable } from './abort';
import type { JamfCredential } from './credentials';
import {
  invalidateToken, keepAlive, requestAccountToken, requestClientToken,
  type BearerToken, type InvalidateOutcome,
} from './tokenRequests';
import type { SendFn } from './transport';

export interface TokenSourceOptions {
  readonly credential: JamfCredential;
  readonly send: SendFn;
  /** Wall clock in ms; injected so tests can move time. */
  readonly now: () => number;
  /** Renew this long before expiry (capped at half the token's lifetime). Default 60 s. */
  readonly refreshMarginMs?: number;
  /** Told each new token, so the log redactor can mask it. */
  readonly onSecret?: (secret: string) => void;
}

export const DEFAULT_REFRESH_MARGIN_MS = 60_000;

/**
 * Holds one Jamf Pro bearer token at a time and renews it before it expires: a user token through
 * keep-alive (falling back to a new login if keep-alive is refused), an API-client token by asking
 * for a new one (client tokens cannot be kept alive, reference §1.2). Concurrent callers share a
 * single renewal. `invalidate()` ends the token on the server.
 */
export class TokenSource {
  #credential: JamfCredential;
  readonly #send: SendFn;
  readonly #now: () => number;
  readonly #marginMs: number;
  readonly #onSecret: ((secret: string) => void) | undefined;
  #current: BearerToken | undefined;
  #pending: Promise<BearerToken> | undefined;
  readonly #seen: string[] = [];

  constructor(options: TokenSourceOptions) {
    this.#credential = options.credential;
    this.#send = options.send;
    this.#now = options.now;
    this.#marginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    this.#onSecret = options.onSecret;
  }

  /** When the held token expires (local ms), or undefined when none is held. */
  get expiresAt(): number | undefined {
    return this.#current?.expiresAt;
  }

  /** The API client whose token is held or was last asked for (it changes after a failover). */
  get clientInUse(): string | undefined {
    return this.#credential.kind === 'client' ? this.#credential.clientId : undefined;
  }

  /** The last few token values this source has held (masked out of error messages). */
  get secrets(): readonly string[] {
    return this.#seen;
  }

  /** A token that is not about to expire, renewing the held one first when it is. */
  async token(signal?: AbortSignal): Promise<string> {
    const current = this.#current;
    if (current && !this.#pending && this.#now() < this.#refreshAt(current)) return current.value;
    return (await abortable(this.#renewShared('refresh'), signal)).value;
  }

  /**
   * Replaces a token the server rejected (401). When another caller has already replaced it,
   * the replacement is returned without a new request.
   */
  async reauthenticate(rejected: string, signal?: AbortSignal): Promise<string> {
    if (this.#pending) await abortable(this.#pending.catch(() => undefined), signal);
    if (this.#current && this.#current.value !== rejected) return this.#current.value;
    this.#current = undefined;
    return (await abortable(this.#renewShared('replace'), signal)).value;
  }

  /** Ends the held token on the server. The token is forgotten whatever the outcome. */
  async invalidate(signal?: AbortSignal): Promise<InvalidateOutcome> {
    if (this.#pending) await abortable(this.#pending.catch(() => undefined), signal);
    const token = this.#current;
    this.#current = undefined;
    if (!token) return 'none';
    if (this.#now() >= token.expiresAt) return 'expired';
    return invalidateToken(this.#send, token, this.#credential, signal);
  }

  #refreshAt(token: BearerToken): number {
    const lifetime = token.expiresAt - token.issuedAt;
    return token.expiresAt - Math.min(this.#marginMs, lifetime / 2);
  }

  #renewShared(mode: 'refresh' | 'replace'): Promise<BearerToken> {
    // The renewal runs without any one caller's signal (the transport timeout bounds it), so a
    // caller that gives up does not fail the others waiting for the same token.
    this.#pending ??= this.#renew(mode).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #renew(mode: 'refresh' | 'replace'): Promise<BearerToken> {
    const old = this.#current;
    try {
      return this.#adopt(await this.#obtain(mode, old));
    } catch (error) {
      // A proactive renewal that failed for a passing reason (server busy, connection reset)
      // leaves the held token usable until it really expires; the next call tries again.
      // A rejected credential is never hidden this way.
      const stillValid = mode === 'refresh' && old !== undefined && this.#current === old && this.#now() < old.expiresAt;
      if (stillValid && !(error instanceof JamfAuthError)) return old;
      throw error;
    }
  }

  async #obtain(mode: 'refresh' | 'replace', old: BearerToken | undefined): Promise<BearerToken> {
    const credential = this.#credential;
    if (mode === 'refresh' && old?.kind === 'account' && this.#now() < old.expiresAt) {
      const kept = await keepAlive(this.#send, old, credential, this.#now);
      if (kept) return kept;
      this.#current = undefined; // keep-alive refused: the old token is dead
    }
    return credential.kind === 'client'
      ? this.#clientToken(credential)
      : requestAccountToken(this.#send, credential, this.#now);
  }

  /**
   * A client token; when Jamf Pro refuses the client and a second one is held, a token for that
   * one, which is then the client in use (also for invalidate). One request each, never repeated.
   */
  async #clientToken(credential: Extract<JamfCredential, { kind: 'client' }>): Promise<BearerToken> {
    try {
      return await requestClientToken(this.#send, credential, this.#now);
    } catch (error) {
      const other = credential.alternate;
      if (!(error instanceof JamfAuthError) || !other) throw error;
      const swapped = { kind: 'client' as const, clientId: other.clientId, clientSecret: other.clientSecret, alternate: { clientId: credential.clientId, clientSecret: credential.clientSecret } };
      const token = await requestClientToken(this.#send, swapped, this.#now);
      this.#credential = swapped;
      return token;
    }
  }

  #adopt(next: BearerToken): BearerToken {
    this.#current = next;
    this.#seen.push(next.value);
    if (this.#seen.length > 8) this.#seen.shift();
    this.#onSecret?.(next.value);
    return next;
  }
}
