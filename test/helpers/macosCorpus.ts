import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { RunCommand } from '../../daemon/host/runCommand';

/** test/fixtures/macos: real macOS command output, one folder per command (README.md there). */
export const corpusDir = path.join(__dirname, '..', 'fixtures', 'macos');

export const STDOUT_MARKER = '# --- stdout ---';
export const STDERR_MARKER = '# --- stderr ---';

export interface MacosCase {
  /** `<command>/<case>`, e.g. `sw_vers/macos13-rsr`. */
  readonly id: string;
  readonly command: string;
  readonly name: string;
  /** Every `# source:` line, in order. */
  readonly sources: readonly string[];
  /** The `# command:` line: the exact argv (or how stdin was used). */
  readonly argv: string;
  /** `# exit:` when the capture recorded it, else null. */
  readonly exit: number | null;
  /** `confirmed` (verbatim capture), `derived` or `representative` (see README.md). */
  readonly confidence: string;
  /** `# streams:` (e.g. `merged (2>&1)`) or null when stdout and stderr were captured apart. */
  readonly streams: string | null;
  readonly notes: readonly string[];
  readonly stdout: string;
  /** The `# --- stderr ---` section; null when the file has none. */
  readonly stderr: string | null;
}

/**
 * Parses one corpus file: `# key: value` header lines, then a `# --- stdout ---` line, the
 * output verbatim, and optionally a `# --- stderr ---` line and stderr verbatim.
 */
export function parseCase(id: string, text: string): MacosCase {
  const lines = text.split('\n');
  const stdoutAt = lines.indexOf(STDOUT_MARKER);
  if (stdoutAt < 0) throw new Error(`${id}: no "${STDOUT_MARKER}" line`);
  const fields = new Map<string, string[]>();
  for (const line of lines.slice(0, stdoutAt)) {
    const m = /^# ([a-z]+): (.*)$/.exec(line);
    if (!m) throw new Error(`${id}: header line is not "# key: value": ${JSON.stringify(line)}`);
    const [, key = '', value = ''] = m;
    fields.set(key, [...(fields.get(key) ?? []), value]);
  }
  const known = new Set(['source', 'command', 'exit', 'confidence', 'streams', 'note']);
  for (const key of fields.keys()) if (!known.has(key)) throw new Error(`${id}: unknown header field "${key}"`);
  const one = (key: string): string | null => {
    const values = fields.get(key) ?? [];
    if (values.length > 1) throw new Error(`${id}: "# ${key}:" appears ${values.length} times`);
    return values[0] ?? null;
  };
  const sources = fields.get('source') ?? [];
  const argv = one('command');
  if (sources.length === 0 || argv === null) throw new Error(`${id}: "# source:" and "# command:" are required`);
  const exitText = one('exit');
  if (exitText !== null && !/^\d+$/.test(exitText)) throw new Error(`${id}: "# exit:" must be a number, got ${exitText}`);
  const confidence = one('confidence') ?? 'confirmed';
  if (!['confirmed', 'derived', 'representative'].includes(confidence)) throw new Error(`${id}: unknown confidence "${confidence}"`);

  const body = lines.slice(stdoutAt + 1).join('\n');
  const stderrAt = body.startsWith(`${STDERR_MARKER}\n`) || body === STDERR_MARKER ? 0 : body.indexOf(`\n${STDERR_MARKER}`);
  const stdout = stderrAt < 0 ? body : stderrAt === 0 ? '' : body.slice(0, stderrAt + 1);
  const stderr = stderrAt < 0 ? null : body.slice(stderrAt === 0 ? STDERR_MARKER.length + 1 : stderrAt + STDERR_MARKER.length + 2);
  const [command = '', name = ''] = id.split('/');
  return {
    id,
    command,
    name,
    sources,
    argv,
    exit: exitText === null ? null : Number(exitText),
    confidence,
    streams: one('streams'),
    notes: fields.get('note') ?? [],
    stdout,
    stderr,
  };
}

/** One case, e.g. `loadCase('sw_vers', 'macos13-rsr')`. */
export function loadCase(command: string, name: string): MacosCase {
  const id = `${command}/${name}`;
  return parseCase(id, readFileSync(path.join(corpusDir, command, `${name}.txt`), 'utf8'));
}

/** Every case of one command folder, sorted by name. */
export function loadCases(command: string): MacosCase[] {
  return readdirSync(path.join(corpusDir, command))
    .filter((file) => file.endsWith('.txt'))
    .sort()
    .map((file) => loadCase(command, file.slice(0, -4)));
}

/** Every case of the corpus, command folders in name order. */
export function loadAllCases(): MacosCase[] {
  return readdirSync(corpusDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .flatMap((command) => loadCases(command));
}

/** stdout and stderr together, as super sees them with `2>&1` (stdout first). */
export function merged(c: MacosCase): string {
  return c.stdout + (c.stderr ?? '');
}

export interface ReplayCall {
  readonly command: string;
  readonly args: readonly string[];
  readonly stdin: string | undefined;
}

/**
 * A RunCommand that answers every call with one case's output, and records the calls (argv and
 * stdin) so a test can check what the adapter ran. `exit` overrides the case's `# exit:` (for
 * captures that did not record it, or to replay the same text with another status); `onStderr`
 * replays the whole capture on stderr instead (for captures whose stream split is unconfirmed).
 */
export function replay(c: MacosCase, options: { exit?: number; onStderr?: boolean } = {}): { run: RunCommand; calls: ReplayCall[] } {
  const calls: ReplayCall[] = [];
  const exitCode = options.exit ?? c.exit;
  if (exitCode === null) throw new Error(`${c.id} recorded no exit status: pass one explicitly`);
  const run: RunCommand = async (command, args, runOptions) => {
    calls.push({ command, args: [...args], stdin: runOptions.stdin });
    return options.onStderr
      ? { stdout: '', stderr: merged(c), exitCode }
      : { stdout: c.stdout, stderr: c.stderr ?? '', exitCode };
  };
  return { run, calls };
}

/** The generated part of INDEX.md: one table per command folder, from the headers. */
export function renderIndex(cases: readonly MacosCase[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  let out = `${INDEX_BEGIN}\n`;
  let current = '';
  for (const c of cases) {
    if (c.command !== current) {
      current = c.command;
      out += `\n### ${current}\n\n| Case | Command | Exit | Confidence | Source |\n|---|---|---|---|---|\n`;
    }
    out += `| [${c.name}](${c.command}/${c.name}.txt) | \`${cell(c.argv)}\` | ${c.exit ?? '—'} | ${c.confidence} | ${cell(c.sources.join('; '))} |\n`;
  }
  return `${out}\n${INDEX_END}\n`;
}

export const INDEX_BEGIN = '<!-- BEGIN generated by test/host/corpus.test.ts (UPDATE_MACOS_INDEX=1 to rewrite) -->';
export const INDEX_END = '<!-- END generated -->';
