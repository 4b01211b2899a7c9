/**
 * An endpoint in a table: a method and a path template relative to the server's base URL,
 * without a leading slash (`api/v1/managed-software-updates/plans/{id}`). `{name}` matches one
 * path segment; a trailing `/**` matches any remainder (Classic `JSSResource/computers/**`).
 */
export interface EndpointPattern {
  readonly method: string;
  readonly path: string;
}

const compiled = new Map<string, RegExp>();

function compile(template: string): RegExp {
  let re = compiled.get(template);
  if (!re) {
    const anyTail = template.endsWith('/**');
    const body = (anyTail ? template.slice(0, -3) : template)
      .split('/')
      .map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    re = new RegExp(`^${body}${anyTail ? '(?:/.*)?' : ''}$`, 'i');
    compiled.set(template, re);
  }
  return re;
}

/** Strips a leading slash and any query, so `/api/v1/x?y=1` and `api/v1/x` compare equal. */
export function canonicalPath(path: string): string {
  return path.replace(/^\/+/, '').replace(/[?#].*$/, '');
}

/** The first row of `table` whose method and path template match; templates are tried in order. */
export function findEndpoint<T extends EndpointPattern>(table: readonly T[], method: string, path: string): T | undefined {
  const m = method.toUpperCase();
  const p = canonicalPath(path);
  return table.find((row) => row.method === m && compile(row.path).test(p));
}
