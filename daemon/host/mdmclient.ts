import { CommandError } from '../errors';
import type { RunCommand } from './runCommand';

const MDMCLIENT = '/usr/libexec/mdmclient';
const TIMEOUT_MS = 60_000;

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
 * `mdmclient AvailableOSUpdates`: the `=== OS Update Item ===` blocks. Returns null when the
 * command is gone (macOS 27 dropped it: unknown verb, no `Available updates` line).
 */
export async function availableOSUpdates(run: RunCommand, signal?: AbortSignal): Promise<MdmAvailableUpdate[] | null> {
  const r = await run(MDMCLIENT, ['AvailableOSUpdates'], { timeoutMs: TIMEOUT_MS, signal });
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
