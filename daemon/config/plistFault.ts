/**
 * Finds the first structural fault in an XML property list and where it is. plist's parser
 * reports faults such as "Missing key while parsing <dict/>" without a position; an admin
 * needs the line and column to fix a profile (super ships one with exactly this defect).
 * Pure; returns null when the structure is sound.
 */
export interface PlistFault {
  line: number;
  column: number;
  message: string;
}

const VALUE_TAGS = new Set(['string', 'integer', 'real', 'true', 'false', 'date', 'data', 'dict', 'array']);
const TOKEN = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>|<!\[CDATA\[[\s\S]*?\]\]>|<\/?([A-Za-z][\w.-]*)[^>]*?(\/?)>|<|[^<]+/g;

interface Frame {
  tag: string;
  /** In a dict: whether the next child must be a <key>. */
  expectKey: boolean;
  line: number;
  column: number;
}

export function findPlistFault(xml: string): PlistFault | null {
  const lineStarts = [0];
  for (let i = 0; i < xml.length; i++) if (xml[i] === '\n') lineStarts.push(i + 1);
  const at = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
  };
  const fault = (offset: number, message: string): PlistFault => ({ ...at(offset), message });

  const stack: Frame[] = [];
  let sawRoot = false;
  for (const m of xml.matchAll(TOKEN)) {
    const text = m[0];
    const offset = m.index;
    if (text.startsWith('<?') || text.startsWith('<!--') || text.startsWith('<!DOCTYPE')) continue;
    const top = stack[stack.length - 1];
    if (text === '<') return fault(offset, 'a "<" that does not start a valid tag');
    if (!text.startsWith('<') || text.startsWith('<![CDATA[')) {
      if (text.trim() === '' || (top && isTextTag(top.tag))) continue;
      return fault(offset, `unexpected text ${JSON.stringify(text.trim().slice(0, 30))} ${top ? `inside <${top.tag}>` : 'outside <plist>'}`);
    }
    const tag = m[1] ?? '';
    const closing = text.startsWith('</');
    const selfClosing = m[2] === '/';
    if (closing) {
      if (!top) return fault(offset, `closing tag </${tag}> without an opening tag`);
      if (top.tag !== tag) return fault(offset, `closing tag </${tag}> does not match <${top.tag}> opened at line ${top.line}, column ${top.column}`);
      if (top.tag === 'dict' && !top.expectKey) return fault(offset, `</dict> after a <key> that has no value`);
      stack.pop();
      continue;
    }
    if (!top) {
      if (tag !== 'plist' || sawRoot) return fault(offset, `<${tag}> where the <plist> root element was expected`);
      sawRoot = true;
    } else if (isTextTag(top.tag)) {
      return fault(offset, `<${tag}> inside <${top.tag}>, which holds only text`);
    } else if (top.tag === 'dict') {
      if (top.expectKey && tag !== 'key') return fault(offset, `<${tag}> where a <key> was expected: a value in this <dict> has no key (two values for one key?)`);
      if (!top.expectKey && !VALUE_TAGS.has(tag)) return fault(offset, `<${tag}> where a value for the preceding <key> was expected`);
      top.expectKey = !top.expectKey;
    } else if (!VALUE_TAGS.has(tag)) {
      return fault(offset, `<${tag}> is not a property list element`);
    }
    if (!selfClosing) stack.push({ tag, expectKey: true, ...at(offset) });
  }
  const open = stack[stack.length - 1];
  if (open) return fault(xml.length, `end of file while <${open.tag}> opened at line ${open.line}, column ${open.column} is still open`);
  if (!sawRoot) return fault(0, 'no <plist> root element');
  return numberFault(xml, fault);
}

/**
 * plist's XML reader takes `<integer>` with parseInt and `<real>` with parseFloat, so `12abc` would
 * be read as 12 and `1e+118` as 1 (a fuzz finding, test/config/fuzzFindings.test.ts); Apple's
 * CFPropertyList refuses such a file. Refused here: an integer must be decimal digits with an
 * optional sign, a real a decimal number with an optional exponent.
 */
const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;
const REAL_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function numberFault(xml: string, fault: (offset: number, message: string) => PlistFault): PlistFault | null {
  for (const m of xml.matchAll(/<(integer|real)>([^<]*)<\/\1>/g)) {
    const [, tag, text = ''] = m;
    const ok = tag === 'integer' ? INTEGER_TEXT.test(text) : REAL_TEXT.test(text) || /^\s*[+-]?(nan|inf|infinity)\s*$/i.test(text);
    if (!ok) return fault(m.index ?? 0, `<${tag}>${text.slice(0, 40)}</${tag}> is not a ${tag === 'integer' ? 'whole number in decimal digits' : 'decimal number'}`);
  }
  return null;
}

function isTextTag(tag: string): boolean {
  return tag === 'key' || tag === 'string' || tag === 'integer' || tag === 'real' || tag === 'date' || tag === 'data' || tag === 'true' || tag === 'false';
}
