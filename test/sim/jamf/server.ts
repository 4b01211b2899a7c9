import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { createControl, type SimControl } from './control';
import { SimCore, type CoreOptions } from './core';
import { apiError, classicError, type Ctx, type Reply } from './http';
import { jacksonStringify } from './json';
import { loggableBody, queryRecord, type RequestLogEntry } from './requestLog';
import { Router } from './router';
import { allRoutes } from './routes';
import { createSimTls } from './tls';

export type JamfSimOptions = CoreOptions;

export interface JamfSim {
  /** https://127.0.0.1:PORT */
  url: string;
  /** Path of the CA certificate (PEM) that signed the server certificate. */
  caFile: string;
  ca: string;
  clock: { now(): number; advance(ms: number): void; set(ms: number): void };
  control: SimControl;
  /** Every request, in arrival order, with secrets removed. */
  requests: RequestLogEntry[];
  /** 'plan' (PlanEvent), 'blankPush' ({managementIds}), 'sendUpdates' ({deviceIds, ...}). */
  events: import('node:events').EventEmitter;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Drop the connection with a TCP RST (on the TCP socket under TLS), or at least close it abruptly. */
function resetConnection(socket: Socket): void {
  const tcp = (socket as Socket & { _parent?: Socket })._parent ?? socket;
  try {
    tcp.resetAndDestroy();
  } catch {
    // not a TCP handle
  }
  socket.destroy();
}

function authKind(header: string | undefined): RequestLogEntry['auth'] {
  if (/^Bearer\s/i.test(header ?? '')) return 'bearer';
  if (/^Basic\s/i.test(header ?? '')) return 'basic';
  return 'none';
}

function faultReply(path: string, status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  // A fault may choose its body's type (an HTML page answering 200: faultBodies.ts).
  const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  if (body !== undefined) return typeof body === 'string' ? { status, text: body, headers, ...(type && { contentType: type }) } : { status, json: body, headers };
  if (path.startsWith('/JSSResource/')) return { ...classicError(status), headers };
  return { ...apiError(status, []), headers };
}

function serialise(core: SimCore, reply: Reply): { body: Buffer; type?: string } {
  if (reply.json !== undefined) {
    return { body: Buffer.from(jacksonStringify(reply.json, core.settings.crlf ? '\r\n' : '\n')), type: reply.contentType ?? 'application/json' };
  }
  if (reply.text !== undefined) return { body: Buffer.from(reply.text), type: reply.contentType ?? 'text/plain;charset=UTF-8' };
  return { body: Buffer.alloc(0), type: reply.contentType };
}

async function handle(core: SimCore, router: Router, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = core.clock.now();
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const path = url.pathname.startsWith('/uapi/') ? `/api/${url.pathname.slice('/uapi/'.length)}` : url.pathname;
  const method = (req.method ?? 'GET').toUpperCase();
  const rawBody = await readBody(req);
  const entry: RequestLogEntry = {
    method,
    path,
    query: queryRecord(url.searchParams),
    status: 0,
    auth: authKind(req.headers.authorization),
    at,
  };
  const body = loggableBody(rawBody, req.headers['content-type']);
  if (body !== undefined) entry.body = body;
  core.requests.push(entry);

  core.tick();
  const faults = core.faults.take(method, path);
  if (faults.applied.length > 0) entry.faults = faults.applied;
  if (faults.latencyMs > 0) await delay(faults.latencyMs);
  if (faults.expireTokens) core.tokens.expireAll();
  const terminal = faults.terminal;
  if (terminal?.kind === 'reset') {
    resetConnection(req.socket);
    return;
  }
  if (terminal?.kind === 'hang') {
    // No answer at all; the request ends when the client (or close()) drops the connection.
    if (!req.socket.destroyed) await new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
    return;
  }

  const ctx: Ctx = { method, path, query: url.searchParams, params: {}, headers: req.headers, rawBody, core };
  let reply: Reply;
  if (terminal?.kind === 'status') reply = faultReply(path, terminal.status, terminal.body, terminal.headers);
  else if (terminal?.kind === 'rateLimit') {
    const headers: Record<string, string> = terminal.retryAfterSeconds === null ? {} : { 'Retry-After': String(Math.max(0, Math.round(terminal.retryAfterSeconds ?? 1))) };
    reply = faultReply(path, 429, undefined, headers);
  } else {
    try {
      reply = await router.dispatch(ctx);
    } catch (err) {
      core.events.emit('simError', err);
      reply = path.startsWith('/JSSResource/') ? classicError(500) : apiError(500, []);
    }
  }
  const principal = ctx.principal ? (ctx.principal.kind === 'user' ? ctx.principal.account.username : ctx.principal.client.clientId) : reply.logPrincipal;
  if (principal) entry.principal = principal;

  let { body: out, type } = serialise(core, reply);
  if (terminal?.kind === 'malformed') out = out.subarray(0, Math.max(1, Math.floor(out.length / 2)));
  const headers: Record<string, string> = { 'Set-Cookie': 'APBALANCEID=aws.usw2.jamfsim.node1; path=/; HttpOnly; Secure', ...reply.headers };
  if (type && reply.status !== 204) headers['Content-Type'] = type;
  entry.status = reply.status;
  res.writeHead(reply.status, headers);
  res.end(reply.status === 204 || method === 'HEAD' ? undefined : out);
}

/** Start a Jamf Pro simulator on https://127.0.0.1 (random port). */
export async function startJamfSim(opts: JamfSimOptions = {}): Promise<JamfSim> {
  const core = new SimCore(opts);
  const tls = createSimTls();
  const router = new Router(allRoutes);
  const sockets = new Set<Socket>();
  const server: Server = createServer({ cert: tls.certPem, key: tls.keyPem, keepAliveTimeout: 5000 }, (req, res) => {
    handle(core, router, req, res).catch((err: unknown) => {
      core.events.emit('simError', err);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  core.url = `https://127.0.0.1:${port}`;
  let closed = false;
  return {
    url: core.url,
    caFile: tls.caFile,
    ca: tls.caPem,
    clock: core.clock,
    control: createControl(core, router),
    requests: core.requests,
    events: core.events,
    close: async () => {
      if (closed) return;
      closed = true;
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const s of sockets) s.destroy();
      await done;
      tls.dispose();
    },
  };
}
