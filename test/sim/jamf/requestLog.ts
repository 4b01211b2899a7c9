/** One request as the simulator saw it. Secrets never reach this record. */
export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  status: number;
  /** The request body, parsed (JSON, form or XML text) with every secret replaced by `[REDACTED]`. */
  body?: unknown;
  auth: 'bearer' | 'basic' | 'none';
  /** Account username or API client id of the caller, when known. */
  principal?: string;
  /** Sim-clock time the request arrived. */
  at: number;
  /** Faults applied to this request, e.g. `['status:503']`. */
  faults?: string[];
}

export const REDACTED = '[REDACTED]';
const SECRET_KEY = /pass(word)?|secret|token|credential|authorization/i;

export function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = SECRET_KEY.test(k) ? REDACTED : redactValue(v);
    return out;
  }
  return value;
}

/** Replaces the text of secret-bearing XML elements (`<password>`, `<client_secret>`...). */
export function redactXml(xml: string): string {
  return xml.replace(/<([A-Za-z_]*(?:password|secret|token)[A-Za-z_]*)(\s[^>]*)?>[\s\S]*?<\/\1>/gi, `<$1$2>${REDACTED}</$1>`);
}

/** Turns a raw request body into what the log may keep. */
export function loggableBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded')) {
    return redactValue(Object.fromEntries(new URLSearchParams(text)));
  }
  const trimmed = text.trimStart();
  if (type.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return redactValue(JSON.parse(text));
    } catch {
      return SECRET_KEY.test(text) ? REDACTED : text.slice(0, 2000);
    }
  }
  if (type.includes('xml') || trimmed.startsWith('<')) return redactXml(text);
  return SECRET_KEY.test(text) ? REDACTED : text.slice(0, 2000);
}

export function queryRecord(q: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(q.keys())) {
    const all = SECRET_KEY.test(key) ? q.getAll(key).map(() => REDACTED) : q.getAll(key);
    out[key] = all.length === 1 ? (all[0] ?? '') : all;
  }
  return out;
}
