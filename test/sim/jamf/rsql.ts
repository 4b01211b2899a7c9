/**
 * Enough RSQL/FIQL for the filters Jamf Pro clients send (reference §0.5):
 * `==` `!=` `<` `<=` `>` `>=` (and `=lt=` `=le=` `=gt=` `=ge=`), `=in=` `=out=`
 * (lists with `,` or `|`), `and`/`;`, `or`/`,`, parentheses, single or double
 * quotes, `*` wildcards, case-insensitive string comparison.
 */
export type FieldValue = string | number | boolean | null | undefined;
export type FieldGetters<T> = Record<string, (item: T) => FieldValue>;

export class RsqlError extends Error {}

type Node =
  | { type: 'and' | 'or'; children: Node[] }
  | { type: 'cmp'; field: string; op: string; values: string[] };

const OPS: Record<string, string> = {
  '==': '==', '!=': '!=', '=lt=': '<', '<': '<', '=le=': '<=', '<=': '<=', '=gt=': '>', '>': '>', '=ge=': '>=', '>=': '>=', '=in=': 'in', '=out=': 'out',
};
const OP_TOKENS = Object.keys(OPS).sort((a, b) => b.length - a.length);

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): Node {
    const node = this.or();
    this.ws();
    if (this.i < this.s.length) throw new RsqlError(`unexpected '${this.s.slice(this.i, this.i + 10)}' at position ${this.i}`);
    return node;
  }

  private or(): Node {
    const children = [this.and()];
    while (this.keyword([',', 'or'])) children.push(this.and());
    return children.length === 1 ? (children[0] as Node) : { type: 'or', children };
  }

  private and(): Node {
    const children = [this.primary()];
    while (this.keyword([';', 'and'])) children.push(this.primary());
    return children.length === 1 ? (children[0] as Node) : { type: 'and', children };
  }

  private keyword(options: string[]): boolean {
    const save = this.i;
    this.ws();
    for (const k of options) {
      if (k.length === 1 ? this.s[this.i] === k : this.s.slice(this.i, this.i + k.length).toLowerCase() === k && /\s/.test(this.s[this.i + k.length] ?? '') && /\s/.test(this.s[this.i - 1] ?? '')) {
        this.i += k.length;
        return true;
      }
    }
    this.i = save;
    return false;
  }

  private primary(): Node {
    this.ws();
    if (this.s[this.i] === '(') {
      this.i++;
      const node = this.or();
      this.ws();
      if (this.s[this.i] !== ')') throw new RsqlError(`missing ')' at position ${this.i}`);
      this.i++;
      return node;
    }
    const field = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(this.s.slice(this.i))?.[0];
    if (!field) throw new RsqlError(`expected a field name at position ${this.i}`);
    this.i += field.length;
    this.ws();
    const op = OP_TOKENS.find((t) => this.s.startsWith(t, this.i));
    if (!op) throw new RsqlError(`expected a comparison operator after '${field}'`);
    this.i += op.length;
    this.ws();
    const mapped = OPS[op] as string;
    if (mapped === 'in' || mapped === 'out') return { type: 'cmp', field, op: mapped, values: this.list() };
    return { type: 'cmp', field, op: mapped, values: [this.value()] };
  }

  private list(): string[] {
    if (this.s[this.i] !== '(') throw new RsqlError(`expected '(' after =in=/=out= at position ${this.i}`);
    this.i++;
    const values = [this.value()];
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c === ')') break;
      if (c !== ',' && c !== '|') throw new RsqlError(`expected ',' or ')' at position ${this.i}`);
      this.i++;
      values.push(this.value());
    }
    this.i++;
    return values;
  }

  private value(): string {
    this.ws();
    const q = this.s[this.i];
    if (q === '"' || q === "'") {
      const end = this.s.indexOf(q, this.i + 1);
      if (end < 0) throw new RsqlError(`unterminated quoted value at position ${this.i}`);
      const v = this.s.slice(this.i + 1, end);
      this.i = end + 1;
      return v;
    }
    const m = /^[^\s"'();,|]+/.exec(this.s.slice(this.i))?.[0];
    if (!m) throw new RsqlError(`expected a value at position ${this.i}`);
    this.i += m.length;
    return m;
  }

  private ws(): void {
    while (/\s/.test(this.s[this.i] ?? '')) this.i++;
  }
}

export type Predicate<T> = (item: T) => boolean;

/** Compiles a filter; throws RsqlError for bad syntax or a field the resource does not allow. */
export function compileFilter<T>(filter: string | null | undefined, fields: FieldGetters<T>): Predicate<T> {
  if (!filter || filter.trim() === '') return () => true;
  const tree = new Parser(filter).parse();
  check(tree, fields);
  return (item) => evaluate(tree, item, fields);
}

function check<T>(node: Node, fields: FieldGetters<T>): void {
  if (node.type === 'cmp') {
    if (!(node.field in fields)) throw new RsqlError(`'${node.field}' is not a filterable field; allowed: ${Object.keys(fields).join(', ')}`);
  } else node.children.forEach((c) => check(c, fields));
}

function evaluate<T>(node: Node, item: T, fields: FieldGetters<T>): boolean {
  if (node.type !== 'cmp') return node.type === 'and' ? node.children.every((c) => evaluate(c, item, fields)) : node.children.some((c) => evaluate(c, item, fields));
  const actual = (fields[node.field] as (i: T) => FieldValue)(item);
  const eq = (v: string): boolean => equals(actual, v);
  switch (node.op) {
    case '==': return eq(node.values[0] ?? '');
    case '!=': return !eq(node.values[0] ?? '');
    case 'in': return node.values.some(eq);
    case 'out': return !node.values.some(eq);
    default: return order(actual, node.values[0] ?? '', node.op);
  }
}

function equals(actual: FieldValue, wanted: string): boolean {
  if (actual === null || actual === undefined) return wanted.toLowerCase() === 'null';
  const a = String(actual).toLowerCase();
  const w = wanted.toLowerCase();
  if (!w.includes('*')) return a === w;
  const re = new RegExp(`^${w.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(a);
}

function order(actual: FieldValue, wanted: string, op: string): boolean {
  if (actual === null || actual === undefined) return false;
  const n = Number(wanted);
  const cmp = typeof actual === 'number' && !Number.isNaN(n) ? actual - n : String(actual).toLowerCase().localeCompare(wanted.toLowerCase());
  return op === '<' ? cmp < 0 : op === '<=' ? cmp <= 0 : op === '>' ? cmp > 0 : cmp >= 0;
}
