/**
 * `npm run build:native`: cross-builds the os_log helper (native/oslog-helper/superd-oslog.c)
 * for arm64 macOS with Debian's clang and ld64.lld (packages `clang` and `lld`), without a macOS
 * SDK: the C file declares what it uses (oslog_abi.h) and links against a hand-written
 * libSystem.tbd. Output: build/native/superd-oslog, signed ad hoc by ld64.lld. The package ships
 * it as /Library/Management/superd/app/bin/superd-oslog (daemon/log/osLogHelperSink.ts).
 *
 * `buildLinuxStubHelper` builds the same C file for this machine against stub/oslog_stub.c, so
 * that tests can drive the line protocol here.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';

/** The lowest macOS the helper runs on; the bundled Node 26 needs 13.5, so 13.0 is below it. */
export const MACOS_MINIMUM = '13.0';
/** From scripts/ (ts) and from dist/scripts/ (built). */
export const HELPER_SOURCE_DIR = path.resolve(__dirname, path.basename(path.dirname(__dirname)) === 'dist' ? '../../native/oslog-helper' : '../native/oslog-helper');

const C_FLAGS = ['-std=c11', '-Os', '-Wall', '-Wextra', '-Werror', '-fstack-protector-strong'];

export interface Toolchain {
  clang: string;
  ld64: string;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `name` on PATH, else `name-NN` (Debian's versioned names), the newest first. */
function findTool(name: string, extraDirs: readonly string[] = []): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) if (executable(path.join(dir, name))) return path.join(dir, name);
  const versioned: Array<{ file: string; version: number }> = [];
  for (const dir of dirs) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const entry of names) {
      const match = new RegExp(`^${name.replace(/\./g, '\\.')}-(\\d+)$`).exec(entry);
      if (match && executable(path.join(dir, entry))) versioned.push({ file: path.join(dir, entry), version: Number(match[1]) });
    }
  }
  versioned.sort((a, b) => b.version - a.version);
  return versioned[0]?.file ?? null;
}

function llvmBinDirs(): string[] {
  try {
    return readdirSync('/usr/lib')
      .filter((name) => /^llvm-\d+$/.test(name))
      .sort((a, b) => Number(b.slice(5)) - Number(a.slice(5)))
      .map((name) => `/usr/lib/${name}/bin`);
  } catch {
    return [];
  }
}

/** clang (SUPERD_CLANG overrides), or null. */
export function findClang(): string | null {
  return process.env.SUPERD_CLANG || findTool('clang');
}

/** clang and ld64.lld, or the reason they are missing (SUPERD_CLANG / SUPERD_LD64_LLD override). */
export function findToolchain(): Toolchain | { missing: string } {
  const clang = findClang();
  const ld64 = process.env.SUPERD_LD64_LLD || findTool('ld64.lld', llvmBinDirs());
  if (!clang || !ld64) {
    const absent = [!clang && 'clang', !ld64 && 'ld64.lld'].filter(Boolean).join(' and ');
    return { missing: `${absent} not found: install the Debian packages clang and lld (apt-get install -y clang lld)` };
  }
  return { clang, ld64 };
}

function requireToolchain(): Toolchain {
  const found = findToolchain();
  if ('missing' in found) throw new Error(found.missing);
  return found;
}

/** Compiles and links the arm64 macOS helper into `outFile`. */
export function buildMacHelper(outFile: string, toolchain: Toolchain = requireToolchain()): string {
  mkdirSync(path.dirname(outFile), { recursive: true });
  const object = `${outFile}.o`;
  execFileSync(toolchain.clang, ['-target', `arm64-apple-macos${MACOS_MINIMUM}`, ...C_FLAGS, '-c', '-o', object, path.join(HELPER_SOURCE_DIR, 'superd-oslog.c')], {
    stdio: 'inherit',
  });
  // ld64.lld signs arm64 macOS output ad hoc (LC_CODE_SIGNATURE), which Apple silicon requires.
  execFileSync(
    toolchain.ld64,
    ['-arch', 'arm64', '-platform_version', 'macos', MACOS_MINIMUM, MACOS_MINIMUM, '-o', outFile, object, path.join(HELPER_SOURCE_DIR, 'libSystem.tbd')],
    { stdio: 'inherit' },
  );
  rmSync(object, { force: true });
  return outFile;
}

/** Builds the helper for this machine against the printing os_log stub (tests only). */
export function buildLinuxStubHelper(outFile: string, clang: string): string {
  mkdirSync(path.dirname(outFile), { recursive: true });
  execFileSync(clang, [...C_FLAGS, '-o', outFile, path.join(HELPER_SOURCE_DIR, 'superd-oslog.c'), path.join(HELPER_SOURCE_DIR, 'stub', 'oslog_stub.c')], {
    stdio: 'inherit',
  });
  return outFile;
}

if (require.main === module) {
  const repo = path.resolve(HELPER_SOURCE_DIR, '../..');
  const out = buildMacHelper(path.join(repo, 'build', 'native', 'superd-oslog'));
  console.log(`Built ${out} (arm64 macOS ${MACOS_MINIMUM}+, signed ad hoc); the package installs it as /Library/Management/superd/app/bin/superd-oslog`);
}
