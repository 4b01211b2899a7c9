import { CommandAbortedError } from '../errors';
import { AVAILABLE_OS_UPDATES_TIMEOUT_MS, availableOSUpdates, type MdmAvailableUpdate } from '../host/mdmclient';
import type { RunCommand } from '../host/runCommand';
import { listSoftwareUpdates, type ListedUpdate } from '../host/softwareupdate';
import { compareVersions } from '../version';
import type { UpdateTarget } from './contracts';

export interface TargetPolicy {
  readonly installedVersion: string;
  readonly majorUpgrades: boolean;
  /** `26` or a specific version of a major (`26.1`). */
  readonly majorTarget: string | null;
  /** A specific minor update (`15.7.2`) instead of the latest. */
  readonly minorTarget: string | null;
}

interface Candidate {
  version: string;
  build: string | null;
  label: string | null;
  title: string;
  restart: boolean;
}

const major = (v: string) => Number(v.split('.')[0]);

export interface TargetSearchOptions {
  /** How long mdmclient may take (default 120 s, super's TIMEOUT_START_SECONDS). */
  readonly mdmclientWaitMs?: number;
  /** The run's clock: when given, the mdmclient wait runs on it (resolves early on abort). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** `mdmclient AvailableOSUpdates` is gone from this major on (macOS 27 beta, super issue #404). */
const MDMCLIENT_LIST_GONE_FROM_MAJOR = 27;

/**
 * The update to install: softwareupdate's list, joined with mdmclient's where mdmclient still
 * offers one (it adds builds). mdmclient is optional: not asked on macOS 27+, and a slow, failing
 * or empty answer (macOS 26.5 prints only a format that has no items here) leaves softwareupdate's
 * list alone; super instead retries it and gives up the run (get_mdmclient_list(),
 * docs/decisions.md). By default the latest minor update of the installed major; a minor target
 * picks that version (or none if not offered); majors only with majorUpgrades, up to the major
 * target when one is set.
 */
export async function findUpdateTarget(run: RunCommand, policy: TargetPolicy, signal?: AbortSignal, opts: TargetSearchOptions = {}): Promise<UpdateTarget | null> {
  const [listed, mdm] = await Promise.all([listSoftwareUpdates(run, signal), mdmclientUpdates(run, policy, signal, opts)]);
  return chooseTarget(mergeCandidates(listed, mdm ?? []), policy);
}

/** mdmclient's list, or null when it has none to give within the wait. */
async function mdmclientUpdates(run: RunCommand, policy: TargetPolicy, signal: AbortSignal | undefined, opts: TargetSearchOptions): Promise<MdmAvailableUpdate[] | null> {
  if (major(policy.installedVersion) >= MDMCLIENT_LIST_GONE_FROM_MAJOR) return null;
  const waitMs = opts.mdmclientWaitMs ?? AVAILABLE_OS_UPDATES_TIMEOUT_MS;
  if (!opts.sleep) return availableOSUpdates(run, signal, { timeoutMs: waitMs });
  // The wait runs on the run's clock; the command's own (real) timer stays as a backstop.
  const outer = signal ? [signal] : [];
  const stopQuery = new AbortController();
  const stopWait = new AbortController();
  const query = availableOSUpdates(run, AbortSignal.any([stopQuery.signal, ...outer]), { timeoutMs: waitMs });
  const settled = query.then((updates) => ({ updates }), (error: unknown) => ({ error }));
  const first = await Promise.race([settled, opts.sleep(waitMs, AbortSignal.any([stopWait.signal, ...outer])).then(() => 'waited' as const)]);
  if (first !== 'waited') {
    stopWait.abort();
    if ('error' in first) throw first.error;
    return first.updates;
  }
  stopQuery.abort();
  const late = await settled;
  if ('error' in late && (signal?.aborted || !(late.error instanceof CommandAbortedError))) throw late.error;
  return 'updates' in late ? late.updates : null;
}

export function mergeCandidates(listed: readonly ListedUpdate[], mdm: readonly MdmAvailableUpdate[]): Candidate[] {
  const out: Candidate[] = [];
  for (const u of listed) {
    if (!/^macOS/i.test(u.title) || u.version === '') continue;
    const m = mdm.find((x) => x.label === u.label || x.version === u.version);
    out.push({ version: u.version, build: m?.build ?? /-(\w+)$/.exec(u.label)?.[1] ?? null, label: u.label, title: u.title, restart: u.restart });
  }
  for (const m of mdm) {
    if (!out.some((c) => c.version === m.version)) out.push({ version: m.version, build: m.build, label: m.label, title: m.title, restart: true });
  }
  return out;
}

export function chooseTarget(candidates: readonly Candidate[], policy: TargetPolicy): UpdateTarget | null {
  const installedMajor = major(policy.installedVersion);
  const newer = candidates.filter((c) => compareVersions(c.version, policy.installedVersion) > 0);
  let eligible = newer.filter((c) => major(c.version) === installedMajor);
  if (policy.majorUpgrades) {
    const cap = policy.majorTarget;
    const majors = newer.filter((c) => major(c.version) > installedMajor && (cap === null || (cap.includes('.') ? c.version === cap : major(c.version) <= Number(cap))));
    if (majors.length > 0) eligible = majors;
  }
  if (policy.minorTarget !== null) eligible = eligible.filter((c) => c.version === policy.minorTarget);
  const best = [...eligible].sort((a, b) => compareVersions(b.version, a.version))[0];
  if (!best) return null;
  return {
    version: best.version,
    build: best.build,
    label: best.label,
    title: best.title,
    kind: major(best.version) > installedMajor ? 'major' : 'minor',
    restartRequired: best.restart,
  };
}
