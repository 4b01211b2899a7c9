/**
 * Serialises JSON the way Jamf Pro (Jackson's default pretty printer) does:
 * two-space indent, `"key" : value`, arrays inline as `[ a, b ]`, objects in
 * arrays as `[ {` ... `}, {` ... `} ]`, empty containers as `[ ]` and `{ }`.
 * Clients must parse JSON, not match text; this makes sure they do.
 */
export function jacksonStringify(value: unknown, eol = '\n'): string {
  return write(value, 0, eol);
}

function write(value: unknown, depth: number, eol: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? formatNumber(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[ ${value.map((v) => write(v, depth, eol)).join(', ')} ]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{ }';
    const pad = '  '.repeat(depth + 1);
    const inner = entries.map(([k, v]) => `${pad}${JSON.stringify(k)} : ${write(v, depth + 1, eol)}`);
    return `{${eol}${inner.join(`,${eol}`)}${eol}${'  '.repeat(depth)}}`;
  }
  return 'null';
}

function formatNumber(n: number): string {
  return String(n);
}
