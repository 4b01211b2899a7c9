import { verifyUpdate } from '../../daemon/workflow/verifyUpdate';
import type { MacProgressEvent, MacProgressWatch } from '../../daemon/workflow/contracts';
import type { JamfClient } from '../../daemon/jamf/jamfClient';

// verifyUpdate on an injected clock, with events as macProgressWatch makes them from real lines
// (test/workflow/macProgressWatch.test.ts). No plan: only the Mac's log decides.

function world(script: (at: number, call: number) => MacProgressEvent[]) {
  let now = 0;
  let calls = 0;
  const listeners: Array<(e: MacProgressEvent) => void> = [];
  const watch: MacProgressWatch = { onEvent: (l) => void listeners.push(l), stop: async () => undefined };
  const sleep = async (ms: number) => {
    // An event wakes the real sleep early: the clock moves 30 s per wait at most.
    now += Math.min(ms, 30_000);
    calls += 1;
    for (const e of script(now, calls)) for (const l of listeners) l(e);
  };
  return { deps: { client: {} as JamfClient, watch, sleep, now: () => new Date(now) } };
}
const timeouts = { noProgressMs: 10 * 60_000, totalMs: 60 * 60_000 };
const notNow: MacProgressEvent = { kind: 'mdm-command', command: 'ScheduleOSUpdate', status: 'not-now', detail: 'the Mac answered NotNow to ScheduleOSUpdate (busy; the MDM server sends it again)' };

test('NotNow answers keep coming: not a failure, not progress either; the no-progress limit ends it and names them', async () => {
  const w = world(() => [notNow]);
  const r = await verifyUpdate(w.deps, { planId: null, timeouts });
  expect(r).toEqual({ ok: false, failure: { reason: 'verification-timeout', message: expect.stringContaining('NotNow to ScheduleOSUpdate') } });
});

test('a NotNow, then the Mac prepares the update: verified', async () => {
  const w = world((_at, call) => (call === 1 ? [notNow] : [{ kind: 'prepare-progress', percent: 99.9 }, { kind: 'restart-pending' }]));
  expect(await verifyUpdate(w.deps, { planId: null, timeouts })).toEqual({ ok: true, evidence: 'the Mac prepared the update and its restart is pending' });
});

test.each([
  ['ddm', true],
  ['plans', false],
] as const)('an Error for DeclarativeManagement on the %s path refuses: %s', async (workflow, refused) => {
  const ddmError: MacProgressEvent = { kind: 'mdm-command', command: 'DeclarativeManagement', status: 'error', detail: 'the Mac answered Error to DeclarativeManagement' };
  const w = world((_at, call) => (call === 1 ? [ddmError] : [{ kind: 'restart-pending' }]));
  const r = await verifyUpdate(w.deps, { planId: null, timeouts, workflow });
  if (refused) expect(r).toEqual({ ok: false, failure: { reason: 'push-rejected', message: expect.stringContaining('answered Error to DeclarativeManagement') } });
  else expect(r.ok).toBe(true);
});
