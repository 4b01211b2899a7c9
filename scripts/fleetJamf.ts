/**
 * The Jamf Pro side of the fleet simulation: every request holds one connection for its
 * service time. Counts requests per endpoint, per second and per minute, and open connections
 * over time (peak, and how long more than 5 were open: Jamf's guidance for one integration,
 * developer.jamf.com "Jamf Pro API scalability best practices"). Only what happens inside
 * [from, to) is counted; connections opened before still count as open.
 */
export const CONCURRENCY_GUIDANCE = 5;

export interface JamfSummary {
  readonly requests: number;
  readonly failed: number;
  readonly byEndpoint: ReadonlyMap<string, number>;
  readonly perSecond: Uint32Array;
  readonly perMinute: Uint32Array;
  /** Highest number of open connections in each minute. */
  readonly peakConcurrencyPerMinute: Uint16Array;
  readonly peakConcurrency: number;
  readonly peakConcurrencyAt: number;
  /** Milliseconds spent at each number of open connections (index = connections). */
  readonly timeAt: Float64Array;
}

export class JamfModel {
  #open = 0;
  #last: number;
  #requests = 0;
  #failed = 0;
  #peak = 0;
  #peakAt = 0;
  readonly #byEndpoint = new Map<string, number>();
  readonly #perSecond: Uint32Array;
  readonly #perMinute: Uint32Array;
  readonly #peakPerMinute: Uint16Array;
  readonly #timeAt = new Float64Array(1024);

  constructor(
    private readonly from: number,
    private readonly to: number,
  ) {
    this.#last = from;
    this.#perSecond = new Uint32Array(Math.ceil((to - from) / 1000));
    this.#perMinute = new Uint32Array(Math.ceil((to - from) / 60_000));
    this.#peakPerMinute = new Uint16Array(this.#perMinute.length);
  }

  open(t: number, endpoint: string, ok: boolean): void {
    this.#advance(t);
    this.#open++;
    if (t < this.from || t >= this.to) return;
    this.#requests++;
    if (!ok) this.#failed++;
    const key = ok ? endpoint : `${endpoint} (failed)`;
    this.#byEndpoint.set(key, (this.#byEndpoint.get(key) ?? 0) + 1);
    this.#perSecond[Math.floor((t - this.from) / 1000)]! += 1;
    const minute = Math.floor((t - this.from) / 60_000);
    this.#perMinute[minute]! += 1;
    if (this.#open > this.#peakPerMinute[minute]!) this.#peakPerMinute[minute] = this.#open;
    if (this.#open > this.#peak) {
      this.#peak = this.#open;
      this.#peakAt = t;
    }
  }

  close(t: number): void {
    this.#advance(t);
    this.#open--;
  }

  #advance(t: number): void {
    if (t > this.#last && t > this.from) {
      const start = Math.max(this.#last, this.from);
      const stop = Math.min(t, this.to);
      if (stop > start) this.#timeAt[Math.min(this.#open, this.#timeAt.length - 1)]! += stop - start;
    }
    this.#last = Math.max(this.#last, t);
  }

  summary(): JamfSummary {
    this.#advance(this.to);
    return {
      requests: this.#requests,
      failed: this.#failed,
      byEndpoint: new Map(this.#byEndpoint),
      perSecond: this.#perSecond,
      perMinute: this.#perMinute,
      peakConcurrencyPerMinute: this.#peakPerMinute,
      peakConcurrency: this.#peak,
      peakConcurrencyAt: this.#peakAt,
      timeAt: this.#timeAt,
    };
  }
}

/** Share of the time with more than `limit` connections open. */
export function shareAbove(timeAt: Float64Array, limit: number): number {
  let total = 0;
  let above = 0;
  timeAt.forEach((ms, n) => {
    total += ms;
    if (n > limit) above += ms;
  });
  return total === 0 ? 0 : above / total;
}
