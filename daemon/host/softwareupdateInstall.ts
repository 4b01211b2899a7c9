import type { RunCommand } from './runCommand';

export type LocalInstallResult =
  | { readonly ok: true; readonly lastProgress: number | null }
  | { readonly ok: false; readonly authFailed: boolean; readonly message: string; readonly lastProgress: number | null };

/**
 * `softwareupdate --install LABEL --restart --user NAME --stdinpass`: the password on standard
 * input (as super does). On success the Mac restarts to finish the install.
 */
export async function installWithPassword(
  run: RunCommand,
  input: { label: string; user: string; password: string; timeoutMs: number },
  signal?: AbortSignal,
): Promise<LocalInstallResult> {
  const r = await run('/usr/sbin/softwareupdate', ['--install', input.label, '--restart', '--user', input.user, '--stdinpass'], {
    timeoutMs: input.timeoutMs,
    signal,
    stdin: `${input.password}\n`,
  });
  const lastProgress = parseLastProgress(r.stdout);
  if (r.exitCode === 0 && !/Failed to authenticate/.test(r.stderr)) return { ok: true, lastProgress };
  const authFailed = /Failed to authenticate/i.test(r.stderr + r.stdout);
  const message = (r.stderr.split('\n').map((l) => l.trim()).filter((l) => l && l !== 'Software Update Tool' && l !== 'Finding available software').pop()) ?? `softwareupdate exited ${r.exitCode}`;
  return { ok: false, authFailed, message, lastProgress };
}

/** The last `Downloading: NN.NN%` of softwareupdate's output. */
export function parseLastProgress(stdout: string): number | null {
  const all = [...stdout.matchAll(/Downloading:\s*([\d.]+)%/g)];
  const last = all[all.length - 1]?.[1];
  return last === undefined ? null : Number(last);
}
