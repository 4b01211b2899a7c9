import type { IncomingHttpHeaders } from 'node:http';
import type { Account, ApiClient } from './state';
import type { TokenRecord } from './tokens';
import type { SimCore } from './core';

/** Who is calling, once a bearer token has been accepted. */
export type Principal =
  | { kind: 'user'; account: Account; privileges: Set<string> }
  | { kind: 'client'; client: ApiClient; roleIds: number[]; privileges: Set<string> };

export interface Ctx {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  principal?: Principal;
  token?: TokenRecord;
  core: SimCore;
}

/** What a handler answers. `json` is serialised the way Jamf Pro pretty-prints JSON. */
export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Name of the caller for the request log when it is not a token principal (e.g. Basic username). */
  logPrincipal?: string;
}

export interface ApiErrorCause {
  code: string;
  description: string;
  id: string | null;
  field: string | null;
}

export const cause = (code: string, description: string, field: string | null = null, id: string | null = null): ApiErrorCause => ({
  code,
  description,
  id,
  field,
});

export function apiError(status: number, errors: ApiErrorCause[] = []): Reply {
  return { status, json: { httpStatus: status, errors } };
}

export const ok = (json: unknown, status = 200): Reply => ({ status, json });

/** Jamf Pro API 401 bodies (reference §0.3): unknown/invalidated tokens carry no cause; expired ones INVALID_TOKEN. */
export const unauthorized = (): Reply => apiError(401, []);
export const expiredToken = (): Reply => apiError(401, [cause('INVALID_TOKEN', 'Unauthorized', null, '0')]);
export const forbidden = (): Reply => apiError(403, [cause('INVALID_PRIVILEGE', 'Forbidden', null, '0')]);
export const notFound = (description: string): Reply => apiError(404, [cause('NOT_FOUND', description)]);
export const invalidId = (id: string): Reply => apiError(400, [cause('INVALID_ID', `Invalid id: ${id}`, 'id', id)]);
export const invalidField = (field: string, description: string): Reply => apiError(400, [cause('INVALID_FIELD', description, field)]);

const CLASSIC_STATUS: Record<number, [reason: string, message: string, anchor: string]> = {
  400: ['Bad Request', 'The request could not be understood by the server due to malformed syntax', 'sec10.4.1'],
  401: ['Unauthorized', 'The request requires user authentication', 'sec10.4.2'],
  403: ['Forbidden', 'The server understood the request, but is refusing to fulfill it', 'sec10.4.4'],
  404: ['Not Found', 'The server has not found anything matching the request URI', 'sec10.4.5'],
  405: ['Method Not Allowed', 'The method specified in the request is not allowed for the resource identified by the request URI', 'sec10.4.6'],
  409: ['Conflict', 'The request could not be completed due to a conflict with the current state of the resource', 'sec10.4.10'],
  429: ['Too Many Requests', 'The user has sent too many requests in a given amount of time', 'sec10.4'],
  500: ['Internal Server Error', 'The server encountered an unexpected condition which prevented it from fulfilling the request', 'sec10.5.1'],
  502: ['Bad Gateway', 'The server, while acting as a gateway or proxy, received an invalid response from the upstream server it accessed in attempting to fulfill the request', 'sec10.5.3'],
  503: ['Service Unavailable', 'The server is currently unable to handle the request due to a temporary overloading or maintenance of the server', 'sec10.5.4'],
  504: ['Gateway Timeout', 'The server, while acting as a gateway or proxy, did not receive a timely response from the upstream server', 'sec10.5.5'],
};

export function reasonPhrase(status: number): string {
  return CLASSIC_STATUS[status]?.[0] ?? 'Error';
}

/** The Classic API's HTML "Status page" (reference §0.4). */
export function classicError(status: number, message?: string): Reply {
  const [reason, defaultMessage, anchor] = CLASSIC_STATUS[status] ?? ['Error', 'An error occurred', 'sec10'];
  const text = [
    '<html>',
    '<head>',
    '   <title>Status page</title>',
    '</head>',
    '<body style="font-family: sans-serif;">',
    `<p style="font-size: 1.2em;font-weight: bold;margin: 1em 0px;">${reason}</p>`,
    `<p>${escapeXml(message ?? defaultMessage)}</p>`,
    `<p>You can get technical details <a href="http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#${anchor}">here</a>.<br>`,
    'Please continue your visit at our <a href="/">home page</a>.',
    '</p>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { status, text, contentType: 'text/html;charset=UTF-8' };
}

/** What the servlet container answers for a path no API handles (Tomcat's default error page). */
export function containerError(status: 404 | 405, allow?: string[]): Reply {
  const reason = status === 404 ? 'Not Found' : 'Method Not Allowed';
  const description =
    status === 404
      ? 'The origin server did not find a current representation for the target resource or is not willing to disclose that one exists.'
      : 'The method received in the request-line is known by the origin server but not supported by the target resource.';
  const text =
    `<!doctype html><html lang="en"><head><title>HTTP Status ${status} – ${reason}</title></head><body>` +
    `<h1>HTTP Status ${status} – ${reason}</h1><hr class="line" /><p><b>Type</b> Status Report</p>` +
    `<p><b>Description</b> ${description}</p><hr class="line" /></body></html>`;
  return { status, text, contentType: 'text/html;charset=utf-8', headers: allow ? { Allow: allow.join(', ') } : {} };
}

export function xmlReply(status: number, xml: string): Reply {
  return { status, text: `<?xml version="1.0" encoding="UTF-8"?>${xml}`, contentType: 'text/xml;charset=UTF-8' };
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Parses a JSON request body; undefined when the body is not JSON. */
export function parseJsonBody(ctx: Ctx): { ok: true; value: unknown } | { ok: false } {
  const text = ctx.rawBody.toString('utf8');
  if (text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Jamf Pro's answer to an unreadable JSON body (Spring's HttpMessageNotReadable mapped to ApiError). */
export const unreadableBody = (): Reply => apiError(400, [cause('INVALID_FIELD', 'Request body is missing or is not valid JSON')]);

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
