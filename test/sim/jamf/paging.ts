import type { FieldGetters, FieldValue } from './rsql';

export interface PageRequest {
  page: number;
  pageSize: number;
  sort: { field: string; desc: boolean }[];
}

/** Jamf Pro's paging: `page` 0-based, `page-size` default 100, silently clamped at 2000 (reference §0.5). */
export function readPaging(q: URLSearchParams, defaultSort: string): PageRequest | { error: string; field: string } {
  const pageRaw = q.get('page') ?? '0';
  const sizeRaw = q.get('page-size') ?? q.get('pagesize') ?? q.get('size') ?? '100';
  const page = Number(pageRaw);
  const size = Number(sizeRaw);
  if (!Number.isInteger(page) || page < 0) return { error: `page must be a non-negative integer, got '${pageRaw}'`, field: 'page' };
  if (!Number.isInteger(size) || size < 1) return { error: `page-size must be a positive integer, got '${sizeRaw}'`, field: 'page-size' };
  const sortSpecs = q.getAll('sort').flatMap((s) => s.split(',')).filter((s) => s.trim() !== '');
  const sort = (sortSpecs.length > 0 ? sortSpecs : [defaultSort]).map((s) => {
    const [field = '', dir = 'asc'] = s.trim().split(':');
    return { field, desc: dir.toLowerCase() === 'desc' };
  });
  return { page, pageSize: Math.min(size, 2000), sort };
}

function cmp(a: FieldValue, b: FieldValue): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { sensitivity: 'base', numeric: true });
}

/** Sorts (ignoring fields the resource cannot sort by, as Jamf Pro documents) and slices one page. */
export function pageOf<T>(items: T[], req: PageRequest, fields: FieldGetters<T>): { totalCount: number; results: T[] } {
  const sorted = [...items].sort((x, y) => {
    for (const s of req.sort) {
      const get = fields[s.field];
      if (!get) continue;
      const c = cmp(get(x), get(y));
      if (c !== 0) return s.desc ? -c : c;
    }
    return 0;
  });
  const start = req.page * req.pageSize;
  return { totalCount: items.length, results: sorted.slice(start, start + req.pageSize) };
}
