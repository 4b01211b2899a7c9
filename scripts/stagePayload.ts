/**
 * Stages the exact payload of the superd package, on any OS: the tree as it lands on a Mac
 * (`/` = the staging folder), the package scripts beside it, and a manifest of every path with
 * its mode and owner (root:wheel), which pkgbuild applies on macOS.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface ManifestEntry {
  readonly path: string;
  readonly type: 'file' | 'dir';
  /** Octal, e.g. `0755`. */
  readonly mode: string;
  readonly owner: 'root';
  readonly group: 'wheel';
}

export interface StageResult {
  readonly payload: string;
  readonly scripts: string;
  readonly manifest: readonly ManifestEntry[];
  /** What could not be staged on this OS (the bundled Node runtime off macOS). */
  readonly notes: readonly string[];
}

const HOME = 'Library/Management/superd';
const EXECUTABLES = new Set(['usr/local/bin/superd', `${HOME}/uninstall.sh`, `${HOME}/node/bin/node`]);

/** `repo` is the project root with dist/ built; `out` receives payload/, scripts/ and manifest.json. */
export function stagePayload(repo: string, out: string, options: { nodeBinary?: string | null } = {}): StageResult {
  const payload = path.join(out, 'payload');
  const scripts = path.join(out, 'scripts');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(payload, { recursive: true });
  mkdirSync(scripts, { recursive: true });
  const notes: string[] = [];
  const put = (from: string, to: string) => {
    mkdirSync(path.dirname(path.join(payload, to)), { recursive: true });
    cpSync(path.join(repo, from), path.join(payload, to), { recursive: true });
  };

  if (!existsSync(path.join(repo, 'dist/daemon/cli/main.js'))) throw new Error('dist/ is not built: run npm run build first');
  put('dist/daemon', `${HOME}/app/dist/daemon`);
  const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { name: string; version: string; license: string; dependencies: Record<string, string> };
  writeFileSync(path.join(payload, `${HOME}/app/package.json`), `${JSON.stringify({ name: pkg.name, version: pkg.version, license: pkg.license, private: true, dependencies: pkg.dependencies }, null, 2)}\n`);
  for (const dir of productionPackages(repo)) put(dir, `${HOME}/app/${dir}`);
  put('launchd/com.github.superd.plist', 'Library/LaunchDaemons/com.github.superd.plist');
  put('launchd/superd', 'usr/local/bin/superd');
  put('launchd/uninstall.sh', `${HOME}/uninstall.sh`);
  put('docs', `${HOME}/docs`);
  for (const s of ['preinstall', 'postinstall']) {
    cpSync(path.join(repo, 'launchd', s), path.join(scripts, s));
    chmodSync(path.join(scripts, s), 0o755);
  }
  const node = options.nodeBinary === undefined ? (process.platform === 'darwin' ? process.execPath : null) : options.nodeBinary;
  if (node) {
    mkdirSync(path.join(payload, `${HOME}/node/bin`), { recursive: true });
    cpSync(node, path.join(payload, `${HOME}/node/bin/node`));
  } else {
    notes.push(`The bundled Node runtime (${HOME}/node/bin/node, a macOS build of Node ${process.versions.node}) is added when the package is built on macOS.`);
  }

  const manifest = walk(payload).map((rel): ManifestEntry => {
    const dir = statSync(path.join(payload, rel)).isDirectory();
    const mode = dir || EXECUTABLES.has(rel) ? 0o755 : 0o644;
    chmodSync(path.join(payload, rel), mode);
    return { path: rel, type: dir ? 'dir' : 'file', mode: `0${mode.toString(8)}`, owner: 'root', group: 'wheel' };
  });
  writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify({ notes, entries: manifest }, null, 2)}\n`);
  return { payload, scripts, manifest, notes };
}

/** node_modules folders of the production dependency tree (no dev dependencies). */
function productionPackages(repo: string): string[] {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: repo, encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => path.relative(repo, line.trim()))
    .filter((rel) => rel.startsWith('node_modules'))
    .sort();
}

function walk(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, rel)).sort()) {
    const child = rel ? `${rel}/${name}` : name;
    out.push(child);
    if (statSync(path.join(root, child)).isDirectory()) out.push(...walk(root, child));
  }
  return out;
}
