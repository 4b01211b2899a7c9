/**
 * Stages the exact payload of the superd package, on any OS: the tree as it lands on a Mac
 * (`/` = the staging folder), the package scripts beside it, and a manifest of every path with
 * its mode, owner (root:wheel, which pkgbuild applies on macOS) and size.
 *
 * superd's code goes in as esbuild bundles (scripts/bundle.ts): production code only, no
 * source maps, declarations, dependency docs or dev-only packages.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildMacHelper, findToolchain } from './buildNative';
import { bundleDaemon, type BundleResult } from './bundle';

export interface ManifestEntry {
  readonly path: string;
  readonly type: 'file' | 'dir';
  /** Octal, e.g. `0755`. */
  readonly mode: string;
  readonly owner: 'root';
  readonly group: 'wheel';
  /** Bytes of a file; 0 for a directory. */
  readonly bytes: number;
}

export interface PayloadSize {
  /** Every file of the payload except the bundled Node runtime. */
  readonly withoutNode: number;
  /** With the Node runtime: staged (macOS), or estimated from this OS's Node binary (`nodeEstimated`). */
  readonly withNode: number;
  readonly nodeEstimated: boolean;
  /** The budget `withoutNode` must stay within (issue 17). */
  readonly limitWithoutNode: number;
}

export interface StageResult {
  readonly payload: string;
  readonly scripts: string;
  readonly manifest: readonly ManifestEntry[];
  readonly size: PayloadSize;
  /** What the bundles hold: files, production packages, superd's own sources. */
  readonly bundle: BundleResult;
  /** What could not be staged on this OS (the bundled Node runtime off macOS, an unbuilt helper). */
  readonly notes: readonly string[];
}

export const HOME = 'Library/Management/superd';
/** The app folder: bundles, notices and helper binaries. The entry keeps its tsc-era path. */
export const APP = `${HOME}/app`;
export const MAIN = `${APP}/dist/daemon/cli/main.js`;
export const NODE = `${HOME}/node/bin/node`;
/** The os_log helper (built elsewhere into build/native/superd-oslog), when it exists. */
export const OSLOG_HELPER = `${APP}/bin/superd-oslog`;
export const OSLOG_HELPER_SOURCE = 'build/native/superd-oslog';
/** 3 MB (decimal) for everything but Node. */
export const PAYLOAD_LIMIT_BYTES = 3_000_000;
const EXECUTABLES = new Set(['usr/local/bin/superd', `${HOME}/uninstall.sh`, NODE, OSLOG_HELPER]);
/** docs/ for admins; decisions.md is the developers' record and stays in the repository. */
const DEVELOPER_DOCS = new Set(['decisions.md']);

/** `repo` is the project root (sources, node_modules); `out` receives payload/, scripts/ and manifest.json. */
export interface StageOptions {
  /** The Node binary to bundle; default: this one on macOS, none elsewhere. */
  readonly nodeBinary?: string | null;
  /** The os_log helper to install; default: build/native/superd-oslog when it exists. */
  readonly oslogHelper?: string | null;
}

export async function stagePayload(repo: string, out: string, options: StageOptions = {}): Promise<StageResult> {
  const payload = path.join(out, 'payload');
  const scripts = path.join(out, 'scripts');
  // Only what staging writes: `out` is build/ by default, where the native helper is built too.
  for (const own of [payload, scripts, path.join(out, 'manifest.json')]) rmSync(own, { recursive: true, force: true });
  mkdirSync(payload, { recursive: true });
  mkdirSync(scripts, { recursive: true });
  const notes: string[] = [];
  const put = (from: string, to: string) => {
    mkdirSync(path.dirname(path.join(payload, to)), { recursive: true });
    cpSync(path.join(repo, from), path.join(payload, to), { recursive: true, filter: (src) => !DEVELOPER_DOCS.has(path.relative(path.join(repo, 'docs'), src)) });
  };

  const bundle = await bundleDaemon(repo, path.join(payload, APP));
  const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { name: string; version: string; license: string };
  // "type" spares Node its module-syntax detection; the dependencies are inside the bundles.
  writeFileSync(path.join(payload, `${APP}/package.json`), `${JSON.stringify({ name: pkg.name, version: pkg.version, license: pkg.license, private: true, type: 'commonjs' }, null, 2)}\n`);
  const helper = options.oslogHelper === undefined ? path.join(repo, OSLOG_HELPER_SOURCE) : options.oslogHelper;
  // Built here when it is not yet and the cross toolchain (clang, ld64.lld) is on this machine.
  if (options.oslogHelper === undefined && helper && !existsSync(helper) && !('missing' in findToolchain())) buildMacHelper(helper);
  if (helper && existsSync(helper)) {
    mkdirSync(path.dirname(path.join(payload, OSLOG_HELPER)), { recursive: true });
    cpSync(helper, path.join(payload, OSLOG_HELPER));
  } else {
    notes.push(`The os_log helper (${options.oslogHelper === undefined ? OSLOG_HELPER_SOURCE : String(options.oslogHelper)}) is not built; the payload has no ${OSLOG_HELPER}.`);
  }
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
    mkdirSync(path.join(payload, path.dirname(NODE)), { recursive: true });
    cpSync(node, path.join(payload, NODE));
  } else {
    notes.push(`The bundled Node runtime (${NODE}, a macOS build of Node ${process.versions.node}) is added when the package is built on macOS.`);
  }

  const manifest = walk(payload).map((rel): ManifestEntry => {
    const stat = statSync(path.join(payload, rel));
    const dir = stat.isDirectory();
    const mode = dir || EXECUTABLES.has(rel) ? 0o755 : 0o644;
    chmodSync(path.join(payload, rel), mode);
    return { path: rel, type: dir ? 'dir' : 'file', mode: `0${mode.toString(8)}`, owner: 'root', group: 'wheel', bytes: dir ? 0 : stat.size };
  });
  const withoutNode = manifest.filter((e) => e.path !== NODE).reduce((sum, e) => sum + e.bytes, 0);
  const nodeBytes = node ? statSync(node).size : statSync(process.execPath).size;
  const size: PayloadSize = { withoutNode, withNode: withoutNode + nodeBytes, nodeEstimated: !node, limitWithoutNode: PAYLOAD_LIMIT_BYTES };
  writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify({ size, notes, packages: bundle.packages, entries: manifest }, null, 2)}\n`);
  return { payload, scripts, manifest, size, bundle, notes };
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
