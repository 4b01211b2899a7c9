'use strict';
// Unified-log entries for the fake `log stream` and `logger` (reference §12, §13).
//
// An entry is a plain object with the ndjson field names (timestamp, messageType, eventType,
// subsystem, category, processImagePath, processID, threadID, senderImagePath, eventMessage …).
// emitLog() accepts ndjson or compact lines; the stream parses each into an entry and renders
// it in the style it was asked for, so one emitted line serves every style.

const TYPE_CODES = { Default: 'Df', Info: 'I', Debug: 'Db', Error: 'E', Fault: 'F' }; // only Df is confirmed
const CODE_TYPES = { Df: 'Default', I: 'Info', Db: 'Debug', E: 'Error', F: 'Fault', A: 'Default' };
const MESSAGE_TYPE_NUMBERS = { Default: 0, Info: 1, Debug: 2, Error: 16, Fault: 17 };

const PROCESS_PATHS = {
  mdmclient: '/usr/libexec/mdmclient',
  softwareupdated: '/System/Library/PrivateFrameworks/SoftwareUpdate.framework/Versions/A/Resources/softwareupdated',
  logger: '/usr/bin/logger',
  'com.apple.MobileSoftwareUpdate.UpdateBrainService': '/System/Library/PrivateFrameworks/MobileSoftwareUpdate.framework/XPCServices/com.apple.MobileSoftwareUpdate.UpdateBrainService.xpc/Contents/MacOS/com.apple.MobileSoftwareUpdate.UpdateBrainService',
};

function pad(n, width) {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DD HH:MM:SS.ffffff±hhmm` in local time (the ndjson/default timestamp). */
function longTimestamp(date) {
  const d = date || new Date();
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)} ` +
    `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}.${pad(d.getMilliseconds(), 3)}000` +
    `${sign}${pad(Math.floor(abs / 60), 2)}${pad(abs % 60, 2)}`;
}

function processPath(name) {
  return PROCESS_PATHS[name] || `/usr/libexec/${name}`;
}

function processName(entry) {
  const p = String(entry.processImagePath || '');
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Completes an entry with the fields a real ndjson line carries, in Apple's usual order. */
function makeEntry(fields) {
  const processImagePath = fields.processImagePath || processPath(fields.process || 'unknown');
  return {
    traceID: fields.traceID || 0,
    eventMessage: fields.eventMessage || '',
    eventType: fields.eventType || 'logEvent',
    source: null,
    formatString: fields.formatString || '%{public}s',
    activityIdentifier: fields.activityIdentifier || 0,
    subsystem: fields.subsystem || '',
    category: fields.category || '',
    threadID: fields.threadID || 0,
    senderImageUUID: fields.senderImageUUID || '00000000-0000-0000-0000-000000000000',
    backtrace: { frames: [] },
    bootUUID: fields.bootUUID || '',
    processImagePath,
    timestamp: fields.timestamp || longTimestamp(),
    senderImagePath: fields.senderImagePath || processImagePath,
    machTimestamp: fields.machTimestamp || 0,
    messageType: fields.messageType || 'Default',
    processImageUUID: fields.processImageUUID || '00000000-0000-0000-0000-000000000000',
    processID: fields.processID || 0,
    senderProgramCounter: fields.senderProgramCounter || 0,
    parentActivityIdentifier: fields.parentActivityIdentifier || 0,
    timezoneName: fields.timezoneName || '',
  };
}

const COMPACT = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}) (\S+)\s+(.+?)\[(\d+):([0-9a-fA-F]+)\] (?:\[([A-Za-z][\w.-]*\.[\w.-]+):([^\]]*)\] )?(.*)$/;

/** Parses an ndjson or compact line into an entry; null for anything else. */
function parseLine(line) {
  const text = String(line).replace(/\r?\n$/, '');
  if (text.startsWith('{')) {
    try {
      const object = JSON.parse(text);
      return object && typeof object === 'object' ? makeEntry(object) : null;
    } catch {
      return null;
    }
  }
  const m = COMPACT.exec(text);
  if (!m) return null;
  const [, time, code, process, pid, tid, subsystem, category, message] = m;
  const date = new Date(time.replace(' ', 'T'));
  return makeEntry({
    timestamp: longTimestamp(date),
    messageType: CODE_TYPES[code] || 'Default',
    process,
    processID: Number(pid),
    threadID: parseInt(tid, 16),
    subsystem: subsystem || '',
    category: category || '',
    eventMessage: message,
  });
}

function renderCompact(entry) {
  const time = String(entry.timestamp).slice(0, 23);
  const code = (TYPE_CODES[entry.messageType] || 'Df').padEnd(2, ' ');
  const where = entry.subsystem ? `[${entry.subsystem}:${entry.category}] ` : '';
  return `${time} ${code} ${processName(entry)}[${entry.processID}:${Number(entry.threadID).toString(16)}] ${where}${entry.eventMessage}`;
}

function renderDefault(entry) {
  const name = processName(entry);
  const sender = String(entry.senderImagePath || '');
  const library = sender.slice(sender.lastIndexOf('/') + 1);
  const lib = library && library !== name ? `(${library}) ` : '';
  const where = entry.subsystem ? `[${entry.subsystem}:${entry.category}] ` : '';
  return `${String(entry.timestamp).padEnd(31)} ${`0x${Number(entry.threadID).toString(16)}`.padEnd(10)} ` +
    `${String(entry.messageType).padEnd(11)} ${'0x0'.padEnd(20)} ${String(entry.processID).padEnd(6)} ${'0'.padEnd(4)} ` +
    `${name}: ${lib}${where}${entry.eventMessage}`;
}

function render(entry, style) {
  if (style === 'ndjson') return JSON.stringify(entry);
  if (style === 'compact') return renderCompact(entry);
  return renderDefault(entry);
}

/** The lines `log stream` prints before the first entry (reference §12.1). */
function headerLines(style, predicate) {
  const lines = [];
  // Real log echoes a normalised predicate; the fake echoes it with single quotes made double.
  if (predicate !== undefined) lines.push(`Filtering the log data using "${predicate.replace(/'([^'\\]*)'/g, '"$1"')}"`);
  if (style === 'compact') lines.push('Timestamp               Ty Process[PID:TID]');
  else if (style === 'default' || style === undefined) lines.push('Timestamp                       Thread     Type        Activity             PID    TTL  ');
  return lines;
}

// ------------------------------------------------------------- predicates (loosely NSPredicate)

function tokenize(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === '"' || ch === "'") {
      let value = '';
      i += 1;
      while (i < text.length && text[i] !== ch) {
        if (text[i] === '\\' && i + 1 < text.length) i += 1;
        value += text[i];
        i += 1;
      }
      i += 1;
      tokens.push({ kind: 'string', value });
    } else if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch });
      i += 1;
    } else if (/[=!<>&|]/.test(ch)) {
      let op = ch;
      while (i + op.length < text.length && /[=!<>&|]/.test(text[i + op.length])) op += text[i + op.length];
      i += op.length;
      if (op === '&&') tokens.push({ kind: 'word', value: 'AND' });
      else if (op === '||') tokens.push({ kind: 'word', value: 'OR' });
      else if (op === '!') tokens.push({ kind: 'word', value: 'NOT' });
      else tokens.push({ kind: 'op', value: op === '=' ? '==' : op });
    } else {
      let word = '';
      while (i < text.length && !/[\s()"'=!<>&|]/.test(text[i])) word += text[(i += 1) - 1];
      if (word === '') i += 1;
      else tokens.push({ kind: 'word', value: word });
    }
  }
  return tokens;
}

function fieldValue(entry, field) {
  switch (field) {
    case 'subsystem':
    case 'category':
    case 'processImagePath':
    case 'senderImagePath':
    case 'eventType':
      return entry[field];
    case 'process':
      return processName(entry);
    case 'sender': {
      const s = String(entry.senderImagePath || '');
      return s.slice(s.lastIndexOf('/') + 1);
    }
    case 'eventMessage':
    case 'composedMessage':
    case 'message':
      return entry.eventMessage;
    case 'messageType':
    case 'logType':
      return entry.messageType;
    case 'processID':
    case 'processIdentifier':
    case 'pid':
      return entry.processID;
    default:
      return undefined; // unknown field: the comparison is treated as true
  }
}

function compare(actual, op, modifiers, expected) {
  if (actual === undefined) return true;
  let a = String(actual);
  let b = String(expected);
  if (typeof actual === 'string' && /^\d+$/.test(b) && MESSAGE_TYPE_NUMBERS[actual] !== undefined) a = String(MESSAGE_TYPE_NUMBERS[actual]);
  if (modifiers.includes('c')) {
    a = a.toLowerCase();
    b = b.toLowerCase();
  }
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case 'CONTAINS': return a.includes(b);
    case 'BEGINSWITH': return a.startsWith(b);
    case 'ENDSWITH': return a.endsWith(b);
    case 'LIKE': return new RegExp(`^${b.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(a);
    case 'MATCHES': try { return new RegExp(`^(?:${b})$`).test(a); } catch { return true; }
    default: return true;
  }
}

/** Compiles a predicate to entry => boolean. Unknown syntax or fields match everything. */
function compilePredicate(text) {
  if (text === undefined || String(text).trim() === '') return () => true;
  const tokens = tokenize(String(text));
  let pos = 0;
  const peekWord = () => (tokens[pos] && tokens[pos].kind === 'word' ? tokens[pos].value.toUpperCase() : undefined);
  function primary() {
    const t = tokens[pos];
    if (!t) return () => true;
    if (t.kind === '(') {
      pos += 1;
      const inner = orExpr();
      if (tokens[pos] && tokens[pos].kind === ')') pos += 1;
      return inner;
    }
    if (peekWord() === 'NOT') {
      pos += 1;
      const inner = primary();
      return (e) => !inner(e);
    }
    const field = t.value;
    pos += 1;
    const opToken = tokens[pos];
    if (!opToken) return () => true;
    let op;
    let modifiers = '';
    if (opToken.kind === 'op') op = opToken.value;
    else if (opToken.kind === 'word') {
      const m = /^([A-Za-z]+)(?:\[([a-z]+)\])?$/.exec(opToken.value);
      op = m ? m[1].toUpperCase() : opToken.value;
      modifiers = m && m[2] ? m[2] : '';
    }
    pos += 1;
    const valueToken = tokens[pos];
    pos += 1;
    const expected = valueToken ? valueToken.value : '';
    return (e) => compare(fieldValue(e, field), op, modifiers, expected);
  }
  function andExpr() {
    let left = primary();
    while (peekWord() === 'AND') {
      pos += 1;
      const l = left;
      const r = primary();
      left = (e) => l(e) && r(e);
    }
    return left;
  }
  function orExpr() {
    let left = andExpr();
    while (peekWord() === 'OR') {
      pos += 1;
      const l = left;
      const r = andExpr();
      left = (e) => l(e) || r(e);
    }
    return left;
  }
  try {
    return orExpr();
  } catch {
    return () => true;
  }
}

module.exports = { makeEntry, parseLine, render, renderCompact, renderDefault, headerLines, compilePredicate, longTimestamp, processPath };
