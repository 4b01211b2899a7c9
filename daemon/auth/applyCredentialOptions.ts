import type { Dispatcher } from 'undici';
import type { CredentialOption } from '../config/credentialOptions';
import type { Settings } from '../config/schema';
import { AuthError, JamfUnreachableError } from '../errors';
import { UsageError } from '../cli/usageError';
import type { JamfCredential } from '../jamf/credentials';
import { JamfClient } from '../jamf/jamfClient';
import { loadJamfBaseUrl } from '../jamf/jssUrl';
import type { AuthMethod } from '../status/statusFile';
import { checkJamfCredential, workflowPrivileges } from './jamfCredentialCheck';
import { METHOD_FIELDS, METHOD_PRIORITY, saveAuth } from './savedAuth';
import type { SecretStore } from './secretStore';

type Given = Partial<Record<CredentialOption, string>>;

const METHOD_OPTIONS: Record<AuthMethod, readonly CredentialOption[]> = {
  user: [],
  'local-account': ['auth-local-account', 'auth-local-password'],
  'service-account': ['auth-service-add-via-admin-account', 'auth-service-add-via-admin-password', 'auth-service-account', 'auth-service-password'],
  'jamf-client': ['auth-jamf-client', 'auth-jamf-secret'],
  'jamf-account': ['auth-jamf-account', 'auth-jamf-password'],
};

export interface CredentialChangeContext {
  readonly root: string;
  readonly store: SecretStore;
  readonly settings: Settings;
  readonly dispatcher: Dispatcher;
  readonly now: () => Date;
  readonly registerSecret: (secret: string) => void;
  readonly warn: (message: string) => void;
  readonly signal?: AbortSignal;
}

/** The method the options ask for, by the seed's priority, warning about every option it ignores. */
export function chooseGivenMethod(given: Given, warn: (m: string) => void): AuthMethod | null {
  const wanted = METHOD_PRIORITY.filter((m) => METHOD_OPTIONS[m].some((o) => given[o] !== undefined));
  const chosen = wanted[0] ?? null;
  for (const other of wanted.slice(1)) {
    for (const o of METHOD_OPTIONS[other]) if (given[o] !== undefined) warn(`--${o} is ignored: --${METHOD_OPTIONS[chosen!][0]} takes priority (one method at a time).`);
  }
  return chosen;
}

/**
 * Validates the credential given as options and saves it (replacing the saved method only
 * once the new one validated). Jamf Pro credentials are checked with a token and
 * `GET /api/v1/auth` plus the privileges the configured workflow needs — nothing else is
 * sent. Returns what was saved, or null when no credential option was given.
 */
export async function applyCredentialOptions(ctx: CredentialChangeContext, given: Given): Promise<{ method: AuthMethod; removed: string[] } | null> {
  const method = chooseGivenMethod(given, ctx.warn);
  if (method === null) return null;
  if (method !== 'jamf-client' && method !== 'jamf-account') {
    throw new UsageError(`--${METHOD_OPTIONS[method][0]}: local-account and service-account credentials are not supported by this build of superd yet; use --auth-jamf-client with --auth-jamf-secret.`);
  }
  const [nameOption, secretOption] = METHOD_OPTIONS[method] as [CredentialOption, CredentialOption];
  const name = given[nameOption];
  const secret = given[secretOption];
  if (!name || !secret) {
    const missing = name ? secretOption : nameOption;
    throw new UsageError(`--${missing} is required with --${name ? nameOption : secretOption} (they come as a pair)`);
  }
  const credential: JamfCredential = method === 'jamf-client' ? { kind: 'client', clientId: name, clientSecret: secret } : { kind: 'account', username: name, password: secret };
  const base = await loadJamfBaseUrl({ customUrl: ctx.settings.AuthJamfCustomURL ?? null, root: ctx.root });
  const client = new JamfClient({ baseUrl: base.url, credential, dispatcher: ctx.dispatcher, now: () => ctx.now().getTime(), onSecret: ctx.registerSecret });
  try {
    const checked = await checkJamfCredential(client, credential.kind, (v) => workflowPrivileges(ctx.settings.MDMWorkflow, v), ctx.signal);
    if (!checked.ok) {
      if (checked.failure.reason === 'mdm-service-unavailable') throw new JamfUnreachableError(`${checked.failure.message} Nothing was saved.`);
      throw new AuthError(checked.failure.reason, `--${nameOption}: ${checked.failure.message} Nothing was saved; the previously saved method is unchanged.`);
    }
    for (const w of checked.warnings) ctx.warn(w);
  } finally {
    await client.close().catch(() => undefined);
  }
  const removed = await saveAuth(ctx.store, method, name, secret, ctx.signal);
  return { method, removed };
}

/** `--auth-delete-all`: removes every saved credential item; idempotent. Returns the fields removed. */
export async function deleteAllCredentials(store: SecretStore, signal?: AbortSignal): Promise<string[]> {
  const removed: string[] = [];
  for (const method of METHOD_PRIORITY) for (const field of METHOD_FIELDS[method]) if (await store.delete(field, signal)) removed.push(field);
  return removed;
}
