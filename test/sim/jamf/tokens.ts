import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** A bearer token the simulator issued: a user token (from /v1/auth/token) or a client-credentials token. */
export interface TokenRecord {
  uuid: string;
  kind: 'user' | 'client';
  /** Account id (user tokens) or API client numeric id (client tokens). */
  principalId: number;
  /** Role ids fixed at issuance (client tokens); privileges are looked up from them at request time. */
  roleIds: number[];
  issuedAt: number;
  expiresAt: number;
  invalidated: boolean;
  token: string;
}

export type TokenCheck = { ok: true; record: TokenRecord } | { ok: false; reason: 'unknown' | 'invalidated' | 'expired' };

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/**
 * Mints JWT-shaped tokens with the claims Jamf Pro puts in them (reference §1.6),
 * signed with a per-simulator HMAC key, and remembers them so they can be
 * expired, invalidated and refreshed.
 */
export class TokenStore {
  private readonly key = randomBytes(32);
  private readonly byUuid = new Map<string, TokenRecord>();

  constructor(private readonly now: () => number, private readonly issuer: () => string) {}

  issueUser(accountId: number, lifetimeSeconds: number): TokenRecord {
    const issuedAt = this.now();
    const expiresAt = issuedAt + lifetimeSeconds * 1000;
    const uuid = randomUUID();
    const payload = {
      'authenticated-app': 'GENERIC',
      'authentication-type': 'JSS',
      groups: [],
      'subject-type': 'JSS_USER_ID',
      'token-uuid': uuid,
      'ldap-server-id': -1,
      sub: String(accountId),
      exp: Math.floor(expiresAt / 1000),
    };
    return this.remember({ uuid, kind: 'user', principalId: accountId, roleIds: [], issuedAt, expiresAt, invalidated: false, token: this.sign('HS512', payload) });
  }

  issueClient(clientNumericId: number, clientId: string, roleIds: number[], lifetimeSeconds: number): TokenRecord {
    const issuedAt = this.now();
    const expiresAt = issuedAt + lifetimeSeconds * 1000;
    const uuid = randomUUID();
    const iat = Math.floor(issuedAt / 1000);
    const payload = {
      sub: clientId,
      aud: clientId,
      nbf: iat,
      'subject-type': 'REGISTERED_CLIENT_ID',
      scope: roleIds.map((id) => `api-role:${id}`),
      iss: this.issuer(),
      'authentication-type': 'CLIENT_CREDENTIALS',
      exp: Math.floor(expiresAt / 1000),
      iat,
      'token-uuid': uuid,
    };
    return this.remember({ uuid, kind: 'client', principalId: clientNumericId, roleIds, issuedAt, expiresAt, invalidated: false, token: this.sign('HS256', payload) });
  }

  check(token: string): TokenCheck {
    const record = this.lookup(token);
    if (!record) return { ok: false, reason: 'unknown' };
    if (record.invalidated) return { ok: false, reason: 'invalidated' };
    if (this.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, record };
  }

  invalidate(record: TokenRecord): void {
    record.invalidated = true;
  }

  /** Make every token issued so far expired (a long pause, or a server restart with a short lifetime). */
  expireAll(): number {
    const now = this.now();
    let n = 0;
    for (const r of this.byUuid.values()) {
      if (!r.invalidated && r.expiresAt > now) {
        r.expiresAt = now;
        n++;
      }
    }
    return n;
  }

  invalidateForAccount(accountId: number): void {
    for (const r of this.byUuid.values()) if (r.kind === 'user' && r.principalId === accountId) r.invalidated = true;
  }

  all(): TokenRecord[] {
    return [...this.byUuid.values()];
  }

  private remember(r: TokenRecord): TokenRecord {
    this.byUuid.set(r.uuid, r);
    return r;
  }

  private sign(alg: 'HS256' | 'HS512', payload: object): string {
    const head = b64url(JSON.stringify({ alg }));
    const body = b64url(JSON.stringify(payload));
    const mac = createHmac(alg === 'HS256' ? 'sha256' : 'sha512', this.key).update(`${head}.${body}`).digest();
    return `${head}.${body}.${b64url(mac)}`;
  }

  private lookup(token: string): TokenRecord | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [head = '', body = '', sig = ''] = parts;
    let alg: string;
    let uuid: unknown;
    try {
      alg = (JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: string }).alg ?? '';
      uuid = (JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>)['token-uuid'];
    } catch {
      return undefined;
    }
    if (alg !== 'HS256' && alg !== 'HS512') return undefined;
    const expected = createHmac(alg === 'HS256' ? 'sha256' : 'sha512', this.key).update(`${head}.${body}`).digest();
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return typeof uuid === 'string' ? this.byUuid.get(uuid) : undefined;
  }
}
