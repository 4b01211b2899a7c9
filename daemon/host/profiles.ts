import { CommandError } from '../errors';
import type { RunCommand } from './runCommand';

const PROFILES = '/usr/bin/profiles';
const TIMEOUT_MS = 30_000;

export interface MdmEnrollment {
  readonly enrolled: boolean;
  readonly viaDEP: boolean;
  readonly userApproved: boolean;
  /** `MDM server:` when printed (macOS 13+). */
  readonly serverUrl: string | null;
}

export interface BootstrapTokenStatus {
  readonly supported: boolean;
  readonly escrowed: boolean;
}

/** `profiles status -type enrollment` (reference macos-commands.md, profiles). */
export async function readMdmEnrollment(run: RunCommand, signal?: AbortSignal): Promise<MdmEnrollment> {
  const r = await run(PROFILES, ['status', '-type', 'enrollment'], { timeoutMs: TIMEOUT_MS, signal });
  if (r.exitCode !== 0) throw new CommandError(PROFILES, r.exitCode, r.stderr);
  return parseEnrollment(r.stdout);
}

export function parseEnrollment(text: string): MdmEnrollment {
  const mdm = /^MDM enrollment:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? 'No';
  return {
    enrolled: /^Yes/i.test(mdm),
    viaDEP: /^Enrolled via DEP:\s*Yes/im.test(text),
    userApproved: /User Approved/i.test(mdm),
    serverUrl: /^MDM server:\s*(\S+)/m.exec(text)?.[1] ?? null,
  };
}

/** `profiles status -type bootstraptoken`: two `profiles: … YES|NO` lines. */
export async function readBootstrapTokenStatus(run: RunCommand, signal?: AbortSignal): Promise<BootstrapTokenStatus> {
  const r = await run(PROFILES, ['status', '-type', 'bootstraptoken'], { timeoutMs: TIMEOUT_MS, signal });
  if (r.exitCode !== 0) throw new CommandError(PROFILES, r.exitCode, r.stderr);
  return parseBootstrapTokenStatus(r.stdout);
}

export function parseBootstrapTokenStatus(text: string): BootstrapTokenStatus {
  return {
    supported: /Bootstrap Token supported on server:\s*YES/i.test(text),
    escrowed: /Bootstrap Token escrowed to server:\s*YES/i.test(text),
  };
}
