import { decideTick } from '../../daemon/schedule/decideTick';
import { nextHeartbeatDue } from '../../daemon/schedule/heartbeatDue';
import { loadSettings } from '../../daemon/config/loadSettings';
import { hostPath, superdPaths } from '../../daemon/host/paths';
import { writePlistAtomically } from '../../daemon/config/writePlist';
import { makeTempRoot } from '../helpers/tempRoot';

const HOUR = 3600_000;

describe('nextHeartbeatDue', () => {
  test('every interval after the last, with a stable per-Mac offset under a tenth of the interval', () => {
    const since = new Date('2026-11-20T00:00:00Z');
    const a = nextHeartbeatDue({ lastCheckedAt: '2026-11-22T08:00:00Z', intervalHours: 24, jitterSeed: 'MAC-A', since });
    const b = nextHeartbeatDue({ lastCheckedAt: '2026-11-22T08:00:00Z', intervalHours: 24, jitterSeed: 'MAC-B', since });
    for (const d of [a, b]) {
      expect(d.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-11-23T08:00:00Z'));
      expect(d.getTime()).toBeLessThan(Date.parse('2026-11-23T08:00:00Z') + 2.4 * HOUR);
    }
    expect(a.getTime()).not.toBe(b.getTime());
    expect(nextHeartbeatDue({ lastCheckedAt: '2026-11-22T08:00:00Z', intervalHours: 24, jitterSeed: 'MAC-A', since })).toEqual(a);
  });

  test('the bug: with no heartbeat yet it comes due — the daemon, ticking every minute on a simulated clock, starts one', () => {
    // Before the fix the due time was "now + offset", recomputed at every tick: always ahead.
    const since = new Date('2026-11-22T12:00:00Z');
    let started: Date | null = null;
    for (let now = since.getTime(); now <= since.getTime() + 48 * HOUR && !started; now += 60_000) {
      const heartbeatDue = nextHeartbeatDue({ lastCheckedAt: null, intervalHours: 24, jitterSeed: 'MAC-A', since });
      if (decideTick({ now: new Date(now), busy: false, nextAttempt: null, runRequested: false, interrupted: false, heartbeatDue }) === 'heartbeat') started = new Date(now);
    }
    expect(started).not.toBeNull();
    // Within this Mac's offset (under a tenth of the interval) after the daemon started, plus one tick.
    expect(started!.getTime() - since.getTime()).toBeLessThan(2.4 * HOUR + 60_000);
  });

  test('with no heartbeat yet the due time is fixed, whatever the time of asking', () => {
    const since = new Date('2026-11-22T12:00:00Z');
    const first = nextHeartbeatDue({ lastCheckedAt: null, intervalHours: 24, jitterSeed: 'MAC-B', since });
    expect(first.getTime()).toBeGreaterThanOrEqual(since.getTime());
    expect(nextHeartbeatDue({ lastCheckedAt: null, intervalHours: 24, jitterSeed: 'MAC-B', since })).toEqual(first);
    // An unreadable last date is treated as none, not as NaN (which never compares due).
    expect(nextHeartbeatDue({ lastCheckedAt: 'not a date', intervalHours: 24, jitterSeed: 'MAC-B', since })).toEqual(first);
  });

  test('the default interval is daily, and an admin\'s configured value is kept', async () => {
    const { root, cleanup } = await makeTempRoot();
    try {
      expect((await loadSettings([], root)).settings.CredentialHeartbeatInterval).toBe(24);
      await writePlistAtomically(hostPath(superdPaths.managedPreferences, root), { CredentialHeartbeatInterval: 4 });
      expect((await loadSettings([], root)).settings.CredentialHeartbeatInterval).toBe(4);
    } finally {
      await cleanup();
    }
  });
});
