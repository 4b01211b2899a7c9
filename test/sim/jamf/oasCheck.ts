import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * Test support: reads the Jamf Pro OpenAPI documents from the shared
 * reference folder and checks simulator responses against them.
 */
export const SHARED_DIR = resolve(__dirname, '..', '..', '..', '..', 'shared');
export const OAS_DIR = resolve(SHARED_DIR, 'reference', 'jamf-openapi');
export const haveOpenApi = (): boolean => existsSync(resolve(OAS_DIR, 'jamf-pro-api-11.30.0.json'));

type Json = Record<string, unknown>;

export interface Operation {
  method: string;
  /** Path as in the document (relative to /api), e.g. `/v1/accounts/{id}`. */
  path: string;
  op: Json;
  re: RegExp;
  params: number;
}

const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

export const templateRegExp = (template: string): RegExp =>
  new RegExp(`^${template.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`);

export class OpenApiDoc {
  readonly doc: Json;
  readonly operations: Operation[] = [];
  private readonly schemas: Record<string, Json>;
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(file: string) {
    this.doc = JSON.parse(readFileSync(resolve(OAS_DIR, file), 'utf8')) as Json;
    this.schemas = ((this.doc.components as Json).schemas as Record<string, Json>) ?? {};
    // Jamf sends `"field" : null` in every ApiError cause though the schema requires a string (reference §0.3).
    const cause = this.schemas.ApiErrorCause?.properties as Record<string, Json> | undefined;
    if (cause?.field) cause.field = { ...cause.field, nullable: true };
    for (const [path, item] of Object.entries(this.doc.paths as Record<string, Json>)) {
      for (const method of METHODS) {
        const op = item[method] as Json | undefined;
        if (op) this.operations.push({ method: method.toUpperCase(), path, op, re: templateRegExp(path), params: (path.match(/\{/g) ?? []).length });
      }
    }
    this.ajv = new Ajv({ strict: false, allErrors: true, formats: { int32: true, int64: true, double: true, float: true, password: true, byte: true, binary: true } });
    addFormats(this.ajv);
  }

  /** The operation a request path under /api maps to (literal segments win over parameters). */
  find(method: string, apiPath: string): Operation | undefined {
    return this.operations.filter((o) => o.method === method && o.re.test(apiPath)).sort((a, b) => a.params - b.params)[0];
  }

  hasTemplate(method: string, template: string): boolean {
    const norm = (p: string): string => p.replace(/\{[^}]+\}/g, '{}');
    return this.operations.some((o) => o.method === method && norm(o.path) === norm(template));
  }

  /** The JSON schema of a documented response, or null when the status has no JSON body (e.g. 204). */
  responseSchema(op: Operation, status: number): Json | null | undefined {
    const responses = op.op.responses as Record<string, Json>;
    const r = responses[String(status)];
    if (!r) return undefined;
    const content = r.content as Record<string, Json> | undefined;
    const schema = content?.['application/json']?.schema ?? content?.['*/*']?.schema;
    return (schema as Json | undefined) ?? null;
  }

  /** The JSON request-body schema of an operation. */
  requestSchema(op: Operation): Json | undefined {
    const body = op.op.requestBody as Json | undefined;
    const content = body?.content as Record<string, Json> | undefined;
    return content?.['application/json']?.schema as Json | undefined;
  }

  schemaNamed(name: string): Json {
    return { $ref: `#/components/schemas/${name}` };
  }

  /** Validates a response body; returns the problems found (empty when it conforms). */
  validate(schema: Json, body: unknown, cacheKey: string): string[] {
    let fn = this.cache.get(cacheKey);
    if (!fn) {
      fn = this.ajv.compile(this.toJsonSchema(schema, new Set()));
      this.cache.set(cacheKey, fn);
    }
    if (fn(body)) return [];
    return (fn.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`);
  }

  /**
   * OpenAPI 3.0 → JSON Schema for response checking: `$ref`s resolved, objects
   * closed (additionalProperties:false) so an invented field fails, write-only
   * properties removed (a response must not carry passwords), `nullable`
   * honoured, and properties that are not required may be null (Jamf
   * serialises unset fields as null, e.g. unrequested inventory sections).
   */
  private toJsonSchema(s: Json, seen: Set<string>): Json {
    if (typeof s.$ref === 'string') {
      const name = s.$ref.split('/').pop() ?? '';
      if (seen.has(name)) return {};
      const target = this.schemas[name];
      if (!target) throw new Error(`unresolved $ref ${s.$ref}`);
      return this.toJsonSchema(target, new Set([...seen, name]));
    }
    if (Array.isArray(s.allOf)) {
      const merged: Json = { type: 'object', properties: {}, required: [] };
      for (const part of s.allOf as Json[]) {
        const resolved = typeof part.$ref === 'string' ? (this.schemas[part.$ref.split('/').pop() ?? ''] ?? {}) : part;
        Object.assign(merged.properties as Json, resolved.properties ?? {});
        (merged.required as string[]).push(...((resolved.required as string[] | undefined) ?? []));
      }
      return this.toJsonSchema({ ...merged, nullable: s.nullable }, seen);
    }
    const out: Json = {};
    for (const [k, v] of Object.entries(s)) {
      if (['example', 'examples', 'description', 'readOnly', 'writeOnly', 'nullable', 'xml', 'discriminator', 'deprecated'].includes(k)) continue;
      out[k] = v;
    }
    if (out.items && typeof out.items === 'object') out.items = this.toJsonSchema(out.items as Json, seen);
    for (const key of ['oneOf', 'anyOf'] as const) if (Array.isArray(out[key])) out[key] = (out[key] as Json[]).map((x) => this.toJsonSchema(x, seen));
    if (out.properties && typeof out.properties === 'object') {
      const required = new Set((out.required as string[] | undefined) ?? []);
      const props: Json = {};
      for (const [name, prop] of Object.entries(out.properties as Record<string, Json>)) {
        if (prop.writeOnly === true) continue;
        const converted = this.toJsonSchema(prop, seen);
        props[name] = required.has(name) ? converted : orNull(converted);
      }
      out.properties = props;
      if (out.additionalProperties === undefined) out.additionalProperties = false;
    }
    if (out.additionalProperties && typeof out.additionalProperties === 'object') out.additionalProperties = this.toJsonSchema(out.additionalProperties as Json, seen);
    return s.nullable === true ? orNull(out) : out;
  }
}

const orNull = (s: Json): Json => ({ anyOf: [s, { type: 'null' }] });

/** Path templates of the Classic API swagger (relative to /JSSResource) with their methods. */
export function classicTemplates(file = 'classic-api-11.30.0.yaml'): { method: string; path: string; re: RegExp }[] {
  const doc = parseYaml(readFileSync(resolve(OAS_DIR, file), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => METHODS.includes(m))
      .map((m) => ({ method: m.toUpperCase(), path, re: templateRegExp(path) })),
  );
}
