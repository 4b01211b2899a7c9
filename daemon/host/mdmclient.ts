import { CommandError, CommandTimeoutError } from '../errors';
import type { RunCommand } from './runCommand';

const MDMCLIENT = '/usr/libexec/mdmclient';
const TIMEOUT_MS = 60_000;
/**
 * How long `mdmclient AvailableOSUpdates` may take: super's TIMEOUT_START_SECONDS (120 s, the
 * limit of get_mdmclient_list() in Macjutsu/super `super`). It asks softwareupdated, which can
 * take a minute or more on a busy Mac.
 */
export const AVAILABLE_OS_UPDATES_TIMEOUT_MS = 120_000;

export interface MdmAvailableUpdate {
  readonly title: string;
  readonly version: string;
  readonly build: string | null;
  readonly major: boolean;
  readonly label: string | null;
}

/**
 * `mdmclient QueryDeviceInformation`: the top-level `Key = value;` pairs of its
 * QueryResponses (nested dictionaries are skipped). Used for `EACSPreflight`.
 */
export async function queryDeviceInformation(run: RunCommand, signal?: AbortSignal): Promise<Record<string, string>> {
  const r = await run(MDMCLIENT, ['QueryDeviceInformation'], { timeoutMs: TIMEOUT_MS, signal });
  if (r.exitCode !== 0) throw new CommandError(MDMCLIENT, r.exitCode, r.stderr);
  return parseQueryResponses(r.stdout);
}

export function parseQueryResponses(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let depth = 0;
  for (const line of text.split('\n')) {
    // Brackets inside quoted values (`"Unable to get Bootstrap Token <(null):0> ((null))"`) do not nest.
    const bare = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    const opens = (bare.match(/[{(]/g) ?? []).length;
    const closes = (bare.match(/[})]/g) ?? []).length;
    // QueryResponses' own keys sit at depth 2 (inside `Daemon response: {` and `QueryResponses = {`).
    if (depth === 2 && opens === 0) {
      const m = /^\s*([A-Za-z0-9_]+)\s*=\s*"?(.*?)"?;\s*$/.exec(line);
      if (m?.[1] !== undefined) out[m[1]] = m[2] ?? "";
    }
    depth += opens - closes;
  }
  return out;
}

/**
 * `mdmclient AvailableOSUpdates`: the `=== OS Update Item ===` blocks (Format A, reference §5.2).
 * Returns null when it has nothing to add: the verb is gone (macOS 27 beta, super issue #404:
 * unknown verb, no `Available updates` line), it failed, or it did not finish within `timeoutMs`
 * (then it is killed). On macOS 26.5 only Format B is printed, which parses to an empty list.
 * An abort of `signal` (superd stopping) is not swallowed.
 */
export async function availableOSUpdates(run: RunCommand, signal?: AbortSignal, opts: { timeoutMs?: number } = {}): Promise<MdmAvailableUpdate[] | null> {
  let r;
  try {
    r = await run(MDMCLIENT, ['AvailableOSUpdates'], { timeoutMs: opts.timeoutMs ?? AVAILABLE_OS_UPDATES_TIMEOUT_MS, signal });
  } catch (error) {
    if (error instanceof CommandTimeoutError) return null;
    throw error;
  }
  if (r.exitCode !== 0 || !/Available updates/.test(r.stdout)) return null;
  return parseAvailableOSUpdates(r.stdout);
}

export function parseAvailableOSUpdates(text: string): MdmAvailableUpdate[] {
  return text
    .split('=== OS Update Item ===')
    .slice(1)
    .map((block) => {
      const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(block)?.[1]?.trim() ?? '';
      const version = /^([\d.]+)/.exec(field('Version'))?.[1] ?? '';
      const msu = field('MSU');
      return {
        title: field('Title'),
        version,
        build: /<Build:\s*([^>\s]+)>/.exec(field('Version'))?.[1] ?? null,
        major: /Major:\s*YES/i.test(msu),
        label: /label:\s*([^)]+)\)/.exec(msu)?.[1]?.trim() ?? null,
      };
    })
    .filter((u) => u.version !== '');
}
