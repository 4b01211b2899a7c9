/**
 * The outage scenario of the fleet simulation (scripts/fleetModel.ts) on 5,000 Macs: Jamf Pro
 * is down 10:00–12:00 while a new macOS release rolls out. Deterministic (seeded), no timing.
 */
import { maxWindow, fleetScenario } from '../../scripts/fleetSim';
import { runScenario } from '../../scripts/fleetModel';

const MACS = 5_000;
const outage = { ...fleetScenario(MACS, 'outage'), days: 1 };
const noJitter = { ...fleetScenario(MACS, 'outage-no-jitter'), days: 1 };
const RECOVERY_MINUTE = 12 * 60;

/**
 * The bound. After recovery each of the F Macs in an error streak comes back once, at a time
 * drawn uniformly from its back-off window; the narrowest window is the first one,
 * [1 min, DeferralTimerError = 60 min), so no minute gets more than F/59 of them on average.
 * The rollout itself adds N/360 pushes a minute (update checks every 6 h at uniform per-Mac
 * points). Push starts in a minute are then at most Poisson(λ), λ = F/59 + N/360; over the six
 * hours watched (360 minutes) the largest stays under λ + 5√λ + 5 (five standard deviations,
 * plus slack for small λ).
 */
function herdBound(failing: number): number {
  const lambda = failing / 59 + MACS / 360;
  return lambda + 5 * Math.sqrt(lambda) + 5;
}

describe('Jamf Pro down for two hours during a release (5,000 Macs)', () => {
  const jittered = runScenario(outage);
  const old = runScenario(noJitter);

  test('Macs failed and backed off, then every one of them pushed after recovery', () => {
    expect(jittered.failingAtRecovery).toBeGreaterThan(MACS / 4);
    expect(jittered.failedRuns).toBeGreaterThan(jittered.failingAtRecovery);
    expect(jittered.pushes).toBe(MACS);
    expect(jittered.jamf.failed).toBeGreaterThan(0);
  });

  test('no herd: push starts in any minute after recovery stay under the derived bound', () => {
    const bound = herdBound(jittered.failingAtRecovery);
    const worst = maxWindow(jittered.pushStartsPerMinute, RECOVERY_MINUTE, RECOVERY_MINUTE + 360);
    expect(worst).toBeLessThan(bound);
  });

  test('the same outage with the old, unjittered back-off does herd: the bound catches it', () => {
    // Macs whose pushes were in flight at 10:00 all failed within a minute or two, and without
    // jitter they come back together two back-off steps later (13:00).
    const worst = maxWindow(old.pushStartsPerMinute, RECOVERY_MINUTE, RECOVERY_MINUTE + 360);
    expect(worst).toBeGreaterThan(herdBound(old.failingAtRecovery));
    expect(maxWindow(jittered.jamf.perMinute, RECOVERY_MINUTE, RECOVERY_MINUTE + 360)).toBeLessThan(maxWindow(old.jamf.perMinute, RECOVERY_MINUTE, RECOVERY_MINUTE + 360));
  });
});
