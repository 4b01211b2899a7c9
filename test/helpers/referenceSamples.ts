import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { sharedDir } from './sharedReference';

/**
 * Code blocks of reference/macos-commands.md under the heading that starts with `heading`,
 * exactly as the reference prints them (tabs included).
 */
export function referenceBlocks(heading: string): string[] {
  const text = readFileSync(path.join(sharedDir, 'reference/macos-commands.md'), 'utf8');
  const start = text.indexOf(`\n${heading}`);
  if (start < 0) throw new Error(`reference/macos-commands.md has no heading "${heading}"`);
  const rest = text.slice(start + 1);
  const next = rest.slice(1).search(/\n#{2,3} /);
  const section = next < 0 ? rest : rest.slice(0, next + 1);
  return [...section.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}
