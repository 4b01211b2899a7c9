'use strict';
// sw_vers, sysctl, arch, ioreg, system_profiler (reference/macos-commands.md §1, §2).

const fs = require('fs');
const path = require('path');
const { osMajor } = require('./context.js');
const { hardware } = require('./hardware.js');

// ---------------------------------------------------------------- the capture corpus

/**
 * One case of the capture corpus (test/fixtures/macos, copied to <root>/.fake/corpus by
 * createFakeMac): `{ stdout, stderr }` with the header stripped. Same format as
 * test/helpers/macosCorpus.ts (test/fixtures/macos/README.md). Fakes print these texts, with
 * only the values of this Mac (names, versions, paths) substituted.
 */
function corpusCase(ctx, id) {
  const text = fs.readFileSync(path.join(ctx.root, '.fake', 'corpus', `${id}.txt`), 'utf8');
  const lines = text.split('\n');
  const at = lines.indexOf('# --- stdout ---');
  if (at < 0) throw new Error(`corpus case ${id} has no stdout marker`);
  const body = lines.slice(at + 1).join('\n');
  const marker = '# --- stderr ---';
  if (body === marker || body.startsWith(`${marker}\n`)) return { stdout: '', stderr: body.slice(marker.length + 1) };
  const split = body.indexOf(`\n${marker}`);
  if (split < 0) return { stdout: body, stderr: '' };
  return { stdout: body.slice(0, split + 1), stderr: body.slice(split + marker.length + 2) };
}

/** Replaces the value after `Key:<whitespace>` on each line, keeping the capture's separators. */
function withValues(text, values) {
  return text.split('\n').map((line) => {
    const m = /^([A-Za-z]+:)(\s+)(.*)$/.exec(line);
    return m && values[m[1].slice(0, -1)] !== undefined ? `${m[1]}${m[2]}${values[m[1].slice(0, -1)]}` : line;
  }).join('\n');
}

// ---------------------------------------------------------------- sw_vers (§1.1)

async function swVers(ctx) {
  const w = ctx.world;
  const major = osMajor(w);
  const wide = major >= 13; // 13+ prints two tabs after the short keys, 11/12 one
  const extra = w.macOS.productVersionExtra || '';
  const arg = ctx.argv[0];
  if (arg === undefined) {
    // The layout of the real captures: two tabs after the short keys on 13+, one on 11/12
    // (test/fixtures/macos/sw_vers/), with this Mac's values.
    const id = !wide ? 'sw_vers/macos12-single-tab' : extra ? 'sw_vers/macos13-rsr' : 'sw_vers/macos13-no-rsr';
    ctx.out(withValues(corpusCase(ctx, id).stdout, { ProductVersion: w.macOS.productVersion, ProductVersionExtra: extra, BuildVersion: w.macOS.buildVersion }));
    return 0;
  }
  const option = arg.replace(/^--?/, '');
  if (ctx.argv.length === 1 && option === 'productName') return ctx.out('macOS\n'), 0;
  if (ctx.argv.length === 1 && option === 'productVersion') return ctx.out(`${w.macOS.productVersion}\n`), 0;
  if (ctx.argv.length === 1 && option === 'buildVersion') return ctx.out(`${w.macOS.buildVersion}\n`), 0;
  // Without an RSR the real output is empty; an empty line vs no bytes is unconfirmed (§1.1).
  if (ctx.argv.length === 1 && option === 'productVersionExtra' && wide) return ctx.out(`${extra}\n`), 0;
  // Usage text and exit status for unknown options (and -productVersionExtra on 11/12): unconfirmed.
  ctx.err(`Usage: sw_vers [--help|--productName|--productVersion${wide ? '|--productVersionExtra' : ''}|--buildVersion]\n`);
  return 1;
}

// ---------------------------------------------------------------- sysctl (§1.3)

function ctime(date) {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n) => String(n).padStart(2, '0');
  return `${days[date.getDay()]} ${months[date.getMonth()]} ${String(date.getDate()).padStart(2, ' ')} ` +
    `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())} ${date.getFullYear()}`;
}

function sysctlValue(w, name) {
  const hw = hardware(w);
  switch (name) {
    case 'hw.optional.arm64':
      if (w.appleSilicon) return '1';
      return w.intelArm64Oid === 'zero' ? '0' : undefined; // most Intel Macs lack the OID
    case 'sysctl.proc_translated':
      return w.appleSilicon && w.rosetta ? '1' : '0';
    case 'machdep.cpu.brand_string':
      return w.appleSilicon ? hw.chip : hw.brand;
    case 'hw.model':
      return w.model;
    case 'hw.memsize':
      return String(parseInt(hw.memory, 10) * 1024 * 1024 * 1024);
    case 'hw.ncpu':
    case 'hw.logicalcpu':
      return String(w.appleSilicon ? parseInt(hw.cores, 10) : hw.cores * 2);
    case 'kern.osproductversion':
      return w.macOS.productVersion;
    case 'kern.osversion':
      return w.macOS.buildVersion;
    case 'kern.boottime': {
      const sec = Math.floor(w.bootTime);
      return `{ sec = ${sec}, usec = ${Math.round((w.bootTime - sec) * 1e6)} } ${ctime(new Date(sec * 1000))}`;
    }
    default:
      return undefined;
  }
}

async function sysctl(ctx) {
  let valuesOnly = false;
  let ignoreUnknown = false;
  const names = [];
  for (const arg of ctx.argv) {
    if (/^-[a-zA-Z]+$/.test(arg)) {
      if (arg.includes('n')) valuesOnly = true;
      if (arg.includes('i')) ignoreUnknown = true;
    } else {
      names.push(arg);
    }
  }
  if (names.length === 0) {
    ctx.err('usage: sysctl [-bdehiNnoqx] name[=value] ...\n       sysctl [-bdehNnoqx] -a\n');
    return 1;
  }
  let code = 0;
  for (const name of names) {
    const value = sysctlValue(ctx.world, name);
    if (value === undefined) {
      if (!ignoreUnknown) {
        // test/fixtures/macos/sysctl/arm64-intel-unknown-oid.txt, with this OID.
        ctx.err(corpusCase(ctx, 'sysctl/arm64-intel-unknown-oid').stderr.replace("'hw.optional.arm64'", `'${name}'`));
        code = 1;
      }
      continue;
    }
    ctx.out(valuesOnly ? `${value}\n` : `${name}: ${value}\n`);
  }
  return code;
}

// ---------------------------------------------------------------- arch (§1.2)

async function arch(ctx) {
  if (ctx.argv.length > 0) {
    ctx.err('arch: running another command through arch is not supported by the fake\n');
    return 1;
  }
  ctx.out(ctx.world.appleSilicon && !ctx.world.rosetta ? 'arm64\n' : 'i386\n');
  return 0;
}

// ---------------------------------------------------------------- ioreg (§2.1)

function hexOf(text, size) {
  const bytes = Buffer.alloc(Math.max(size || 0, text.length));
  bytes.write(text, 'latin1');
  return bytes.toString('hex');
}

/** Property lines of IOPlatformExpertDevice: [key, rendered value, plist kind, raw]. */
function platformProperties(w) {
  const hw = hardware(w);
  if (w.appleSilicon) {
    return [
      ['IOPolledInterface', '"AppleARMWatchdogTimerHibernateHandler is not serializable"', 'string', 'AppleARMWatchdogTimerHibernateHandler is not serializable'],
      ['#address-cells', '<02000000>', 'data', Buffer.from('02000000', 'hex')],
      ['AAPL,phandle', '<01000000>', 'data', Buffer.from('01000000', 'hex')],
      ['serial-number', `<${hexOf(w.serialNumber, 32)}>`, 'data', Buffer.from(hexOf(w.serialNumber, 32), 'hex')],
      ['IOBusyInterest', '"IOCommand is not serializable"', 'string', 'IOCommand is not serializable'],
      ['target-type', `<"${hw.target}">`, 'data', Buffer.from(`${hw.target}\0`)],
      ['platform-name', `<"${hw.platform}">`, 'data', Buffer.from(`${hw.platform}\0`)],
      ['manufacturer', '<"Apple Inc.">', 'data', Buffer.from('Apple Inc.\0')],
      ['compatible', `<"${hw.board}","${w.model}","AppleARM">`, 'data', Buffer.from(`${hw.board}\0${w.model}\0AppleARM\0`)],
      ['IOPlatformSerialNumber', `"${w.serialNumber}"`, 'string', w.serialNumber],
      ['model', `<"${w.model}">`, 'data', Buffer.from(`${w.model}\0`)],
      ['name', '<"device-tree">', 'data', Buffer.from('device-tree\0')],
      ['device_type', '<"bootrom">', 'data', Buffer.from('bootrom\0')],
      ['IOPlatformUUID', `"${w.hardwareUUID}"`, 'string', w.hardwareUUID],
    ];
  }
  return [
    ['IOPolledInterface', '"SMCPolledInterface is not serializable"', 'string', 'SMCPolledInterface is not serializable'],
    ['IOPlatformUUID', `"${w.hardwareUUID}"`, 'string', w.hardwareUUID],
    ['IOPlatformSerialNumber', `"${w.serialNumber}"`, 'string', w.serialNumber],
    ['board-id', `<"${hw.boardId}">`, 'data', Buffer.from(`${hw.boardId}\0`)],
    ['manufacturer', '<"Apple Inc.">', 'data', Buffer.from('Apple Inc.\0')],
    ['model', `<"${w.model}">`, 'data', Buffer.from(`${w.model}\0`)],
    ['product-name', `<"${w.model}">`, 'data', Buffer.from(`${w.model}\0`)],
    ['serial-number', `<${hexOf(w.serialNumber, 32)}>`, 'data', Buffer.from(hexOf(w.serialNumber, 32), 'hex')],
    ['version', '<"1.0">', 'data', Buffer.from('1.0\0')],
  ];
}

function xmlEscape(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function platformXml(w) {
  // `ioreg -a` (documented option; a real sample was not captured, reference §2.1).
  let body = '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n' +
    '<plist version="1.0">\n<array>\n\t<dict>\n';
  body += '\t\t<key>IOObjectClass</key>\n\t\t<string>IOPlatformExpertDevice</string>\n';
  for (const [key, , kind, raw] of platformProperties(w)) {
    body += `\t\t<key>${xmlEscape(key)}</key>\n`;
    body += kind === 'data' ? `\t\t<data>\n\t\t${raw.toString('base64')}\n\t\t</data>\n` : `\t\t<string>${xmlEscape(raw)}</string>\n`;
  }
  return `${body}\t</dict>\n</array>\n</plist>\n`;
}

async function ioreg(ctx) {
  const w = ctx.world;
  const hw = hardware(w);
  let className;
  let xml = false;
  let rooted = false;
  for (let i = 0; i < ctx.argv.length; i += 1) {
    const arg = ctx.argv[i];
    if (arg === '-c') className = ctx.argv[(i += 1)];
    else if (/^-[a-zA-Z0-9]+$/.test(arg)) {
      if (arg.includes('a')) xml = true;
      if (arg.includes('r')) rooted = true;
      if (arg.endsWith('c')) className = ctx.argv[(i += 1)];
    }
  }
  const header = w.appleSilicon
    ? `+-o ${hw.board}  <class IOPlatformExpertDevice, id 0x100000110, registered, matched, active, busy 0 (36 ms), retain 35>`
    : `+-o ${w.model}  <class IOPlatformExpertDevice, id 0x10000020f, registered, matched, active, busy 0 (13368 ms), retain 44>`;
  if (className === 'IOPlatformExpertDevice') {
    if (xml) return ctx.out(platformXml(w)), 0;
    const props = platformProperties(w).map(([key, value]) => `      "${key}" = ${value}\n`).join('');
    const indent = rooted ? '' : '  ';
    let text = rooted ? '' : '+-o Root  <class IORegistryEntry, id 0x100000100, retain 17>\n';
    text += `${indent}${header}\n${indent}    {\n`;
    text += props.split('\n').filter(Boolean).map((line) => `${indent}${line}\n`).join('');
    text += `${indent}    }\n${indent}    \n`;
    ctx.out(text);
    return 0;
  }
  if (className === 'IOHIDSystem') {
    // super reads field 6 of the HIDIdleTime line (awk '{print $6}'), which implies three
    // tree-drawing bars in front; parsers should use a regex instead (reference §2.1).
    const idleNs = Math.round((w.idleSeconds || 0) * 1e9);
    ctx.out(
      '+-o Root  <class IORegistryEntry, id 0x100000100, retain 30>\n' +
      `  +-o ${w.appleSilicon ? hw.board : w.model}  <class IOPlatformExpertDevice, id 0x100000110, registered, matched, active, busy 0 (36 ms), retain 35>\n` +
      '  | +-o IOResources  <class IOResources, id 0x100000105, registered, matched, active, busy 0 (0 ms), retain 62>\n' +
      '  | | +-o IOHIDSystem  <class IOHIDSystem, id 0x1000004a5, registered, matched, active, busy 0 (0 ms), retain 19>\n' +
      '  | | | {\n' +
      '  | | |   "IOClass" = "IOHIDSystem"\n' +
      `  | | |   "HIDIdleTime" = ${idleNs}\n` +
      '  | | |   "IOProviderClass" = "IOResources"\n' +
      '  | | | }\n  | | |   \n');
    return 0;
  }
  // Other classes: an empty registry match prints nothing (exit 0).
  return 0;
}

// ---------------------------------------------------------------- system_profiler (§2.2)

function hardwareOverview(w, mini) {
  const hw = hardware(w);
  const rows = [['Model Name', hw.name], ['Model Identifier', w.model]];
  if (w.appleSilicon) {
    rows.push(['Chip', hw.chip], ['Total Number of Cores', hw.cores], ['Memory', hw.memory],
      ['System Firmware Version', hw.firmware], ['OS Loader Version', hw.firmware]);
  } else {
    rows.push(['Processor Name', hw.processor], ['Processor Speed', hw.speed], ['Number of Processors', '1'],
      ['Total Number of Cores', String(hw.cores)], ['L2 Cache (per Core)', '256 KB'], ['L3 Cache', '16 MB'],
      ['Hyper-Threading Technology', 'Enabled'], ['Memory', hw.memory], ['System Firmware Version', hw.firmware],
      ['OS Loader Version', '577~129']);
  }
  if (!mini) {
    rows.push(['Serial Number (system)', w.serialNumber], ['Hardware UUID', w.hardwareUUID], ['Provisioning UDID', hw.provisioningUDID]);
  }
  rows.push(['Activation Lock Status', 'Disabled']);
  return rows;
}

function hardwareJson(w, mini) {
  const hw = hardware(w);
  const item = { _name: 'hardware_overview', activation_lock_status: 'activation_lock_disabled', machine_model: w.model, machine_name: hw.name, physical_memory: hw.memory };
  if (w.appleSilicon) {
    Object.assign(item, { boot_rom_version: hw.firmware, chip_type: hw.chip, number_processors: hw.proc, os_loader_version: hw.firmware });
  } else {
    Object.assign(item, { boot_rom_version: hw.firmware, cpu_type: hw.processor.replace(/^\d+-Core /, ''), current_processor_speed: hw.speed, l2_cache_core: '256 KB', l3_cache: '16 MB', number_processors: hw.cores, os_loader_version: '577~129', packages: 1, platform_cpu_htt: 'htt_enabled' });
  }
  if (!mini) Object.assign(item, { platform_UUID: w.hardwareUUID, provisioning_UDID: hw.provisioningUDID, serial_number: w.serialNumber });
  const sorted = {};
  for (const key of Object.keys(item).sort()) sorted[key] = item[key];
  return sorted;
}

/** JSON the way system_profiler prints it: 2-space indent and `" : "` between key and value. */
function appleJson(value) {
  return JSON.stringify(value, null, 2).replace(/^(\s*"(?:[^"\\]|\\.)*"): /gm, '$1 : ');
}

async function systemProfiler(ctx) {
  const w = ctx.world;
  const json = ctx.argv.includes('-json');
  const levelAt = ctx.argv.indexOf('-detailLevel');
  const mini = levelAt >= 0 && ctx.argv[levelAt + 1] === 'mini';
  const types = ctx.argv.filter((arg, i) => /^SP\w+DataType$/.test(arg) && ctx.argv[i - 1] !== '-detailLevel');
  if (!types.includes('SPHardwareDataType')) {
    // Only SPHardwareDataType is modelled; other types print an empty report.
    if (json) ctx.out('{\n\n}\n');
    return 0;
  }
  if (json) {
    ctx.out(`${appleJson({ SPHardwareDataType: [hardwareJson(w, mini)] })}\n`);
    return 0;
  }
  const lines = hardwareOverview(w, mini).map(([label, value]) => `      ${label}: ${value}\n`).join('');
  ctx.out(`Hardware:\n\n    Hardware Overview:\n\n${lines}\n`);
  return 0;
}

module.exports = { swVers, sysctl, arch, ioreg, systemProfiler, appleJson, corpusCase };
