import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Read-only access, at test time, to the shared reference `macos-commands.md` (found at
 * `../shared/reference/` relative to the repository root). Nothing from it is copied into the
 * repository; tests skip with a message when it is absent.
 */

function repositoryRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'daemon'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** `../shared/reference/macos-commands.md` from the repository root (MACOS_COMMANDS_REFERENCE overrides it). */
export const REFERENCE_FILE = process.env.MACOS_COMMANDS_REFERENCE ?? path.resolve(repositoryRoot(), '..', 'shared', 'reference', 'macos-commands.md');

let cached: string | null | undefined;

/** The reference text, or null when ../shared is absent. */
export function loadReference(): string | null {
  if (cached === undefined) cached = fs.existsSync(REFERENCE_FILE) ? fs.readFileSync(REFERENCE_FILE, 'utf8') : null;
  return cached;
}

export const REFERENCE_MISSING = `skipped: ${REFERENCE_FILE} not found (the shared reference is read at test time)`;

/** The text under the heading that starts with `title` (e.g. "### 1.1"), up to the next heading of the same or higher level. */
export function section(title: string): string {
  const text = loadReference();
  if (text === null) throw new Error(REFERENCE_MISSING);
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^#{1,6} /.test(line) && line.replace(/^#+ /, '').startsWith(title.replace(/^#+ /, '')));
  if (start < 0) throw new Error(`heading "${title}" not found in ${REFERENCE_FILE}`);
  const level = /^#+/.exec(lines[start] ?? '')?.[0].length ?? 1;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i += 1) {
    const m = /^(#+) /.exec(lines[i] ?? '');
    if (m && (m[1]?.length ?? 7) <= level) {
      end = i;
      break;
    }
  }
  return lines.slice(start, end).join('\n');
}

/** Every fenced code block of a text, without the fences; each ends with a newline. */
export function codeBlocks(text: string): string[] {
  const blocks: string[] = [];
  const re = /^```[^\n]*\n([\s\S]*?)^```/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) blocks.push(m[1] ?? '');
  return blocks;
}

/** The first code block after the first occurrence of `marker` in the section. */
export function blockAfter(sectionTitle: string, marker: string): string {
  const text = section(sectionTitle);
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`"${marker}" not found under "${sectionTitle}"`);
  const block = codeBlocks(text.slice(at))[0];
  if (block === undefined) throw new Error(`no code block after "${marker}" under "${sectionTitle}"`);
  return block;
}

/** The first code block whose text contains `needle`. */
export function blockContaining(sectionTitle: string, needle: string): string {
  const block = codeBlocks(section(sectionTitle)).find((b) => b.includes(needle));
  if (block === undefined) throw new Error(`no code block containing "${needle}" under "${sectionTitle}"`);
  return block;
}

/** The escaped sample after "Escaped:" following `marker`, unescaped (\t, \n). */
export function escapedAfter(sectionTitle: string, marker: string): string {
  const text = section(sectionTitle);
  const from = text.indexOf(marker);
  const m = /Escaped[^`]*`"((?:[^"\\]|\\.)*)"`/.exec(text.slice(from < 0 ? 0 : from));
  if (!m?.[1]) throw new Error(`no Escaped sample after "${marker}" under "${sectionTitle}"`);
  return JSON.parse(`"${m[1]}"`) as string;
}
