import type { ConfigIssue } from '../errors';
import { credentialOptions, credentialValueProblem, isActionOption, isCredentialOption } from './credentialOptions';
import { keyByOption, settingsSchema } from './schema';
import { superKeyByOption, superShortOptions } from './superKeys';

export type RawOptions = Readonly<Record<string, string | boolean>>;

export interface ParsedOptions {
  /** Option name (no dashes) → raw value: a string, or true/false for flags. */
  options: RawOptions;
  /** True when the arguments began with Jamf's three positional parameters. */
  fromJamfPolicy: boolean;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

/**
 * Parses super-style options: `--key=value`, `--flag`, `--flag-off`. Jamf Pro policies pass
 * the mount point `/`, the computer name and the user name as $1–$3, then one option per
 * parameter ($4–$11), often empty: those three are ignored and empty arguments skipped.
 * Pure: no I/O, nothing read from stdin here.
 */
export function parseOptions(argv: readonly string[]): ParsedOptions {
  const fromJamfPolicy = argv[0] === '/';
  const args = fromJamfPolicy ? argv.slice(3) : argv;
  const options: Record<string, string | boolean> = {};
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];

  for (const [index, original] of args.entries()) {
    // Blanks around a Jamf Pro parameter are dropped, but never inside a value: a secret may end
    // with a space (values of settings are trimmed in interpret, secrets are not).
    const leading = original.trimStart();
    const arg = leading.includes('=') ? leading : leading.trimEnd();
    if (arg === '') continue;
    const short = superShortOptions.get(arg);
    if (short) {
      if (Object.hasOwn(options, short.option)) warnings.push({ subject: `--${short.option}`, message: 'was given more than once; the last value is used' });
      options[short.option] = short.value;
      continue;
    }
    const m = /^--([a-z0-9-]+)(?:=([\s\S]*))?$/.exec(arg);
    if (!m?.[1]) {
      errors.push({ subject: `argument ${index + 1 + (fromJamfPolicy ? 3 : 0)}`, message: 'is not an option: options look like --name=value, --flag or --flag-off (see superd --help)' });
      continue;
    }
    const name = m[1];
    const value = m[2];
    const result = interpret(name, value);
    if ('error' in result) {
      errors.push({ subject: `--${name}`, message: result.error });
      continue;
    }
    if (Object.hasOwn(options, result.name)) {
      warnings.push({ subject: `--${result.name}`, message: 'was given more than once; the last value is used' });
    }
    options[result.name] = result.value;
  }
  return { options, fromJamfPolicy, errors, warnings };
}

function interpret(name: string, value: string | undefined): { name: string; value: string | boolean } | { error: string } {
  const key = keyByOption.get(name);
  if (key) {
    const def = settingsSchema[key];
    if (def.kind === 'boolean') {
      return value === undefined ? { name, value: true } : { error: `takes no value: use --${name} or --${name}-off` };
    }
    if (value === undefined || value.trim() === '') return { error: `needs a value: --${name}=VALUE, where VALUE is ${def.expected} (or X to unset it)` };
    return { name, value: value.trim() };
  }
  if (name.endsWith('-off')) {
    const base = name.slice(0, -4);
    const baseKey = keyByOption.get(base);
    if (baseKey && settingsSchema[baseKey].kind === 'boolean') {
      return value === undefined ? { name: base, value: false } : { error: `takes no value: use --${name}` };
    }
  }
  if (isCredentialOption(name)) {
    // Secrets are not trimmed: a password may begin or end with a space. Names are (a Jamf Pro
    // parameter pasted with a trailing blank), as settings are.
    const secret = credentialOptions[name].secret;
    const given = secret ? value : value?.trim();
    if (given === undefined || given === '') {
      return { error: secret ? `needs a value: --${name}=VALUE (or --${name}=- to read it from standard input)` : `needs a value: --${name}=NAME` };
    }
    const problem = credentialValueProblem(name, given);
    return problem ? { error: problem } : { name, value: given };
  }
  if (isActionOption(name)) {
    return value === undefined ? { name, value: true } : { error: `takes no value: use --${name}` };
  }
  // super's other options: accepted here with super's syntax, classified by validate (superKeys.ts).
  const superOption = superKeyByOption.get(name);
  if (superOption) {
    if (superOption.form === 'value') return { name, value: (value ?? '').trim() };
    return value === undefined ? { name, value: true } : { error: `takes no value: use --${name}` };
  }
  if (name.endsWith('-off') && superKeyByOption.get(name.slice(0, -4))?.form === 'boolean') {
    return value === undefined ? { name: name.slice(0, -4), value: false } : { error: `takes no value: use --${name}` };
  }
  return { error: 'is not a superd option (see superd --help for the list)' };
}
