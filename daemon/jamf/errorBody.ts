import { redactServerText } from './maskSecrets';

/** One cause in a Jamf Pro API error body (`ApiErrorCause`, reference §0.3). */
export interface ApiErrorCause {
  readonly code?: string;
  readonly description?: string;
  readonly id?: string | null;
  readonly field?: string | null;
}

const MAX_CAUSES = 3;
const MAX_TEXT = 300;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The `errors[]` of a Jamf Pro API error body (`{"httpStatus":…,"errors":[…]}`), or [] for any other body. */
export function apiErrorCauses(text: string): ApiErrorCause[] {
  const body = parseJson(text) as { errors?: unknown } | undefined;
  if (!body || typeof body !== 'object' || !Array.isArray(body.errors)) return [];
  return body.errors.filter((e): e is ApiErrorCause => typeof e === 'object' && e !== null);
}

/**
 * One line of at most MAX_TEXT characters, with anything token-shaped redacted first (so a cut
 * cannot leave half a token that no longer looks like one).
 */
function clip(text: string): string {
  const one = redactServerText(text, []).replace(/\s+/g, ' ').trim();
  return one.length > MAX_TEXT ? `${one.slice(0, MAX_TEXT - 1)}…` : one;
}

/**
 * A one-line summary of an error body for a message, token-like text redacted: the Jamf Pro API `errors[]`
 * (`INVALID_FIELD config.updateAction: possible values …`), an OAuth error
 * (`invalid_client: …`), the Classic API HTML status page (`Conflict: Error: Duplicate UDID`),
 * or the first line of plain text. Empty when there is nothing useful.
 */
export function summariseErrorBody(text: string): string {
  if (!text.trim()) return '';
  const causes = apiErrorCauses(text);
  if (causes.length > 0) {
    const parts = causes.slice(0, MAX_CAUSES).map((c) => [c.code, c.field, c.description].filter((s) => typeof s === 'string' && s !== '').join(' '));
    const more = causes.length > MAX_CAUSES ? ` (and ${causes.length - MAX_CAUSES} more)` : '';
    return clip(parts.filter(Boolean).join('; ') + more);
  }
  const json = parseJson(text) as { error?: unknown; error_description?: unknown; errors?: unknown } | undefined;
  if (json && typeof json === 'object') {
    if (typeof json.error === 'string') {
      return clip(typeof json.error_description === 'string' ? `${json.error}: ${json.error_description}` : json.error);
    }
    return ''; // JSON without a recognised shape (e.g. `{"httpStatus":401,"errors":[]}`)
  }
  if (/<html[\s>]/i.test(text)) {
    const paragraphs = [...text.matchAll(/<p[^>]*>([\s\S]*?)<\/p>/gi)]
      .map((m) => (m[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').trim())
      .filter((p) => p && !/technical details|continue your visit/i.test(p));
    return clip(paragraphs.slice(0, 2).join(': '));
  }
  return clip(text.split('\n').find((l) => l.trim() !== '') ?? '');
}
