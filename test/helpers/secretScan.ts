import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Finds where any of `secrets` appears in plain text: every file under `root` (the fake
 * Mac's invocation log and keychain included) and any captured text. The only allowed form
 * of a secret is its base64 in the fake keychain's value field, which is not plain text.
 */
export function findSecrets(secrets: readonly string[], root: string, captured: readonly string[] = []): string[] {
  const hits: string[] = [];
  const check = (where: string, text: string) => {
    for (const s of secrets) if (text.includes(s)) hits.push(`${where} contains ${JSON.stringify(s.slice(0, 3))}…`);
  };
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      const st = statSync(file);
      if (st.isDirectory()) walk(file);
      else if (st.isFile() && st.size < 5_000_000) check(file, readFileSync(file, 'latin1'));
    }
  };
  walk(root);
  captured.forEach((text, i) => check(`captured output ${i}`, text));
  return hits;
}
