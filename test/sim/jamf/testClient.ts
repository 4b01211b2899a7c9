import { Agent, request } from 'undici';
import type { JamfSim } from './server';

export interface CallOptions {
  token?: string;
  basic?: { username: string; password: string };
  json?: unknown;
  form?: Record<string, string>;
  xml?: string;
  body?: string;
  headers?: Record<string, string>;
  accept?: string;
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed JSON body, when the body is JSON. */
  json: unknown;
}

/** A small HTTPS client for tests: trusts the simulator's CA, never the system store. */
export class SimClient {
  private readonly agent: Agent;

  constructor(private readonly sim: Pick<JamfSim, 'url' | 'ca'>) {
    this.agent = new Agent({ connect: { ca: sim.ca } });
  }

  async call(method: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.basic) headers.authorization = `Basic ${Buffer.from(`${opts.basic.username}:${opts.basic.password}`).toString('base64')}`;
    if (opts.accept) headers.accept = opts.accept;
    let body: string | undefined = opts.body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['content-type'] ??= 'application/json';
    } else if (opts.form) {
      body = new URLSearchParams(opts.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (opts.xml !== undefined) {
      body = opts.xml;
      headers['content-type'] ??= 'text/xml';
    }
    const res = await request(`${this.sim.url}${path}`, { method: method as 'GET', headers, body, dispatcher: this.agent });
    const text = await res.body.text();
    let json: unknown;
    if (String(res.headers['content-type'] ?? '').includes('json')) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { status: res.statusCode, headers: res.headers, text, json };
  }

  async userToken(username: string, password: string): Promise<string> {
    const r = await this.call('POST', '/api/v1/auth/token', { basic: { username, password } });
    if (r.status !== 200) throw new Error(`token request for ${username} failed: ${r.status} ${r.text}`);
    return (r.json as { token: string }).token;
  }

  async clientToken(clientId: string, clientSecret: string): Promise<string> {
    const r = await this.call('POST', '/api/oauth/token', { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } });
    if (r.status !== 200) throw new Error(`client token request failed: ${r.status} ${r.text}`);
    return (r.json as { access_token: string }).access_token;
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
