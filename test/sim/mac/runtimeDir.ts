import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The folder of the plain-JS fake runtime (`test/sim/mac/runtime`). From the sources it is
 * next to this file; from a build (`dist/test/sim/mac`) the .js files are not copied, so the
 * repository's source folder is used.
 */
export function runtimeDir(): string {
  const candidates = [path.join(__dirname, 'runtime')];
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    candidates.push(path.join(dir, 'test', 'sim', 'mac', 'runtime'));
    if (path.dirname(dir) === dir) break;
  }
  const found = candidates.find((dir) => existsSync(path.join(dir, 'fake-runtime.js')));
  if (!found) throw new Error(`fake Mac runtime not found (looked in ${candidates.slice(0, 3).join(', ')}, …)`);
  return found;
}

/** require() of one runtime module, typed by the caller. */
export function requireRuntime<T>(file: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(runtimeDir(), file)) as T;
}

/** What runtime/context.js accepts instead of a process's own plumbing (see createContext there). */
export interface FakeIo {
  stdin: string;
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  signal: AbortSignal;
  pid: number;
  exec(file: string, argv: readonly string[], extraEnv: Record<string, string>): Promise<number>;
  /** A real process waits for this call (test/sim/mac/nodeShimServer.ts), so the fake may wait until killed. */
  canWait?: boolean;
}

/** runtime/fake-runtime.js: runs the fake for a macOS path and resolves its exit status. */
export interface FakeRuntime {
  dispatch(root: string, command: string, argv: readonly string[], io: FakeIo): Promise<number>;
}
