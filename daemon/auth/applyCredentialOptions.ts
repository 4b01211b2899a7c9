import type { Dispatcher } from 'undici';
import type { CredentialOption } from '../config/credentialOptions';
import type { Settings } from '../config/schema';
import { AuthError, JamfUnreachableError } from '../errors';
import { UsageError } from '../errors';
import type { JamfCredential } from '../jamf/credentials';
import { JamfClient } from '../jamf/jamfClient';
import { loadJamfBaseUrl } from '../jamf/jssUrl';
import { statusTime, updateStatus, type AuthMethod } from '../status/statusFile';
import { generatedUid } from '../host/dscl';
import type { RunCommand } from '../host/runCommand';
import { checkJamfCredential, workflowPrivileges } from './jamfCredentialCheck';
import { createServiceAccount, removeServiceAccount, DEFAULT_SERVICE_ACCOUNT, generateServicePassword } from './serviceAccount';
import { verifyLocalUser } from './verifyLocalUser';
import { METHOD_FIELDS, METHOD_PRIORITY, saveAuth } from './savedAuth';
import { SECONDARY_CLIENT_FIELDS } from './secondaryClient';
import { discardReplacement, settleReplacement } from './credentialReplacement';
import type { SecretStore } from './secretStore';

type Given = Partial<Record<CredentialOption, string>>;

/** Marks the service account superd created (so --auth-delete-all removes it, and nothing else). */
export const SERVICE_CREATED_FIELD = 'service_created';

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
  readonly run: RunCommand;
  readonly signal?: AbortSignal;
}

function pair(given: Given, nameOption: CredentialOption, secretOption: CredentialOption): [string, string] {
  const name = given[nameOption];
  const secret = given[secretOption];
  if (!name || !secret) {
    const missing = name ? secretOption : nameOption;
    throw new UsageError(`--${missing} is required with --${name ? nameOption : secretOption} (they come as a pair)`);
  }
  return [name, secret];
}

/** A local account: exists, right password, volume owner — then saved. */
async function saveLocalAccount(ctx: CredentialChangeContext, given: Given): Promise<{ method: AuthMethod; removed: string[] }> {
  const [name, password] = pair(given, 'auth-local-account', 'auth-local-password');
  const check = await verifyLocalUser(ctx.run, name, password, ctx.signal);
  if (!check.ok) throw new AuthError(check.reason, `--auth-local-account: ${check.message} Nothing was saved; the previously saved method is unchanged.`);
  return { method: 'local-account', removed: await saveAuth(ctx.store, 'local-account', name, password, ctx.signal) };
}

/** A hidden service account created by an admin, validated, saved; rolled back on failure. */
async function saveServiceAccount(ctx: CredentialChangeContext, given: Given): Promise<{ method: AuthMethod; removed: string[] }> {
  const [adminUser, adminPassword] = pair(given, 'auth-service-add-via-admin-account', 'auth-service-add-via-admin-password');
  const name = given['auth-service-account'] ?? DEFAULT_SERVICE_ACCOUNT;
  const password = given['auth-service-password'] ?? generateServicePassword();
  ctx.registerSecret(password);
  // Marked before the account exists: a kill between creating it and saving it leaves an account
  // that --auth-delete-all still knows superd made (a later run cannot remove it alone: macOS 26
  // asks for an admin's credentials).
  const previousMarker = await ctx.store.get(SERVICE_CREATED_FIELD, ctx.signal);
  await ctx.store.set(SERVICE_CREATED_FIELD, name, ctx.signal);
  const restoreMarker = () => (previousMarker === null ? ctx.store.delete(SERVICE_CREATED_FIELD, ctx.signal) : ctx.store.set(SERVICE_CREATED_FIELD, previousMarker, ctx.signal)).catch(() => undefined);
  try {
    await createServiceAccount(ctx.run, { adminUser, adminPassword, name, password }, ctx.signal);
  } catch (error) {
    await restoreMarker();
    throw error;
  }
  try {
    const removed = await saveAuth(ctx.store, 'service-account', name, password, ctx.signal);
    return { method: 'service-account', removed };
  } catch (error) {
    // Rolled back with the admin's credentials (macOS 26 asks for them), and checked.
    const removal = await removeServiceAccount(ctx.run, name, ctx.signal, { user: adminUser, password: adminPassword });
    if (!removal.removed) ctx.warn(removal.message);
    await restoreMarker();
    throw error;
  }
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
export interface CredentialChange {
  readonly method: AuthMethod;
  readonly removed: string[];
  /** Jamf Pro's version, when a Jamf credential was just validated. */
  readonly serverVersion?: string;
}

export async function applyCredentialOptions(ctx: CredentialChangeContext, given: Given): Promise<CredentialChange | null> {
  const method = chooseGivenMethod(given, ctx.warn);
  if (method === null) return null;
  if (method === 'local-account') return saveLocalAccount(ctx, given);
  if (method === 'service-account') return saveServiceAccount(ctx, given);
  if (method === 'user') return null;
  const [nameOption, secretOption] = METHOD_OPTIONS[method] as [CredentialOption, CredentialOption];
  const [name, secret] = pair(given, nameOption, secretOption);
  const credential: JamfCredential = method === 'jamf-client' ? { kind: 'client', clientId: name, clientSecret: secret } : { kind: 'account', username: name, password: secret };
  const base = await loadJamfBaseUrl({ customUrl: ctx.settings.AuthJamfCustomURL ?? null, root: ctx.root });
  const client = new JamfClient({ baseUrl: base.url, credential, dispatcher: ctx.dispatcher, now: () => ctx.now().getTime(), onSecret: ctx.registerSecret });
  let serverVersion: string;
  try {
    const checked = await checkJamfCredential(client, credential.kind, (v) => workflowPrivileges(ctx.settings.MDMWorkflow, v), ctx.signal);
    if (!checked.ok) {
      if (checked.failure.reason === 'mdm-service-unavailable') throw new JamfUnreachableError(`${checked.failure.message} Nothing was saved.`);
      throw new AuthError(checked.failure.reason, `--${nameOption}: ${checked.failure.message} Nothing was saved; the previously saved method is unchanged.`);
    }
    for (const w of checked.warnings) ctx.warn(w);
    serverVersion = checked.serverVersion;
  } finally {
    await client.close().catch(() => undefined);
  }
  const removed = await saveAuth(ctx.store, method, name, secret, ctx.signal);
  // Jamf Pro just accepted it: saving it again (say, after its account was unlocked) resumes a
  // heartbeat paused after a failure, even when the secret itself did not change.
  const checkedAt = statusTime(ctx.now());
  await updateStatus(ctx.root, { heartbeat: { status: 'Success', checkedAt }, heartbeatPausedFor: null }, ctx.now());
  return { method, removed, serverVersion };
}

/**
 * `--auth-delete-all`: removes every saved credential item, the service account superd created
 * (named by its marker item) and the marker; idempotent. Says what it removed.
 */
export async function deleteAllCredentials(store: SecretStore, run: RunCommand, signal?: AbortSignal): Promise<string[]> {
  // A replacement a kill interrupted goes too (its staged items), before the saved ones.
  const removed: string[] = (await discardReplacement(store, signal)).map((field) => `superd_auth_${field}`);
  const created = await store.get(SERVICE_CREATED_FIELD, signal);
  if (created !== null && (await generatedUid(run, created, signal)) !== null) {
    const removal = await removeServiceAccount(run, created, signal);
    removed.push(removal.removed ? `the service account "${created}"` : `not the service account "${created}": ${removal.message}`);
  }
  for (const field of [...METHOD_PRIORITY.flatMap((m) => METHOD_FIELDS[m]), ...SECONDARY_CLIENT_FIELDS, SERVICE_CREATED_FIELD]) {
    if (await store.delete(field, signal)) removed.push(`superd_auth_${field}`);
  }
  return removed;
}

/**
 * `--auth-migrate-from-super`: when superd has nothing saved, reads super's System-keychain items
 * (service "Super Update Service", accounts super_auth_*) for the Jamf and local methods and gives
 * them back as options, to be validated and saved under superd's names like new options.
 */
export async function superCredentials(superStore: SecretStore, ownStore: SecretStore, signal?: AbortSignal): Promise<Given | null> {
  // A replacement a kill interrupted is superd's saved method too (no keychain read without one).
  await settleReplacement(ownStore, signal);
  for (const method of METHOD_PRIORITY) if ((await ownStore.get(METHOD_FIELDS[method][0], signal)) !== null) return null;
  for (const method of ['local-account', 'service-account', 'jamf-client', 'jamf-account'] as const) {
    const [nameField, secretField] = METHOD_FIELDS[method];
    const name = await superStore.get(nameField, signal);
    const secret = name === null ? null : await superStore.get(secretField, signal);
    if (name === null || secret === null) continue;
    if (method === 'service-account') {
      // super's service account exists already: save it as a local account superd did not create.
      return { 'auth-local-account': name, 'auth-local-password': secret };
    }
    const [nameOption, secretOption] = METHOD_OPTIONS[method] as [CredentialOption, CredentialOption];
    return { [nameOption]: name, [secretOption]: secret };
  }
  return null;
}
