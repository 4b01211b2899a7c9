import type { Logform } from 'winston';
import { MESSAGE } from './infoSymbols';
import type { SecretRegistry } from './secretRegistry';

type Info = Logform.TransformableInfo;

/** Fields that every line spells in its own place rather than as `key=value`. */
const HEADER_FIELDS = new Set(['timestamp', 'level', 'message', 'category', 'subsystem']);

/** Field names and values that need no quotes in a text line. */
const BARE = /^[^\s"=\\\x00-\x1f\x7f]+$/;

/**
 * JSON with the shapes a redacted info can hold: Maps become objects, Sets arrays, bigints
 * strings. Never throws.
 */
export function toJson(value: unknown): string {
  try {
    return (
      JSON.stringify(value, (_key, field: unknown) => {
        if (field instanceof Map) return Object.fromEntries([...field].map(([k, v]) => [String(k), v]));
        if (field instanceof Set) return [...field];
        if (typeof field === 'bigint') return field.toString();
        return field;
      }) ?? 'null'
    );
  } catch {
    return '"[Unserializable]"';
  }
}

/** Keeps a log line on one line: a message cannot forge the next entry. */
function escapeControls(text: string): string {
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, (char) => {
    if (char === '\n') return '\\n';
    if (char === '\r') return '\\r';
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

function textValue(value: unknown): string {
  if (typeof value === 'string') return BARE.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return toJson(value);
}

function messageText(message: unknown): string {
  return escapeControls(typeof message === 'string' ? message : textValue(message));
}

/** ` key=value` for every metadata field, in insertion order. */
export function renderFields(info: Info): string {
  let out = '';
  for (const [key, value] of Object.entries(info)) {
    if (HEADER_FIELDS.has(key) || value === undefined) continue;
    out += ` ${BARE.test(key) ? key : JSON.stringify(key)}=${textValue(value)}`;
  }
  return out;
}

/** `message key=value`, on one line: what the unified log receives with the category apart. */
export function renderMessage(info: Info): string {
  return `${messageText(info.message)}${renderFields(info)}`;
}

/** `2026-11-22T10:00:00.000Z info [config] message key=value` */
export function renderTextLine(info: Info): string {
  const timestamp = typeof info.timestamp === 'string' ? `${info.timestamp} ` : '';
  const category = typeof info.category === 'string' ? `[${info.category}] ` : '';
  return `${timestamp}${info.level} ${category}${renderMessage(info)}`;
}

/** One JSON object: timestamp, level, subsystem, category, message, then the metadata fields. */
export function renderJsonLine(info: Info): string {
  const { timestamp, level, subsystem, category, message, ...fields } = info;
  return toJson({ timestamp, level, subsystem, category, message, ...fields });
}

/**
 * The finalising winston format for the file and the console. The fields arrive redacted one by
 * one; masking the finished line as well catches a secret that spans two of them (a password
 * `a=b` logged as the field `a` with the value `b`).
 */
export function lineFormat(kind: 'text' | 'json', registry?: SecretRegistry): Logform.Format {
  const render = kind === 'json' ? renderJsonLine : renderTextLine;
  return {
    transform: (info: Info) => {
      const line = render(info);
      info[MESSAGE] = registry ? registry.mask(line) : line;
      return info;
    },
  };
}
