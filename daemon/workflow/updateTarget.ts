import { availableOSUpdates, type MdmAvailableUpdate } from '../host/mdmclient';
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

/**
 * The update to install: softwareupdate's list joined with mdmclient's (which adds builds;
 * macOS 27 has no AvailableOSUpdates, then softwareupdate alone). By default the latest minor
 * update of the installed major; a minor target picks that version (or none if not offered);
 * majors only with majorUpgrades, up to the major target when one is set.
 */
export async function findUpdateTarget(run: RunCommand, policy: TargetPolicy, signal?: AbortSignal): Promise<UpdateTarget | null> {
  const [listed, mdm] = await Promise.all([listSoftwareUpdates(run, signal), availableOSUpdates(run, signal)]);
  return chooseTarget(mergeCandidates(listed, mdm ?? []), policy);
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
