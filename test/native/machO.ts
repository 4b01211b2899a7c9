/**
 * Just enough of a 64-bit little-endian Mach-O reader to check the os_log helper: the header,
 * the load commands, the sections, the symbol table's undefined symbols, the chained-fixups
 * imports (when the linker used them), the build version and the code signature.
 * Layouts: Apple's <mach-o/loader.h>, <mach-o/nlist.h>, <mach-o/fixup-chains.h> and the
 * code-signing blob formats of <kern/cs_blobs.h> (xnu), as documented there.
 */

export const MH_MAGIC_64 = 0xfeedfacf;
export const CPU_TYPE_ARM64 = 0x0100000c;
export const MH_EXECUTE = 2;
export const PLATFORM_MACOS = 1;

const LC_SYMTAB = 0x2;
const LC_DYSYMTAB = 0xb;
const LC_LOAD_DYLIB = 0xc;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const LC_BUILD_VERSION = 0x32;
const LC_MAIN = 0x80000028;
const LC_DYLD_INFO_ONLY = 0x80000022;
const LC_DYLD_CHAINED_FIXUPS = 0x80000034;

const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CSSLOT_CODEDIRECTORY = 0;
export const CS_ADHOC = 0x2;

export interface MachOSection {
  segment: string;
  name: string;
  addr: bigint;
  size: bigint;
  offset: number;
}

export interface MachOFile {
  cpuType: number;
  fileType: number;
  commands: number[];
  sections: MachOSection[];
  /** `major.minor.patch` from LC_BUILD_VERSION, with its platform. */
  buildVersion: { platform: number; minos: string; sdk: string } | null;
  dylibs: string[];
  /** Undefined external symbols of the symbol table. */
  undefinedSymbols: string[];
  /** Imports of LC_DYLD_CHAINED_FIXUPS, or null when the file binds with LC_DYLD_INFO. */
  chainedImports: string[] | null;
  usesDyldInfo: boolean;
  hasMain: boolean;
  /** The code directory's flags, or null without an LC_CODE_SIGNATURE. */
  codeSignatureFlags: number | null;
  sectionBytes(segment: string, name: string): Buffer | null;
}

function cString(buf: Buffer, start: number, end = buf.length): string {
  const stop = buf.indexOf(0, start);
  return buf.toString('latin1', start, stop === -1 || stop > end ? end : stop);
}

function version(packed: number): string {
  return `${packed >>> 16}.${(packed >>> 8) & 0xff}.${packed & 0xff}`;
}

export function parseMachO(buf: Buffer): MachOFile {
  if (buf.length < 32 || buf.readUInt32LE(0) !== MH_MAGIC_64) throw new Error('not a 64-bit little-endian Mach-O file');
  const ncmds = buf.readUInt32LE(16);
  const result: MachOFile = {
    cpuType: buf.readInt32LE(4),
    fileType: buf.readUInt32LE(12),
    commands: [],
    sections: [],
    buildVersion: null,
    dylibs: [],
    undefinedSymbols: [],
    chainedImports: null,
    usesDyldInfo: false,
    hasMain: false,
    codeSignatureFlags: null,
    sectionBytes(segment, name) {
      const section = this.sections.find((s) => s.segment === segment && s.name === name);
      return section ? buf.subarray(section.offset, section.offset + Number(section.size)) : null;
    },
  };
  let symtab: { symoff: number; nsyms: number; stroff: number; strsize: number } | null = null;
  let dysymtab: { iundefsym: number; nundefsym: number } | null = null;
  let offset = 32;
  for (let i = 0; i < ncmds; i++) {
    const cmd = buf.readUInt32LE(offset);
    const size = buf.readUInt32LE(offset + 4);
    result.commands.push(cmd);
    switch (cmd) {
      case LC_SEGMENT_64: {
        const nsects = buf.readUInt32LE(offset + 64);
        for (let s = 0; s < nsects; s++) {
          const at = offset + 72 + s * 80;
          result.sections.push({
            name: cString(buf, at, at + 16),
            segment: cString(buf, at + 16, at + 32),
            addr: buf.readBigUInt64LE(at + 32),
            size: buf.readBigUInt64LE(at + 40),
            offset: buf.readUInt32LE(at + 48),
          });
        }
        break;
      }
      case LC_SYMTAB:
        symtab = { symoff: buf.readUInt32LE(offset + 8), nsyms: buf.readUInt32LE(offset + 12), stroff: buf.readUInt32LE(offset + 16), strsize: buf.readUInt32LE(offset + 20) };
        break;
      case LC_DYSYMTAB:
        dysymtab = { iundefsym: buf.readUInt32LE(offset + 24), nundefsym: buf.readUInt32LE(offset + 28) };
        break;
      case LC_BUILD_VERSION:
        result.buildVersion = { platform: buf.readUInt32LE(offset + 8), minos: version(buf.readUInt32LE(offset + 12)), sdk: version(buf.readUInt32LE(offset + 16)) };
        break;
      case LC_LOAD_DYLIB:
        result.dylibs.push(cString(buf, offset + buf.readUInt32LE(offset + 8), offset + size));
        break;
      case LC_MAIN:
        result.hasMain = true;
        break;
      case LC_DYLD_INFO_ONLY:
        result.usesDyldInfo = true;
        break;
      case LC_DYLD_CHAINED_FIXUPS:
        result.chainedImports = chainedImports(buf, buf.readUInt32LE(offset + 8));
        break;
      case LC_CODE_SIGNATURE:
        result.codeSignatureFlags = codeDirectoryFlags(buf, buf.readUInt32LE(offset + 8));
        break;
    }
    offset += size;
  }
  if (symtab) {
    // With LC_DYSYMTAB the undefined symbols are one range; without it, test each entry.
    const first = dysymtab ? dysymtab.iundefsym : 0;
    const count = dysymtab ? dysymtab.nundefsym : symtab.nsyms;
    for (let i = first; i < first + count; i++) {
      const at = symtab.symoff + i * 16;
      const type = buf.readUInt8(at + 4);
      const isUndefinedExternal = (type & 0x0e) === 0 && (type & 0x01) === 1 && (type & 0xe0) === 0;
      if (isUndefinedExternal) result.undefinedSymbols.push(cString(buf, symtab.stroff + buf.readUInt32LE(at), symtab.stroff + symtab.strsize));
    }
  }
  return result;
}

/** dyld_chained_fixups_header, then DYLD_CHAINED_IMPORT (format 1) entries. */
function chainedImports(buf: Buffer, dataoff: number): string[] {
  const importsOffset = dataoff + buf.readUInt32LE(dataoff + 8);
  const symbolsOffset = dataoff + buf.readUInt32LE(dataoff + 12);
  const count = buf.readUInt32LE(dataoff + 16);
  const format = buf.readUInt32LE(dataoff + 20);
  if (format !== 1) throw new Error(`chained imports format ${format} is not read here`);
  const names: string[] = [];
  for (let i = 0; i < count; i++) names.push(cString(buf, symbolsOffset + (buf.readUInt32LE(importsOffset + i * 4) >>> 9)));
  return names;
}

/** The embedded signature (big-endian SuperBlob) and its code directory's flags. */
function codeDirectoryFlags(buf: Buffer, dataoff: number): number {
  if (buf.readUInt32BE(dataoff) !== CSMAGIC_EMBEDDED_SIGNATURE) throw new Error('LC_CODE_SIGNATURE does not point at an embedded signature');
  const count = buf.readUInt32BE(dataoff + 8);
  for (let i = 0; i < count; i++) {
    const type = buf.readUInt32BE(dataoff + 12 + i * 8);
    const blob = dataoff + buf.readUInt32BE(dataoff + 16 + i * 8);
    if (type === CSSLOT_CODEDIRECTORY && buf.readUInt32BE(blob) === CSMAGIC_CODEDIRECTORY) return buf.readUInt32BE(blob + 12);
  }
  throw new Error('the embedded signature has no code directory');
}
