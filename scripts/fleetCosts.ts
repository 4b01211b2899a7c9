/**
 * What each of superd's actions costs Jamf Pro, as the requests the real code sends, in order,
 * with the wait before each (ms). Not invented: each profile is taken from the real code run
 * against the Jamf Pro simulator, and test/fleet/fleetCosts.test.ts runs the real code again
 * and checks these lists against the simulator's request log.
 */
import { pollWaits } from '../daemon/workflow/verifyUpdate';

export interface RequestStep {
  /** `METHOD /path` as the simulator logs it (plan ids written as {id}). */
  readonly endpoint: string;
  /** Client-side wait before this request, after the previous answer (ms). */
  readonly afterMs: number;
}

/**
 * `superd credentials heartbeat` with an API client: a token and its invalidation, nothing else
 * (issue 18's budget; test/credentials/heartbeatBudget.test.ts).
 */
export const HEARTBEAT: readonly RequestStep[] = [
  { endpoint: 'POST /api/oauth/token', afterMs: 0 },
  { endpoint: 'POST /api/v1/auth/invalidate-token', afterMs: 0 },
];

/**
 * Plan polls after the blank push: verifyUpdate.ts's back-off (the first 30 s after the push,
 * then × 1.5 up to 120 s; a log line never polls). The simulator's plan completes after the
 * fifth (test/fleet/modelVsSimulator.test.ts counts them); on a real Mac the download takes
 * longer and the 120 s polls go on until the Mac has prepared the update.
 */
export const PLAN_POLLS = 5;
const POLL_WAITS_MS = pollWaits(PLAN_POLLS);
/** After the last poll the run waits once more (the Mac's restart pending ends it), then invalidates. */
const LAST_WAIT_MS = pollWaits(PLAN_POLLS + 1).at(-1)!;

const token = { endpoint: 'POST /api/oauth/token', afterMs: 0 };
const version = { endpoint: 'GET /api/v1/jamf-pro-version', afterMs: 0 };
const lookup = { endpoint: 'GET /api/v4/computers-inventory', afterMs: 0 };
const toggle = { endpoint: 'GET /api/v1/managed-software-updates/plans/feature-toggle', afterMs: 0 };
const pushed = [
  { endpoint: 'GET /api/v1/managed-software-updates/plans', afterMs: 0 },
  { endpoint: 'POST /api/v1/managed-software-updates/plans', afterMs: 0 },
  { endpoint: 'POST /api/v2/mdm/blank-push', afterMs: 0 },
  ...POLL_WAITS_MS.map((afterMs) => ({ endpoint: 'GET /api/v1/managed-software-updates/plans/{id}', afterMs })),
  { endpoint: 'POST /api/v1/auth/invalidate-token', afterMs: LAST_WAIT_MS },
];

/**
 * One verified plans push (Jamf Pro 11.30.0) with the server version, feature toggle and computer
 * id remembered (status/jamfFacts.ts): 5 requests plus the polls, as `npm run bench` prints it.
 */
export const PUSH: readonly RequestStep[] = [token, ...pushed];

/**
 * A push after the remembered toggle expired (7 days): it is read again; the version is still
 * remembered (90 days, status/jamfFacts.ts). A Mac whose last Jamf Pro run is more than 90 days
 * old also reads the version (7 requests); no scenario here spans that long.
 */
export const PUSH_FACTS_EXPIRED: readonly RequestStep[] = [token, toggle, ...pushed];

/** The first push of a Mac: nothing remembered, its computer looked up by hardware UUID too. */
export const PUSH_FIRST: readonly RequestStep[] = [token, version, lookup, toggle, ...pushed];

/** How many requests an action costs, polls included (the model counts what the simulator counts). */
export const requestCount = (steps: readonly RequestStep[]): number => steps.length;

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
