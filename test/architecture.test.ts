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

test('the lifecycle machine does no I/O: it imports only xstate at run time, and types', () => {
  const source = readFileSync(path.join(daemonDir, 'lifecycle/runMachine.ts'), 'utf8');
  const runtimeImports = [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
  expect(runtimeImports).toEqual(['xstate']);
  expect(source).not.toMatch(/require\(/);
});
