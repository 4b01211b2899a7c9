import {
  classicError, containerError, expiredToken, forbidden, unauthorized,
  type Ctx, type Principal, type Reply,
} from './http';
import { authenticateUser, basicCredentials, bearerToken } from './login';
import { accountPrivileges, missingPrivileges } from './privileges';
import { versionInRange } from './version';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/**
 * One endpoint. `api` decides the error dialect and the authentication:
 * `pro` (Jamf Pro API, bearer token, ApiError JSON), `classic` (Classic API,
 * bearer token, HTML status pages), `open` (no token: the handler
 * authenticates itself, as the token endpoints do).
 */
export interface Route {
  method: Method;
  path: string;
  api: 'pro' | 'classic' | 'open';
  /** Privileges the caller must hold, all of them (x-required-privileges). */
  privileges?: readonly string[];
  /** First version that has the endpoint, and first version that no longer has it. */
  since?: string;
  until?: string;
  handler: (ctx: Ctx) => Reply | Promise<Reply>;
}

interface Compiled {
  route: Route;
  re: RegExp;
  names: string[];
}

export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: Route[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const pattern = route.path.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      return { route, re: new RegExp(`^${pattern}/?$`), names };
    });
  }

  /** Routes a server of this version serves. */
  routesFor(version: string): Route[] {
    return this.compiled.filter((c) => versionInRange(version, c.route.since, c.route.until)).map((c) => c.route);
  }

  async dispatch(ctx: Ctx): Promise<Reply> {
    const core = ctx.core;
    const visible = this.compiled.filter((c) => versionInRange(core.version, c.route.since, c.route.until));
    const byPath = visible
      .map((c) => ({ c, m: c.re.exec(ctx.path) }))
      .filter((x): x is { c: Compiled; m: RegExpExecArray } => x.m !== null)
      // A literal segment beats a {param} (e.g. /plans/feature-toggle over /plans/{id}).
      .sort((a, b) => a.c.names.length - b.c.names.length);
    const hit = byPath.find((x) => x.c.route.method === ctx.method);
    const family = ctx.path.startsWith('/JSSResource/') ? 'classic' : ctx.path === '/api' || ctx.path.startsWith('/api/') ? 'pro' : 'other';

    if (hit?.c.route.api === 'open') {
      hit.c.names.forEach((n, i) => (ctx.params[n] = decodeURIComponent(hit.m[i + 1] ?? '')));
      return hit.c.route.handler(ctx);
    }
    if (family === 'other') return containerError(404);

    // Spring Security authenticates before any handler is looked up: no valid token, no 404.
    const authFailure = authenticate(ctx, family);
    if (authFailure) return authFailure;

    if (!hit) {
      if (byPath.length > 0) return family === 'classic' ? classicError(405) : containerError(405, [...new Set(byPath.map((x) => x.c.route.method))]);
      return family === 'classic' ? classicError(404) : containerError(404);
    }
    hit.c.names.forEach((n, i) => (ctx.params[n] = decodeURIComponent(hit.m[i + 1] ?? '')));
    const missing = missingPrivileges((ctx.principal as Principal).privileges, hit.c.route.privileges ?? []);
    if (missing.length > 0) {
      if (family === 'classic') return classicError(core.settings.classicPrivilegeFailureStatus);
      return forbidden();
    }
    return hit.c.route.handler(ctx);
  }
}

/** Sets ctx.principal from the Authorization header, or returns the 401 the server sends. */
function authenticate(ctx: Ctx, family: 'pro' | 'classic'): Reply | undefined {
  const core = ctx.core;
  const header = ctx.headers.authorization;
  const fail = (kind: 'plain' | 'expired'): Reply => (family === 'classic' ? classicError(401) : kind === 'expired' ? expiredToken() : unauthorized());
  const token = bearerToken(header);
  if (token) {
    const check = core.tokens.check(token);
    if (!check.ok) return fail(check.reason === 'expired' ? 'expired' : 'plain');
    const principal = core.principalFor(check.record);
    if (!principal) return fail('plain');
    ctx.token = check.record;
    ctx.principal = principal;
    return undefined;
  }
  const basic = basicCredentials(header);
  if (basic && family === 'classic' && core.settings.classicBasicAuth) {
    const result = authenticateUser(core, basic.username, basic.password);
    if (!result.ok) return fail('plain');
    ctx.principal = { kind: 'user', account: result.account, privileges: new Set(accountPrivileges(result.account.privilegeLevel, result.account.privileges)) };
    return undefined;
  }
  return fail('plain');
}
