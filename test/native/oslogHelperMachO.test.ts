import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildMacHelper, findToolchain, MACOS_MINIMUM } from '../../scripts/buildNative';
import { CPU_TYPE_ARM64, CS_ADHOC, MH_EXECUTE, parseMachO, PLATFORM_MACOS, type MachOFile } from './machO';

/** What superd-oslog.c imports from libSystem, and nothing else (see native/oslog-helper/libSystem.tbd). */
const IMPORTS = ['___error', '___stack_chk_fail', '___stack_chk_guard', '__os_log_impl', '_os_log_create', '_os_log_type_enabled', '_read'];

const toolchain = findToolchain();
const describeWithToolchain = 'missing' in toolchain ? describe.skip : describe;
if ('missing' in toolchain) {
  console.warn(`the Mach-O checks of the os_log helper are skipped: ${toolchain.missing}`);
  test.skip(`the Mach-O checks of the os_log helper are skipped: ${toolchain.missing}`, () => undefined);
}

describeWithToolchain('the arm64 macOS os_log helper (clang + ld64.lld, no SDK)', () => {
  let dir: string;
  let file: MachOFile;
  let bytes: Buffer;

  beforeAll(() => {
    if ('missing' in toolchain) return;
    dir = mkdtempSync(path.join(tmpdir(), 'superd-oslog-macho-'));
    bytes = readFileSync(buildMacHelper(path.join(dir, 'superd-oslog'), toolchain));
    file = parseMachO(bytes);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('an arm64 executable with an entry point, loading only libSystem', () => {
    expect(file.cpuType).toBe(CPU_TYPE_ARM64);
    expect(file.fileType).toBe(MH_EXECUTE);
    expect(file.hasMain).toBe(true);
    expect(file.dylibs).toEqual(['/usr/lib/libSystem.B.dylib']);
  });

  test(`LC_BUILD_VERSION: macOS ${MACOS_MINIMUM}, not above the bundled Node's 13.5`, () => {
    expect(file.buildVersion).toEqual({ platform: PLATFORM_MACOS, minos: `${MACOS_MINIMUM}.0`, sdk: expect.any(String) });
    const [major, minor] = MACOS_MINIMUM.split('.').map(Number) as [number, number];
    expect(major * 100 + minor).toBeLessThanOrEqual(1305);
  });

  test('signed ad hoc (LC_CODE_SIGNATURE with an ad hoc code directory), as Apple silicon requires', () => {
    expect(file.codeSignatureFlags).not.toBeNull();
    expect((file.codeSignatureFlags ?? 0) & CS_ADHOC).toBe(CS_ADHOC);
    // Every page hash matches: a binary changed after signing is killed on Apple silicon.
    expect(file.codeSignatureBadPages).toEqual([]);
  });

  test('the page-hash check notices a changed byte', () => {
    const changed = Buffer.from(bytes);
    const text = file.sections.find((s) => s.name === '__text');
    const at = (text?.offset ?? 0) + 4;
    changed.writeUInt8(changed.readUInt8(at) ^ 0xff, at);
    expect(parseMachO(changed).codeSignatureBadPages).toEqual([0]);
  });

  test('imports exactly the expected symbols', () => {
    // ld64.lld 14 binds lazily through dyld_stub_binder (LC_DYLD_INFO_ONLY); a linker that uses
    // chained fixups does not import it, and lists its imports in LC_DYLD_CHAINED_FIXUPS too.
    const expected = [...IMPORTS, ...(file.usesDyldInfo ? ['dyld_stub_binder'] : [])].sort();
    expect([...file.undefinedSymbols].sort()).toEqual(expected);
    if (file.chainedImports) expect([...file.chainedImports].sort()).toEqual(expected);
    if (file.usesDyldInfo) expect([...file.boundSymbols].sort()).toEqual(expected);
  });

  test('the format string is in __TEXT,__oslogstring, where Apple\'s headers put it', () => {
    expect(file.sectionBytes('__TEXT', '__oslogstring')?.toString('latin1')).toBe('%{public}s\0');
  });
});
