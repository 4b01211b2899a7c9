/**
 * What each of superd's actions costs Jamf Pro, as the requests the real code sends, in order,
 * with the wait before each (ms). Not invented: each profile is taken from the real code run
 * against the Jamf Pro simulator, and test/fleet/fleetCosts.test.ts runs the real code again
 * and checks these lists against the simulator's request log.
 */
export interface RequestStep {
  /** `METHOD /path` as the simulator logs it (plan ids written as {id}). */
  readonly endpoint: string;
  /** Client-side wait before this request, after the previous answer (ms). */
  readonly afterMs: number;
}

/**
 * `superd credentials heartbeat` with an API client: token, version, whoami, invalidate
 * (test/credentials/heartbeat.test.ts, "Success: token, auth, invalidate"). Four requests, not
 * three: the heartbeat also reads the Jamf Pro version.
 */
export const HEARTBEAT: readonly RequestStep[] = [
  { endpoint: 'POST /api/oauth/token', afterMs: 0 },
  { endpoint: 'GET /api/v1/jamf-pro-version', afterMs: 0 },
  { endpoint: 'GET /api/v1/auth', afterMs: 0 },
  { endpoint: 'POST /api/v1/auth/invalidate-token', afterMs: 0 },
];

/**
 * Plan polls after the blank push: the first at once, then verifyUpdate.ts's back-off (10 s,
 * × 1.5, at most 60 s). `npm run bench` (scripts/benchPush.ts) shows 10 polls for one push on
 * the simulator, whose plan completes quickly; on a real Mac the download takes longer and the
 * 60 s polls go on until the Mac has prepared the update (more requests, each a minute apart).
 */
const POLL_WAITS_MS = [0, 10_000, 15_000, 22_500, 33_750, 50_625, 60_000, 60_000, 60_000, 60_000];

/** One successful plans push (Jamf Pro 11.30.0), as `npm run bench` prints it: 19 requests. */
export const PUSH: readonly RequestStep[] = [
  { endpoint: 'POST /api/oauth/token', afterMs: 0 },
  { endpoint: 'GET /api/v1/jamf-pro-version', afterMs: 0 },
  { endpoint: 'GET /api/v1/auth', afterMs: 0 },
  { endpoint: 'GET /api/v4/computers-inventory', afterMs: 0 },
  { endpoint: 'GET /api/v1/managed-software-updates/plans/feature-toggle', afterMs: 0 },
  { endpoint: 'GET /api/v1/managed-software-updates/plans', afterMs: 0 },
  { endpoint: 'POST /api/v1/managed-software-updates/plans', afterMs: 0 },
  { endpoint: 'POST /api/v2/mdm/blank-push', afterMs: 0 },
  ...POLL_WAITS_MS.map((afterMs) => ({ endpoint: 'GET /api/v1/managed-software-updates/plans/{id}', afterMs })),
  { endpoint: 'POST /api/v1/auth/invalidate-token', afterMs: 60_000 },
];

/**
 * An attempt while Jamf Pro is down (503 or connection refused): the token request fails and
 * nothing follows. A POST is never repeated on a 503 or a reset (daemon/jamf/retryPolicy.ts),
 * so a failed run or heartbeat costs one request.
 */
export const FAILED_ATTEMPT: readonly RequestStep[] = [{ endpoint: 'POST /api/oauth/token', afterMs: 0 }];

/**
 * A recurring update check that finds nothing new asks softwareupdate on the Mac and ends
 * before choosing a credential (runMachine.ts: findingTarget → upToDate): no Jamf Pro request.
 */
export const UP_TO_DATE_RUN: readonly RequestStep[] = [];

/** Same key as the simulator's log, for comparing a profile with what the real code sent. */
export function endpointOf(method: string, path: string): string {
  return `${method} ${path.replace(/\/plans\/[0-9A-F-]{36}$/i, '/plans/{id}')}`;
}
