import type { CommandResult, RunCommand } from './runCommand';

export type LocalInstallResult =
  | { readonly ok: true; readonly lastProgress: number | null }
  | { readonly ok: false; readonly authFailed: boolean; readonly message: string; readonly lastProgress: number | null };

/**
 * The argv of a local macOS install, as super runs it on Apple silicon 13+:
 * `softwareupdate --install LABEL --restart --force --no-scan --agree-to-license --user NAME --stdinpass`
 * with the password piped on standard input (super lines 7792 and 7800, HEAD e796981). The
 * password is never an argument.
 */
export function installArgs(label: string, user: string): string[] {
  return ['--install', label, '--restart', '--force', '--no-scan', '--agree-to-license', '--user', user, '--stdinpass'];
}

/** On success the Mac restarts to finish the install. */
export async function installWithPassword(
  run: RunCommand,
  input: { label: string; user: string; password: string; timeoutMs: number },
  signal?: AbortSignal,
): Promise<LocalInstallResult> {
  const r = await run('/usr/sbin/softwareupdate', installArgs(input.label, input.user), {
    timeoutMs: input.timeoutMs,
    signal,
    stdin: `${input.password}\n`,
  });
  return parseInstallResult(r);
}

/**
 * Decides the outcome from the exit status **and** the text of both streams, because
 * softwareupdate is inconsistent about where a message goes (reference §6, cross-cutting fact 2)
 * and a real `Failed to authenticate` follows `Downloaded: …` with the exit status not recorded
 * (super issue #219; test/fixtures/macos/softwareupdate/auth-failed-sonoma-14.5.txt). super
 * matches the same error substrings in its merged log (super lines 7855–7905): any of them is a
 * failure even with exit 0.
 */
export function parseInstallResult(r: CommandResult): LocalInstallResult {
  const text = `${r.stdout}\n${r.stderr}`;
  const lastProgress = parseLastProgress(r.stdout);
  const authFailed = /Failed to authenticate/i.test(text);
  const error = INSTALL_ERRORS.find((re) => re.test(text));
  if (r.exitCode === 0 && !authFailed && !error) return { ok: true, lastProgress };
  const errorLine = text.split('\n').map((l) => l.trim()).find((l) => INSTALL_ERRORS.some((re) => re.test(l)) || /Failed to authenticate/i.test(l));
  const lastStderr = r.stderr.split('\n').map((l) => l.trim()).filter((l) => l && !BANNER.has(l)).pop();
  const message = errorLine ?? lastStderr ?? `softwareupdate exited ${r.exitCode ?? 'by a signal'}`;
  return { ok: false, authFailed, message, lastProgress };
}

/** Banner lines that say nothing about the outcome (asu.log, super v3.0 Example-Logs). */
const BANNER = new Set(['Software Update Tool', 'Finding available software']);

/**
 * Error substrings super matches in softwareupdate's merged output: the install watcher
 * (super line 7856: `Can’t connect`, `Couldn't communicate`, `No such update`, `Failed to
 * download`) and the download watcher (lines 7085–7094, adding `Not enough free disk space` and
 * `Failed to authenticate`). Full sentences unconfirmed (reference §6.3). `Can’t` is U+2019.
 */
const INSTALL_ERRORS: readonly RegExp[] = [/Can[’']t connect/, /Couldn't communicate/, /No such update/, /Not enough free disk space/, /Failed to download/];

/** The last `Downloading: NN.NN%` of softwareupdate's output. */
export function parseLastProgress(stdout: string): number | null {
  const all = [...stdout.matchAll(/Downloading:\s*([\d.]+)%/g)];
  const last = all[all.length - 1]?.[1];
  return last === undefined ? null : Number(last);
}
