import { MockAgent, type Interceptable } from 'undici';
import { JamfClient, type JamfClientOptions, type JamfCredential, type JamfRequestEvent } from '../../daemon/jamf';

export const ORIGIN = 'https://jamf.example.com';
export const BASE_URL = `${ORIGIN}/`;

// Real-looking secrets: every test that sees an error or a hook event checks that none of these leak.
export const CLIENT_ID = '6cabf059-21c9-44d6-bbde-02898f7430dd';
export const CLIENT_SECRET = 'Cl13nt-S3cret-4f9a2b7c1d';
export const USERNAME = 'svc-superd';
export const PASSWORD = 'P4ssw0rd-e8d1c3b5a7';
export const TOKEN_1 = 'eyJhbGciOiJIUzI1NiJ9.token-one.sig1';
export const TOKEN_2 = 'eyJhbGciOiJIUzI1NiJ9.token-two.sig2';
export const TOKEN_3 = 'eyJhbGciOiJIUzI1NiJ9.token-three.sig3';
export const SECRETS = [CLIENT_SECRET, PASSWORD, TOKEN_1, TOKEN_2, TOKEN_3, Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')];

export const clientCredential: JamfCredential = { kind: 'client', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };
export const accountCredential: JamfCredential = { kind: 'account', username: USERNAME, password: PASSWORD };

export const JSON_HEADERS = { headers: { 'content-type': 'application/json;charset=UTF-8' } };
export const T0 = Date.parse('2026-03-02T09:00:00.000Z');

/** Jamf's pretty-printed ApiError, with CRLF line endings like the real server (reference §0.3). */
export function apiError(status: number, errors: { code: string; description: string; field?: string | null }[]): string {
  const causes = errors.map((e) => ({ code: e.code, description: e.description, id: '0', field: e.field ?? null }));
  return JSON.stringify({ httpStatus: status, errors: causes }, null, 2).replace(/": /g, '" : ').replace(/\n/g, '\r\n');
}

export interface Harness {
  agent: MockAgent;
  jamf: Interceptable;
  events: JamfRequestEvent[];
  sleeps: number[];
  clock: { now: number };
  errors: unknown[];
  client(options?: Partial<JamfClientOptions>): JamfClient;
  /** Runs `fn`, expects it to reject, records the error for the secret check, and returns it. */
  failure(fn: () => Promise<unknown>): Promise<Error>;
  interceptClientToken(token: string, expiresIn?: number): void;
  interceptAccountToken(token: string, expires: string): void;
  finish(): Promise<void>;
}

export function harness(): Harness {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  const jamf = agent.get(ORIGIN);
  const h: Harness = {
    agent,
    jamf,
    events: [],
    sleeps: [],
    clock: { now: T0 },
    errors: [],
    client(options = {}) {
      return new JamfClient({
        baseUrl: BASE_URL,
        credential: clientCredential,
        dispatcher: agent,
        now: () => h.clock.now,
        sleep: async (ms) => { h.sleeps.push(ms); },
        // The back-off jitter draws 0.5: each wait is half its window (1 s, 2 s, 4 s… → 500, 1000, 2000).
        random: () => 0.5,
        onRequest: (e) => h.events.push(e),
        ...options,
      });
    },
    async failure(fn) {
      let caught: unknown;
      try {
        await fn();
      } catch (error) {
        caught = error;
      }
      if (!(caught instanceof Error)) throw new Error(`expected a rejection, got ${String(caught)}`);
      h.errors.push(caught);
      return caught;
    },
    interceptClientToken(token, expiresIn = 599) {
      jamf.intercept({ path: '/api/oauth/token', method: 'POST' })
        .reply(200, { access_token: token, token_type: 'Bearer', scope: 'api-role:2', expires_in: expiresIn }, JSON_HEADERS);
    },
    interceptAccountToken(token, expires) {
      jamf.intercept({ path: '/api/v1/auth/token', method: 'POST' }).reply(200, { token, expires }, JSON_HEADERS);
    },
    async finish() {
      const seen = JSON.stringify(h.events) + h.errors.map((e) => `${(e as Error).name} ${(e as Error).message}`).join('\n');
      for (const secret of SECRETS) expect(seen).not.toContain(secret);
      agent.assertNoPendingInterceptors();
      await agent.close();
    },
  };
  return h;
}

/** `METHOD path status` for each exchange, for compact assertions on what went over the wire. */
export function wire(events: readonly JamfRequestEvent[]): string[] {
  return events.map((e) => `${e.method} ${e.path} ${e.status ?? e.failure}`);
}
