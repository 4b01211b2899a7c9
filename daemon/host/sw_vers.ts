import { CommandError } from '../errors';
import type { RunCommand } from './runCommand';

export const SW_VERS = '/usr/bin/sw_vers';

export interface MacOSVersion {
  productName: string;
  productVersion: string;
  /** Rapid Security Response suffix such as `(a)`, or null. */
  productVersionExtra: string | null;
  buildVersion: string;
}

/**
 * Parses full `sw_vers` output. Splits each line on its first colon and trims, because the
 * tab count changed between macOS 12 (one) and 13 (two) (reference/macos-commands.md §1.1).
 */
export function parseSwVers(text: string): MacOSVersion {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const productVersion = fields.get('ProductVersion');
  const buildVersion = fields.get('BuildVersion');
  if (!productVersion || !buildVersion || !/^\d+(\.\d+){0,2}$/.test(productVersion)) {
    throw new CommandError('sw_vers', 0, '', `sw_vers printed no usable ProductVersion/BuildVersion: ${JSON.stringify(text.slice(0, 200))}`);
  }
  const extra = fields.get('ProductVersionExtra');
  return {
    productName: fields.get('ProductName') ?? 'macOS',
    productVersion,
    productVersionExtra: extra ? extra : null,
    buildVersion,
  };
}

export async function readMacOSVersion(run: RunCommand, signal?: AbortSignal): Promise<MacOSVersion> {
  const result = await run(SW_VERS, [], { timeoutMs: 10_000, signal });
  if (result.exitCode !== 0) throw new CommandError('sw_vers', result.exitCode, result.stderr);
  return parseSwVers(result.stdout);
}
