import { CommandError } from '../errors';
import type { CommandResult, RunCommand } from './runCommand';

const EXPECT = '/usr/bin/expect';

/** One prompt and its answer; a secret answer is masked in everything the command prints. */
export interface PromptAnswer {
  /** The exact text the command prints before it reads the answer (a prefix is enough). */
  readonly prompt: string;
  readonly answer: string;
  readonly secret: boolean;
}

/** Exit statuses of the script itself (the command's own status otherwise). */
export const EXPECT_NO_PROMPT = 124;
export const EXPECT_ENDED_EARLY = 125;

/** Tcl braced word; the texts superd passes are fixed strings and user names, never secrets. */
function tclWord(text: string): string {
  if (/[{}\\\r\n]/.test(text)) throw new CommandError(EXPECT, null, '', `cannot pass ${JSON.stringify(text)} to expect (braces, backslashes and line breaks are refused)`);
  return `{${text}}`;
}

/**
 * The expect script (Tcl). It holds no secret: each answer is read from the environment variable
 * SUPERD_ANSWER_<n> of this one expect process, sent after its prompt with a carriage return as
 * typed at a terminal, and masked in the output that is printed (log_user 0, then the rest of the
 * command's output with secret answers replaced). Its own exit status is the command's, or
 * EXPECT_NO_PROMPT / EXPECT_ENDED_EARLY.
 */
export function expectScript(command: readonly string[], prompts: readonly PromptAnswer[], timeoutSeconds: number): string {
  const pairs = prompts.map((p, i) => `${tclWord(p.prompt)} SUPERD_ANSWER_${i}`).join(' ');
  const secrets = prompts.flatMap((p, i) => (p.secret ? [`SUPERD_ANSWER_${i}`] : [])).join(' ');
  return [
    'log_user 0',
    `set timeout ${Math.max(1, Math.round(timeoutSeconds))}`,
    `set command [list ${command.map(tclWord).join(' ')}]`,
    `set prompts [list ${pairs}]`,
    `set secrets [list ${secrets}]`,
    'proc masked {text} {',
    '  global secrets env',
    '  foreach name $secrets { if {$env($name) ne ""} { set text [string map [list $env($name) ********] $text] } }',
    '  return $text',
    '}',
    'spawn -noecho {*}$command',
    'foreach {prompt name} $prompts {',
    '  expect {',
    '    -exact $prompt { send -- "$env($name)\\r" }',
    '    timeout { puts "superd-expect: no prompt \\"$prompt\\" within $timeout s"; close; wait; exit 124 }',
    '    eof { puts -nonewline [masked $expect_out(buffer)]; puts "superd-expect: the command ended before the prompt \\"$prompt\\""; wait; exit 125 }',
    '  }',
    '}',
    'expect {',
    '  eof { puts -nonewline [masked $expect_out(buffer)] }',
    '  timeout { puts "superd-expect: the command did not finish within $timeout s"; close; wait; exit 124 }',
    '}',
    'lassign [wait] pid spawnid oserr status',
    'exit $status',
    '',
  ].join('\n');
}

/**
 * Runs `command` under /usr/bin/expect (shipped with macOS) so that it gets a pseudo-terminal and
 * reads its prompts from there, the way the public scripts drive `profiles install -type
 * bootstraptoken` (reference §4.4). The script is in argv (it holds no secret); the answers are in
 * the environment of the expect process only. stdout is the command's output after the last
 * prompt, secrets masked.
 */
export async function runWithPrompts(
  run: RunCommand,
  command: readonly string[],
  prompts: readonly PromptAnswer[],
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<CommandResult> {
  const env = Object.fromEntries(prompts.map((p, i) => [`SUPERD_ANSWER_${i}`, p.answer]));
  // expect's own limit per step is the whole limit; runCommand's timer is the backstop.
  return run(EXPECT, ['-c', expectScript(command, prompts, options.timeoutMs / 1000)], { timeoutMs: options.timeoutMs + 5_000, signal: options.signal, env });
}
