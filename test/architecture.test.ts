import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const daemonDir = path.join(__dirname, '../daemon');
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sources(file) : file.endsWith('.ts') ? [file] : [];
  });
}

test('nothing in daemon/ imports test/ or scripts/ (the product never depends on the simulator or fakes)', () => {
  const files = sources(daemonDir);
  expect(files.length).toBeGreaterThan(20);
  const offenders = files.filter((f) => /(?:from|require\(|import\()\s*['"](?:\.\.\/)+(?:test|scripts)\//.test(readFileSync(f, 'utf8')));
  expect(offenders).toEqual([]);
});
