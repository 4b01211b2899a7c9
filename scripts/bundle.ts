/**
 * Bundles superd's production code with esbuild, straight from the TypeScript sources, into the
 * layout `npm run stage` installs (docs/decisions.md "A lean payload: esbuild bundles"):
 *
 *   dist/daemon/cli/main.js            the entry point, at the path tsc gives it (launchd and
 *                                      /usr/local/bin/superd name it): main.ts alone
 *   dist/daemon/<lazy module>.js       a two-line stub for each module main.ts `require`s at a
 *                                      call site (the subcommands, help, …; found by building
 *                                      main.ts), at the path tsc gives it; a module among them
 *                                      that imports nothing and exports plain values
 *                                      (buildInfo) is bundled there on its own instead
 *   dist/daemon/cli/commands/core.js   all of superd's own code, once; each stub asks it for its
 *                                      module, and only then does that module (and what it
 *                                      imports) run. It sits beside the subcommands so that
 *                                      their `__dirname`-relative paths (the daemon's worker,
 *                                      `../main.js`) resolve as in the tsc build
 *   dist/vendor/<package>.js           one minified bundle per production package superd imports
 *                                      (undici, winston, xstate, plist), loaded only by the code
 *                                      that uses it; plist's stays a real dynamic import()
 *   THIRD-PARTY-NOTICES.txt            the licence of every package inside a bundle
 *
 * One copy of each superd module matters: `reportError` tells a `ConfigError` from a bug with
 * `instanceof`, which fails across two copies of errors.ts in two bundles.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { BuildOptions, Metafile, Plugin } from 'esbuild';

/** The entry point, relative to the repository; the modules it `require`s at a call site load lazily. */
export const ENTRY = 'daemon/cli/main.ts';
/** superd's own code, relative to the app folder: beside the subcommands (see above). */
export const CORE = 'dist/daemon/cli/commands/core.js';
/** Node 22.19 is the oldest Node `engines` allows; the package bundles Node 26. */
const TARGET = 'node22.19';

export interface BundleResult {
  /** Every file written, relative to the app folder. */
  readonly files: readonly string[];
  /** The modules main.ts requires lazily, each a stub asking the core for it (repository paths). */
  readonly lazyModules: readonly string[];
  /** Those of them bundled on their own instead: no imports, only plain exported values. */
  readonly standalone: readonly string[];
  /** The production packages inside the bundles (their licences are in THIRD-PARTY-NOTICES.txt). */
  readonly packages: readonly BundledPackage[];
  /** superd's own source files inside the bundles, relative to the repository. */
  readonly sources: readonly string[];
}

export interface BundledPackage {
  readonly name: string;
  readonly version: string;
  readonly license: string;
}

/** `repo` is the project root (sources and node_modules); `app` receives dist/ and the notices. */
export async function bundleDaemon(repo: string, app: string): Promise<BundleResult> {
  const vendorDir = path.join(app, 'dist/vendor');
  const vendors = new Set<string>();
  const metafiles: Metafile[] = [];
  const files: string[] = [];

  /** Bare imports (production packages) resolve to the shared vendor bundles, relative to `outfile`. */
  const vendorPlugin = (outfile: string, self?: string): Plugin => ({
    name: 'superd-vendor',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:') || builtinModules.includes(args.path)) return undefined;
        if (self !== undefined && (!vendors.has(args.path) || args.path === self)) return undefined;
        vendors.add(args.path);
        return { path: toRequirePath(path.relative(path.dirname(outfile), path.join(vendorDir, `${args.path}.js`))), external: true };
      });
    },
  });
  /** In main.ts, every `require()` at a call site is a boundary: left external, served by the core. */
  const lazy = new Set<string>();
  const lazyPlugin: Plugin = {
    name: 'superd-lazy',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind !== 'require-call' || path.resolve(args.importer) !== path.resolve(repo, ENTRY)) return undefined;
        lazy.add(path.relative(repo, resolveTs(path.resolve(path.dirname(args.importer), args.path))));
        return { path: args.path, external: true };
      });
    },
  };

  const common: BuildOptions = {
    absWorkingDir: repo,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: TARGET,
    metafile: true,
    logLevel: 'silent',
    // Licences are collected into THIRD-PARTY-NOTICES.txt instead.
    legalComments: 'none',
    // superd's own code stays readable: a stack trace from an admin's log points at real lines.
    minify: false,
    sourcemap: false,
    charset: 'utf8',
  };
  /** Builds `source` alone; keeps it when it has no imports and only plain exports. */
  const isPlainLeaf = async (source: string, outfile: string): Promise<boolean> => {
    const result = await esbuild.build({ ...common, entryPoints: [path.join(repo, source)], outfile, write: false });
    if (Object.keys(result.metafile!.inputs).length !== 1) return false;
    mkdirSync(path.dirname(outfile), { recursive: true });
    writeFileSync(outfile, result.outputFiles![0]!.text);
    const exported = require(outfile) as Record<string, unknown>;
    if (!Object.values(exported).every((v) => v === null || (typeof v !== 'object' && typeof v !== 'function'))) return false;
    metafiles.push(result.metafile!);
    files.push(path.relative(app, outfile));
    return true;
  };
  const run = async (options: BuildOptions, outfile: string) => {
    const result = await esbuild.build({ ...common, ...options, outfile });
    // A warning is a module esbuild could not resolve or a construct it could not bundle: the
    // payload would fail on a Mac, not here, so it stops the build.
    const problems = [...result.errors, ...result.warnings].map((m) => `${m.location ? `${m.location.file}:${m.location.line}: ` : ''}${m.text}`);
    if (problems.length > 0) throw new Error(`esbuild could not bundle ${path.relative(app, outfile)} cleanly:\n${problems.join('\n')}`);
    metafiles.push(result.metafile!);
    files.push(path.relative(app, outfile));
  };

  const outOf = (source: string) => path.join(app, 'dist', source.replace(/\.ts$/, '.js'));
  await run({ entryPoints: [path.join(repo, ENTRY)], plugins: [lazyPlugin, vendorPlugin(outOf(ENTRY))] }, outOf(ENTRY));
  if (lazy.size === 0) throw new Error(`${ENTRY} requires no module lazily: the bundle layout expects its subcommands to be required at the call site`);
  const lazyModules = [...lazy].sort();
  // The core: a `require()` per lazy module behind one function, so esbuild keeps each of them
  // (and everything they import) in a wrapper that runs on the first call, never at load.
  const core = path.join(app, CORE);
  const cases = lazyModules.map((m) => `    case ${JSON.stringify(m)}: return require(${JSON.stringify(`./${m}`)});`).join('\n');
  await run(
    {
      stdin: { contents: `export function load(id) {\n  switch (id) {\n${cases}\n    default: throw new Error("superd's core holds no module " + id);\n  }\n}\n`, resolveDir: repo, sourcefile: 'superd-core.js', loader: 'js' },
      plugins: [vendorPlugin(core)],
    },
    core,
  );
  const standalone: string[] = [];
  for (const source of lazyModules) {
    const outfile = outOf(source);
    // A module that imports nothing and exports only plain values (buildInfo) is bundled on its
    // own: `superd --version` then loads no core. A second copy of a constant is harmless.
    if (await isPlainLeaf(source, outfile)) {
      standalone.push(source);
      continue;
    }
    writeFileSync(outfile, `"use strict";\n// ${source}: superd's core bundle holds it (scripts/bundle.ts).\nmodule.exports = require(${JSON.stringify(toRequirePath(path.relative(path.dirname(outfile), core)))}).load(${JSON.stringify(source)});\n`);
    files.push(path.relative(app, outfile));
  }
  // Vendor bundles: minified (nobody reads their stack frames), each one package; a vendor that
  // imports another vendor's package uses that bundle, so no package is loaded twice.
  for (const name of [...vendors].sort()) {
    const outfile = path.join(vendorDir, `${name}.js`);
    await run(
      {
        stdin: { contents: isEsmOnly(repo, name) ? `export * from ${JSON.stringify(name)};` : `module.exports = require(${JSON.stringify(name)});`, resolveDir: repo, sourcefile: `vendor-${name}.js`, loader: 'js' },
        minify: true,
        plugins: [vendorPlugin(outfile, name)],
      },
      outfile,
    );
  }

  const packages = bundledPackages(repo, metafiles);
  writeFileSync(path.join(app, 'THIRD-PARTY-NOTICES.txt'), notices(repo, packages));
  files.push('THIRD-PARTY-NOTICES.txt');
  const sources = new Set(metafiles.flatMap((m) => Object.keys(m.inputs)).filter((input) => !input.includes('node_modules/') && !input.startsWith('<stdin>') && !input.startsWith('vendor-') && input !== 'superd-core.js'));
  return { files: files.sort(), lazyModules, standalone, packages: packages.map(({ name, version, license }) => ({ name, version, license })), sources: [...sources].sort() };
}

function toRequirePath(relative: string): string {
  const posix = relative.split(path.sep).join('/');
  return posix.startsWith('.') ? posix : `./${posix}`;
}

function resolveTs(withoutExtension: string): string {
  for (const candidate of [`${withoutExtension}.ts`, path.join(withoutExtension, 'index.ts')]) if (existsSync(candidate)) return candidate;
  throw new Error(`cannot find the TypeScript source of ${withoutExtension}`);
}

/** A package whose exports map offers no `require` condition (plist 5) is re-exported as ESM. */
function isEsmOnly(repo: string, name: string): boolean {
  const pkg = JSON.parse(readFileSync(path.join(repo, 'node_modules', name, 'package.json'), 'utf8')) as { type?: string };
  return pkg.type === 'module';
}

interface PackageJson {
  name: string;
  version: string;
  license?: string;
}

interface FoundPackage extends BundledPackage {
  /** Its folder, relative to the repository. */
  readonly dir: string;
}

/** Every package a bundle took code from, read from the esbuild metafiles' inputs. */
function bundledPackages(repo: string, metafiles: readonly Metafile[]): FoundPackage[] {
  const byId = new Map<string, FoundPackage>();
  for (const meta of metafiles) {
    for (const input of Object.keys(meta.inputs)) {
      const dir = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
      if (dir === undefined) continue;
      const pkg = JSON.parse(readFileSync(path.join(repo, dir, 'package.json'), 'utf8')) as PackageJson;
      const id = `${pkg.name}@${pkg.version}`;
      if (!byId.has(id)) byId.set(id, { name: pkg.name, version: pkg.version, license: pkg.license ?? 'see its licence file', dir });
    }
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

const LICENCE_FILE = /^licen[cs]e(\.(md|txt))?$/i;

/** The licence text of every bundled package; a package without one stops the build. */
function notices(repo: string, packages: readonly FoundPackage[]): string {
  const parts = ['superd bundles code from these packages; each is used under the licence that follows its name.\n'];
  for (const p of packages) {
    const name = readdirSync(path.join(repo, p.dir)).sort().find((f) => LICENCE_FILE.test(f));
    const file = name === undefined ? undefined : path.join(repo, p.dir, name);
    if (!file) throw new Error(`${p.name}@${p.version} is bundled but ships no licence file: add its notice to scripts/bundle.ts by hand`);
    parts.push(`${'='.repeat(72)}\n${p.name}@${p.version} (${p.license})\n${'='.repeat(72)}\n${readFileSync(file, 'utf8').trim()}\n`);
  }
  return parts.join('\n');
}
