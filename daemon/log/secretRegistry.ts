import { inspect } from 'node:util';
import { REDACTED } from './redacted';

/** Shorter values are ignored: masking every "abc" would shred ordinary text. */
export const MIN_SECRET_LENGTH = 4;

/**
 * Base64 fragments shorter than this are not registered: a shorter fragment of random-looking
 * characters would match ordinary words too often.
 */
const MIN_SHIFTED_BASE64_LENGTH = 6;

/**
 * The secrets superd learned at run time (client secrets, passwords, bearer tokens), in every
 * form in which they can show up in a log line. One registry is created at the composition root
 * and handed to the logger and to whoever reads a secret.
 */
export class SecretRegistry {
  readonly #secrets = new Set<string>();
  readonly #forms = new Set<string>();
  /** Compiled lazily; `undefined` means "stale since the last registration". */
  #matcher: RegExp | null | undefined = null;

  /**
   * Registers a secret, plus its base64, base64url, URL-encoded, form-encoded, JSON-escaped and
   * util.inspect-escaped forms. A secret can travel as `client_secret=...` in a form body,
   * inside `Basic <base64>` (at any byte offset after `client_id:`), or escaped in JSON.
   * Values that are not strings, are shorter than {@link MIN_SECRET_LENGTH}, or are part of the
   * `[REDACTED]` marker itself are ignored.
   */
  registerSecret(value: unknown): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || this.#secrets.has(value)) return;
    if (isPartOfMarker(value)) return;
    this.#secrets.add(value);
    for (const form of encodedForms(value)) {
      if (form.length >= MIN_SECRET_LENGTH && !isPartOfMarker(form)) this.#forms.add(form);
    }
    this.#matcher = undefined;
  }

  /** How many distinct secrets are registered. */
  get size(): number {
    return this.#secrets.size;
  }

  /** Replaces every registered secret, in any of its forms, with `[REDACTED]`. */
  mask(text: string): string {
    const matcher = this.#compiled();
    if (matcher === null) return text;
    // Repeat until nothing matches: a replacement can join the marker's own characters and the
    // text after it into a new occurrence (a secret starting with "]", say). One pass is the
    // norm; the bound only guarantees that a pathological secret cannot hang the daemon.
    let current = text;
    for (let pass = 0; pass <= text.length; pass++) {
      const next = current.replace(matcher, REDACTED);
      if (next === current) break;
      current = next;
    }
    return current;
  }

  #compiled(): RegExp | null {
    if (this.#matcher === undefined) {
      const forms = [...this.#forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.#matcher = forms.length === 0 ? null : new RegExp(forms.join('|'), 'g');
    }
    return this.#matcher;
  }
}

function isPartOfMarker(value: string): boolean {
  return (REDACTED + REDACTED).includes(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Every spelling of `secret` worth masking, the secret itself first. */
export function encodedForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const bytes = Buffer.from(secret, 'utf8');

  const base64 = bytes.toString('base64');
  forms.add(base64);
  forms.add(base64.replace(/=+$/, ''));
  forms.add(bytes.toString('base64url'));
  for (let offset = 0; offset < 3; offset++) {
    const fragment = shiftedBase64(bytes, offset);
    if (fragment.length >= MIN_SHIFTED_BASE64_LENGTH) {
      forms.add(fragment);
      forms.add(fragment.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }

  const uriEncoded = encodeURIComponent(secret);
  const formEncoded = new URLSearchParams([['', secret]]).toString().slice(1);
  for (const encoded of [uriEncoded, formEncoded]) {
    forms.add(encoded);
    forms.add(encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
  }

  forms.add(JSON.stringify(secret).slice(1, -1));
  forms.add(inspect(secret).slice(1, -1));
  return [...forms];
}

/**
 * The base64 characters that depend only on the secret's bytes when the secret starts `offset`
 * bytes (mod 3) into a longer encoded value, as in `Basic base64("client-id:secret")`.
 */
function shiftedBase64(bytes: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  const firstBit = offset * 8;
  const endBit = (offset + bytes.length) * 8;
  const first = Math.ceil(firstBit / 6);
  const end = Math.floor(endBit / 6);
  return end > first ? encoded.slice(first, end) : '';
}
