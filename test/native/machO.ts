/**
 * Just enough of a 64-bit little-endian Mach-O reader to check the os_log helper: the header,
 * the load commands, the sections, the symbol table's undefined symbols, the symbols bound by
 * the bind opcodes or the chained-fixups imports (whichever the linker used), the build version,
 * and the code signature with its page hashes.
 * Layouts: Apple's <mach-o/loader.h>, <mach-o/nlist.h>, <mach-o/fixup-chains.h> and the
 * code-signing blob formats of <kern/cs_blobs.h> (xnu), as documented there.
 */

import { createHash } from 'node:crypto';

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
const CS_HASHTYPE_SHA256 = 2;

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
  /** Code slots whose SHA-256 does not match the page it covers (empty: the signature holds). */
  codeSignatureBadPages: number[];
  /** Symbols bound by LC_DYLD_INFO(_ONLY) bind and lazy-bind opcodes. */
  boundSymbols: string[];
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
    codeSignatureBadPages: [],
    boundSymbols: [],
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
        // dyld_info_command: rebase, bind, weak_bind, lazy_bind, export (offset, size) pairs.
        for (const at of [16, 24, 32]) {
          const off = buf.readUInt32LE(offset + at);
          result.boundSymbols.push(...bindSymbols(buf.subarray(off, off + buf.readUInt32LE(offset + at + 4))));
        }
        break;
      case LC_DYLD_CHAINED_FIXUPS:
        result.chainedImports = chainedImports(buf, buf.readUInt32LE(offset + 8));
        break;
      case LC_CODE_SIGNATURE: {
        const directory = codeDirectory(buf, buf.readUInt32LE(offset + 8));
        result.codeSignatureFlags = directory.flags;
        result.codeSignatureBadPages = directory.badPages;
        break;
      }
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

/**
 * The names in bind opcodes (<mach-o/loader.h> BIND_OPCODE_*): only SET_SYMBOL_TRAILING_FLAGS_IMM
 * carries a name; the other opcodes are skipped with their operands.
 */
function bindSymbols(ops: Buffer): string[] {
  const names: string[] = [];
  let i = 0;
  const uleb = () => {
    while (ops[i++]! & 0x80);
  };
  while (i < ops.length) {
    const byte = ops[i++]!;
    const opcode = byte & 0xf0;
    switch (opcode) {
      case 0x40: {
        // BIND_OPCODE_SET_SYMBOL_TRAILING_FLAGS_IMM
        const end = ops.indexOf(0, i);
        names.push(ops.toString('latin1', i, end));
        i = end + 1;
        break;
      }
      case 0x20: // SET_DYLIB_ORDINAL_ULEB
      case 0x60: // SET_ADDEND_SLEB
      case 0x70: // SET_SEGMENT_AND_OFFSET_ULEB
      case 0x80: // ADD_ADDR_ULEB
      case 0xa0: // DO_BIND_ADD_ADDR_ULEB
        uleb();
        break;
      case 0xc0: // DO_BIND_ULEB_TIMES_SKIPPING_ULEB
        uleb();
        uleb();
        break;
      default: // DONE, SET_DYLIB_ORDINAL_IMM, SET_DYLIB_SPECIAL_IMM, SET_TYPE_IMM, DO_BIND, DO_BIND_ADD_ADDR_IMM_SCALED
        if (opcode === 0xe0 || opcode === 0xf0) throw new Error(`bind opcode 0x${opcode.toString(16)} is not read here`);
    }
  }
  return [...new Set(names)];
}

/**
 * The embedded signature (big-endian SuperBlob), its code directory's flags, and a check of
 * every code slot: the SHA-256 of each page of the file up to codeLimit.
 */
function codeDirectory(buf: Buffer, dataoff: number): { flags: number; badPages: number[] } {
  if (buf.readUInt32BE(dataoff) !== CSMAGIC_EMBEDDED_SIGNATURE) throw new Error('LC_CODE_SIGNATURE does not point at an embedded signature');
  const count = buf.readUInt32BE(dataoff + 8);
  for (let i = 0; i < count; i++) {
    const type = buf.readUInt32BE(dataoff + 12 + i * 8);
    const blob = dataoff + buf.readUInt32BE(dataoff + 16 + i * 8);
    if (type !== CSSLOT_CODEDIRECTORY || buf.readUInt32BE(blob) !== CSMAGIC_CODEDIRECTORY) continue;
    const hashOffset = buf.readUInt32BE(blob + 16);
    const codeSlots = buf.readUInt32BE(blob + 28);
    const codeLimit = buf.readUInt32BE(blob + 32);
    const hashSize = buf.readUInt8(blob + 36);
    const hashType = buf.readUInt8(blob + 37);
    const pageSize = 2 ** buf.readUInt8(blob + 39);
    if (hashType !== CS_HASHTYPE_SHA256 || hashSize !== 32) throw new Error(`code directory hash type ${hashType} is not read here`);
    const badPages: number[] = [];
    for (let slot = 0; slot < codeSlots; slot++) {
      const page = buf.subarray(slot * pageSize, Math.min((slot + 1) * pageSize, codeLimit));
      const expected = buf.subarray(blob + hashOffset + slot * hashSize, blob + hashOffset + (slot + 1) * hashSize);
      if (!createHash('sha256').update(page).digest().equals(expected)) badPages.push(slot);
    }
    if (codeSlots !== Math.ceil(codeLimit / pageSize)) badPages.push(-1);
    return { flags: buf.readUInt32BE(blob + 12), badPages };
  }
  throw new Error('the embedded signature has no code directory');
}
