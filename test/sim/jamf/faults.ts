/**
 * Faults injected on demand: the next N requests matching a method/path get a
 * chosen status, a 429 with Retry-After, extra latency, a reset connection, a
 * truncated body, or find every token expired.
 */
export interface FaultMatch {
  /** HTTP method; any when omitted. */
  method?: string;
  /** Exact path (`/api/v1/auth`), a glob with `*` (`/api/v1/managed-software-updates/*`), or a RegExp; any when omitted. */
  path?: string | RegExp;
}

export type FaultAction =
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'rateLimit'; retryAfterSeconds?: number | null }
  | { kind: 'latency'; ms: number }
  | { kind: 'reset' }
  /** Never answer: the request stays open until the client gives up (a stalled node). See faultBodies.ts. */
  | { kind: 'hang' }
  | { kind: 'malformed' }
  | { kind: 'expireTokens' };

/** How many matching requests the fault applies to (default 1; Infinity for every one). */
export type FaultSpec = FaultMatch & FaultAction & { times?: number };

export interface FaultHandle {
  readonly id: number;
  remaining(): number;
  remove(): void;
}

interface Rule {
  id: number;
  spec: FaultSpec;
  left: number;
}

/** What applies to one request, in the order the server applies it. */
export interface FaultPlan {
  latencyMs: number;
  expireTokens: boolean;
  /** The fault that replaces the real answer, if any. */
  terminal?: Extract<FaultAction, { kind: 'status' | 'rateLimit' | 'reset' | 'hang' | 'malformed' }>;
  applied: string[];
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export class FaultInjector {
  private rules: Rule[] = [];
  private nextId = 1;

  add(spec: FaultSpec): FaultHandle {
    const times = spec.times ?? 1;
    if (!(times > 0)) throw new RangeError('a fault needs times > 0');
    if (spec.kind === 'status' && (spec.status < 100 || spec.status > 599)) throw new RangeError(`not an HTTP status: ${spec.status}`);
    const rule: Rule = { id: this.nextId++, spec, left: times };
    this.rules.push(rule);
    return {
      id: rule.id,
      remaining: () => rule.left,
      remove: () => {
        this.rules = this.rules.filter((r) => r !== rule);
      },
    };
  }

  clear(): void {
    this.rules = [];
  }

  /** Consume one use of every rule matching this request. */
  take(method: string, path: string): FaultPlan {
    const plan: FaultPlan = { latencyMs: 0, expireTokens: false, applied: [] };
    for (const rule of this.rules) {
      if (rule.left <= 0 || !matches(rule.spec, method, path)) continue;
      const s = rule.spec;
      if (s.kind === 'latency') plan.latencyMs += s.ms;
      else if (s.kind === 'expireTokens') plan.expireTokens = true;
      else if (plan.terminal) continue; // one replacement answer per request; later rules wait for later requests
      else plan.terminal = s;
      rule.left -= 1;
      plan.applied.push(s.kind === 'status' ? `status:${s.status}` : s.kind);
    }
    this.rules = this.rules.filter((r) => r.left > 0);
    return plan;
  }
}

function matches(spec: FaultMatch, method: string, path: string): boolean {
  if (spec.method && spec.method.toUpperCase() !== method) return false;
  if (spec.path === undefined) return true;
  if (spec.path instanceof RegExp) return spec.path.test(path);
  return spec.path.includes('*') ? globToRegExp(spec.path).test(path) : spec.path === path;
}
