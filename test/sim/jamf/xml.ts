import { escapeXml } from './http';

/** A Classic API document as plain data: objects become elements, arrays repeat an item element. */
export type XmlValue = string | number | boolean | null | XmlValue[] | { [key: string]: XmlValue };

/**
 * Serialises Classic data as XML. `itemTags` names the element used for the
 * items of each array-valued key (e.g. `users` → `user`, `jss_objects` → `privilege`).
 */
export function toXml(name: string, value: XmlValue, itemTags: Record<string, string> = {}): string {
  if (value === null || value === '') return `<${name}/>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return `<${name}/>`;
    const tag = itemTags[name] ?? 'item';
    return `<${name}>${value.map((v) => toXml(tag, v, itemTags)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    const inner = Object.entries(value)
      .map(([k, v]) => toXml(k, v, itemTags))
      .join('');
    return inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_m, e: string) => {
      if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(parseInt(e.slice(2), 16));
      if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
      return ENTITIES[e.toLowerCase()] ?? '';
    });
}

/**
 * Reads the direct text children of a Classic write document such as
 * `<account><password>…</password></account>`. Returns undefined when the
 * body is not well-formed XML with the expected root element.
 */
export function readXmlFields(xml: string, root: string): Record<string, string> | undefined {
  const body = xml.replace(/^\uFEFF/, '').replace(/^\s*<\?xml[^>]*\?>/, '').trim();
  const m = new RegExp(`^<${root}(\\s[^>]*)?>([\\s\\S]*)</${root}>$`).exec(body);
  if (!m) return body === `<${root}/>` ? {} : undefined;
  const inner = m[2] ?? '';
  if (!balanced(inner)) return undefined;
  const fields: Record<string, string> = {};
  const re = /<([A-Za-z_][\w.-]*)(\s[^>]*)?(?:\/>|>([\s\S]*?)<\/\1>)/g;
  let depthFree = inner;
  for (let hit = re.exec(inner); hit; hit = re.exec(inner)) {
    const [whole, tag = '', , text = ''] = hit;
    if (!text.includes('<') || text.includes('<![CDATA[')) fields[tag] = decode(text.trim() === '' ? '' : text);
    depthFree = depthFree.replace(whole, '');
  }
  return depthFree.replace(/<!--[\s\S]*?-->/g, '').trim() === '' ? fields : undefined;
}

function balanced(xml: string): boolean {
  const stack: string[] = [];
  const re = /<(\/?)([A-Za-z_][\w.-]*)[^>]*?(\/?)>/g;
  const clean = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  if (/<(?![A-Za-z_/])/.test(clean)) return false;
  for (let m = re.exec(clean); m; m = re.exec(clean)) {
    const [, close, tag = '', selfClose] = m;
    if (selfClose) continue;
    if (close) {
      if (stack.pop() !== tag) return false;
    } else stack.push(tag);
  }
  return stack.length === 0;
}
