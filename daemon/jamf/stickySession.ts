/**
 * Jamf Cloud runs several web-app nodes that do not share state at once; a load-balancer
 * cookie pins later calls to the node that served earlier ones, so a plan created by a POST is
 * visible to the GET that follows (reference §8.2). Only the balancer cookies are kept; their
 * values are never logged.
 */
const STICKY_COOKIES = new Set(['APBALANCEID', 'jpro-ingress']);

export class StickySession {
  readonly #cookies = new Map<string, string>();

  /** Remembers balancer cookies from a response's `set-cookie` header(s). */
  remember(setCookie: string | string[] | undefined): void {
    if (setCookie === undefined) return;
    for (const line of Array.isArray(setCookie) ? setCookie : [setCookie]) {
      const pair = line.split(';', 1)[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      if (STICKY_COOKIES.has(name)) this.#cookies.set(name, pair.slice(eq + 1).trim());
    }
  }

  /** The `cookie` request header, or undefined before any balancer cookie was seen. */
  header(): string | undefined {
    if (this.#cookies.size === 0) return undefined;
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}
