import { EventEmitter } from 'node:events';

/**
 * The simulator's notion of "now". Token expiry, plan progress and the
 * feature-toggle job all read this clock, so a test can move time forward
 * without sleeping. The clock is an offset over a base time source: by
 * default a frozen instant (the moment the simulator started), or a live
 * source such as `Date.now` for the standalone server.
 */
export class SimClock extends EventEmitter {
  private offset = 0;
  private readonly base: () => number;

  constructor(base?: () => number) {
    super();
    if (base) {
      this.base = base;
    } else {
      const start = Date.now();
      this.base = () => start;
    }
  }

  now(): number {
    return this.base() + this.offset;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance needs a non-negative number of ms, got ${ms}`);
    this.offset += ms;
    this.emit('change', this.now());
  }

  set(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError(`clock.set needs a finite epoch-ms value, got ${ms}`);
    this.offset = ms - this.base();
    this.emit('change', this.now());
  }
}

/** ISO-8601 UTC with milliseconds, as Jamf Pro writes `expires`. */
export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

/** ISO-8601 UTC without milliseconds (`2025-01-10T17:32:28Z`), as in account and inventory dates. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Server-local time without zone (`2023-12-25T21:09:31`), as in the feature-toggle job status. */
export function localNoZone(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '');
}
