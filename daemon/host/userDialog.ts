import type { RunCommand } from './runCommand';

export type DialogAnswer =
  | { readonly kind: 'ok'; readonly text: string }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'error'; readonly message: string };

/** AppleScript string literal. */
function literal(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * Asks the console user for their password: `launchctl asuser UID osascript` (a dialog needs the
 * user's GUI session), hidden answer, giving up after `timeoutSeconds`. The answer comes back on
 * osascript's standard output and is never logged.
 */
export async function askForPassword(
  run: RunCommand,
  input: { uid: number; title: string; message: string; timeoutSeconds: number },
  signal?: AbortSignal,
): Promise<DialogAnswer> {
  const script =
    `display dialog ${literal(input.message)} default answer "" with hidden answer with title ${literal(input.title)} ` +
    `buttons {"Cancel", "OK"} default button "OK" cancel button "Cancel" with icon caution giving up after ${input.timeoutSeconds}`;
  const r = await run('/bin/launchctl', ['asuser', String(input.uid), '/usr/bin/osascript', '-e', script], {
    timeoutMs: (input.timeoutSeconds + 30) * 1000,
    signal,
  });
  return parseDialogAnswer(r.exitCode, r.stdout, r.stderr);
}

export function parseDialogAnswer(exitCode: number | null, stdout: string, stderr: string): DialogAnswer {
  if (exitCode !== 0) {
    if (/\(-128\)/.test(stderr)) return { kind: 'cancel' };
    if (/\(-1712\)/.test(stderr)) return { kind: 'timeout' };
    return { kind: 'error', message: stderr.trim().split('\n')[0] ?? `osascript exited ${exitCode}` };
  }
  const line = stdout.replace(/\n$/, '');
  if (/gave up:true\s*$/.test(line)) return { kind: 'timeout' };
  // `button returned:OK, text returned:PASSWORD, gave up:false`: the password may hold commas.
  const m = /text returned:([\s\S]*?)(?:, gave up:(?:true|false))?$/.exec(line);
  return m ? { kind: 'ok', text: m[1] ?? '' } : { kind: 'error', message: 'osascript answered without a text field' };
}
