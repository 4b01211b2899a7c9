import type { Logform } from 'winston';
import { LEVEL, SPLAT } from './infoSymbols';
import { redact } from './redact';
import { REDACTED } from './redacted';
import type { SecretRegistry } from './secretRegistry';

type Info = Logform.TransformableInfo;

/**
 * Redacts a winston info object: its message, every metadata field (nested objects, arrays,
 * `error`/`err` Errors with their stack and cause), an Error logged as the info itself, the
 * splat arguments kept under `Symbol.for('splat')`, and any other hidden field. Only `level`
 * is kept as is, because winston routes on it. Returns a new object; never throws.
 */
export function redactInfo(info: Info, registry: SecretRegistry): Info {
  const level = info.level;
  try {
    const out = redact(info instanceof Error ? errorFields(info) : info, registry) as Info;
    out.level = level;
    for (const symbol of Object.getOwnPropertySymbols(info)) {
      out[symbol] = symbol === LEVEL ? info[LEVEL] : redact(info[symbol], registry);
    }
    return out;
  } catch {
    return { level, [LEVEL]: info[LEVEL], [SPLAT]: [], message: `${REDACTED} (this line could not be redacted)` };
  }
}

/** `logger.info(error)` makes the Error itself the info; its message and stack are not enumerable. */
function errorFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { message: error.message };
  if (error.stack !== undefined) fields.stack = error.stack;
  if (error.cause !== undefined) fields.cause = error.cause;
  return Object.assign(fields, error);
}

/**
 * The winston format that applies {@link redactInfo}, at every level. createLogger places it
 * on the logger itself, around string interpolation, so no transport ever sees an unredacted
 * info. A plain `{ transform }` object: logform formats are duck-typed, and this module does not
 * load winston.
 */
export function redactFormat(registry: SecretRegistry): Logform.Format {
  return { transform: (info: Info) => redactInfo(info, registry) };
}
