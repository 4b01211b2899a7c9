/**
 * Rotating Jamf Pro credentials the way a password vault does (seed 004): a privileged
 * credential changes the target's password (or issues an API client a new secret), the new
 * secret is verified by obtaining a token with it, and only then, when the target is superd's
 * own saved credential, is the keychain updated. Every step is reported; no secret is.
 */
import type { Dispatcher } from 'undici';
import type { SecretStore } from '../auth/secretStore';
import { JamfAuthError, JamfHttpError, JamfPrivilegeError, JamfTargetError, JamfUnreachableError, StepFailedError } from '../errors';
import { credentialSecrets, type JamfCredential } from '../jamf/credentials';
import { accountStanding, findJamfAccount, isDirectoryAccount } from '../jamf/jamfAccounts';
import { JamfClient } from '../jamf/jamfClient';
import { versionAtLeast } from '../version';

export type StepOutcome = 'ok' | 'skipped' | 'failed';
export interface RotationStep {
  readonly step: string;
  readonly outcome: StepOutcome;
  readonly detail: string;
}
export interface RotationReport {
  readonly target: string;
  readonly steps: RotationStep[];
  /** `rotated` only when the new credential verified. */
  status: 'rotated' | 'skipped' | 'failed';
  /** The error of the failed step, for the exit status (never rendered: `detail` says it). */
  failure?: unknown;
}

export interface RotationContext {
  readonly baseUrl: string;
  readonly dispatcher: Dispatcher;
  readonly privileged: JamfCredential;
  /** superd's own keychain: updated when the target is its saved credential. */
  readonly store: SecretStore;
  readonly now: () => Date;
  readonly registerSecret: (secret: string) => void;
}

function explain(error: unknown): string {
  if (error instanceof JamfPrivilegeError) return `${error.message}`;
  if (error instanceof JamfAuthError || error instanceof JamfUnreachableError || error instanceof JamfHttpError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

function reporter(target: string) {
  const report: RotationReport = { target, steps: [], status: 'failed' };
  const step = async <T>(name: string, fn: () => Promise<T>, detail: (v: T) => string): Promise<T> => {
    try {
      const value = await fn();
      report.steps.push({ step: name, outcome: 'ok', detail: detail(value) });
      return value;
    } catch (error) {
      report.steps.push({ step: name, outcome: 'failed', detail: explain(error) });
      report.failure = error;
      throw new StepFailedError(name);
    }
  };
  return { report, step };
}

/** A token with the credential and `GET /api/v1/auth`, then the token invalidated. */
async function verifyCredential(ctx: RotationContext, credential: JamfCredential): Promise<string> {
  const client = new JamfClient({ baseUrl: ctx.baseUrl, credential, dispatcher: ctx.dispatcher, now: () => ctx.now().getTime(), onSecret: ctx.registerSecret });
  try {
    await client.whoAmI();
    return 'a token was obtained with the new secret and GET /api/v1/auth answered';
  } finally {
    await client.close().catch(() => undefined);
  }
}

export interface AccountRotationInput {
  readonly targetAccount: string;
  readonly newPassword: string;
  /** Skip when the password changed less than this many days ago. */
  readonly ifOlderThanDays: number | null;
}

/** `superd jamf-account rotate`. */
export async function rotateAccountPassword(ctx: RotationContext, input: AccountRotationInput): Promise<RotationReport> {
  const { report, step } = reporter(input.targetAccount);
  ctx.registerSecret(input.newPassword);
  for (const s of credentialSecrets(ctx.privileged)) ctx.registerSecret(s);
  const client = new JamfClient({ baseUrl: ctx.baseUrl, credential: ctx.privileged, dispatcher: ctx.dispatcher, now: () => ctx.now().getTime(), onSecret: ctx.registerSecret });
  try {
    const version = await step('privileged-token', () => client.getVersion(), (v) => `Jamf Pro ${v} accepted the privileged credential`);
    const account = await step('resolve-target', async () => {
      const found = await findJamfAccount(client, input.targetAccount);
      if (!found) throw new JamfTargetError(`Jamf Pro has no account named "${input.targetAccount}"`);
      if (isDirectoryAccount(found)) {
        throw new JamfTargetError(`"${input.targetAccount}" is a directory (LDAP or SSO) account: its password is managed by the directory, not by Jamf Pro, so superd does not rotate it`);
      }
      // A new password for an account that cannot log in could not be verified: nothing is changed.
      const standing = accountStanding(found);
      if (standing.kind === 'locked-out') {
        throw new JamfTargetError(`"${input.targetAccount}" is locked out (Jamf Pro shows it Disabled after ${standing.failedLoginAttempts} failed logins), so a new password could not be verified. Nothing was changed: unlock it in Jamf Pro (Settings › User accounts & groups › ${input.targetAccount} › Access Status: Enabled), then rotate again`);
      }
      if (standing.kind === 'disabled' || standing.kind === 'disabled-or-locked') {
        const which = standing.kind === 'disabled' ? 'disabled in Jamf Pro' : 'Disabled in Jamf Pro (locked out or disabled: this server\'s Classic API does not say which)';
        throw new JamfTargetError(`"${input.targetAccount}" is ${which}, so a new password could not be verified. Nothing was changed: set its Access Status to Enabled first, then rotate again`);
      }
      return found;
    }, (a) => `account id ${a.id}${a.lastPasswordChange ? `, password last changed ${a.lastPasswordChange}` : ''}`);
    if (input.ifOlderThanDays !== null && !account.lastPasswordChange) {
      const detail = `--if-older-than=${input.ifOlderThanDays} needs the password's age, and this server does not report it (no lastPasswordChange; the Classic API has none). Nothing was changed; run without --if-older-than to rotate anyway`;
      report.steps.push({ step: 'change-password', outcome: 'failed', detail });
      report.failure = new JamfTargetError(detail);
      return report;
    }
    if (input.ifOlderThanDays !== null && account.lastPasswordChange) {
      const ageDays = (ctx.now().getTime() - Date.parse(account.lastPasswordChange)) / 86_400_000;
      if (ageDays < input.ifOlderThanDays) {
        report.steps.push({ step: 'change-password', outcome: 'skipped', detail: `the password is ${ageDays.toFixed(1)} days old, younger than --if-older-than=${input.ifOlderThanDays}` });
        report.status = 'skipped';
        return report;
      }
    }
    await step('change-password', async () => {
      if (versionAtLeast(version, '11.27.0')) {
        const current = await client.request<Record<string, unknown>>('GET', `api/v1/accounts/${account.id}`);
        const { id: _id, lastPasswordChange: _l, failedLoginAttempts: _f, ...writable } = current;
        await client.request('PUT', `api/v1/accounts/${account.id}`, { json: { ...writable, plainPassword: input.newPassword } });
        return 'PUT /api/v1/accounts/{id} (read, modified, written back)';
      }
      const xml = `<account><password>${escapeXml(input.newPassword)}</password></account>`;
      await client.request('PUT', `JSSResource/accounts/userid/${account.id}`, { body: xml, headers: { 'content-type': 'application/xml' }, accept: 'application/xml' });
      return 'Classic PUT /JSSResource/accounts/userid/{id}';
    }, (how) => how);
    await step('verify-new-password', () => verifyCredential(ctx, { kind: 'account', username: input.targetAccount, password: input.newPassword }).catch(async (error: unknown) => {
      throw await withStanding(error, client, input.targetAccount);
    }), (d) => d);
    await storeIfOwn(ctx, report, 'jamf_account', 'jamf_password', input.targetAccount, input.newPassword);
    report.status = 'rotated';
  } catch (error) {
    if (!(error instanceof StepFailedError)) throw error;
  } finally {
    await client.close().catch(() => undefined);
  }
  return report;
}

/**
 * A new password that Jamf Pro refuses at once: says whether the account is now locked out or
 * disabled (read with the privileged credential), because Jamf Pro's 401 does not. A strict
 * password policy can lock the account on this very attempt, when the change did not apply.
 */
async function withStanding(error: unknown, client: JamfClient, username: string): Promise<unknown> {
  if (!(error instanceof JamfAuthError)) return error;
  const record = await findJamfAccount(client, username).catch(() => null);
  const standing = record ? accountStanding(record) : null;
  if (standing?.kind === 'locked-out') return new JamfAuthError(`${error.message} The account is locked out (Jamf Pro shows it Disabled after ${standing.failedLoginAttempts} failed logins): unlock it in Jamf Pro (Settings › User accounts & groups › ${username} › Access Status: Enabled) and rotate again.`, 401);
  if (standing?.kind === 'disabled' || standing?.kind === 'disabled-or-locked') return new JamfAuthError(`${error.message} The account is disabled in Jamf Pro: enable it (Access Status: Enabled) and rotate again.`, 401);
  return error;
}

/** `superd jamf-client rotate-secret`: a new secret for an API client, verified before use. */
export async function rotateClientSecret(ctx: RotationContext, input: { clientId: string }): Promise<RotationReport & { newSecret?: string }> {
  const { report, step } = reporter(input.clientId);
  for (const s of credentialSecrets(ctx.privileged)) ctx.registerSecret(s);
  const client = new JamfClient({ baseUrl: ctx.baseUrl, credential: ctx.privileged, dispatcher: ctx.dispatcher, now: () => ctx.now().getTime(), onSecret: ctx.registerSecret });
  let newSecret: string | undefined;
  try {
    await step('privileged-token', () => client.getVersion(), (v) => `Jamf Pro ${v} accepted the privileged credential`);
    const integration = await step('resolve-client', async () => {
      const page = await client.request<{ results?: Array<{ id: string | number; clientId?: string; displayName?: string }> }>('GET', 'api/v1/api-integrations', { query: { 'page-size': 2000 } });
      const found = page.results?.find((r) => r.clientId === input.clientId);
      if (!found) throw new JamfTargetError(`Jamf Pro has no API client with client id ${input.clientId}`);
      return found;
    }, (i) => `API integration ${i.id}${i.displayName ? ` "${i.displayName}"` : ''}`);
    const issued = await step('issue-secret', async () => {
      const r = await client.request<{ clientId: string; clientSecret: string }>('POST', `api/v1/api-integrations/${integration.id}/client-credentials`);
      ctx.registerSecret(r.clientSecret);
      return r;
    }, () => 'POST /api/v1/api-integrations/{id}/client-credentials issued a new secret (the old one stops working)');
    newSecret = issued.clientSecret;
    await step('verify-new-secret', () => verifyCredential(ctx, { kind: 'client', clientId: input.clientId, clientSecret: issued.clientSecret }), (d) => d);
    await storeIfOwn(ctx, report, 'jamf_client', 'jamf_secret', input.clientId, issued.clientSecret);
    report.status = 'rotated';
  } catch (error) {
    if (!(error instanceof StepFailedError)) throw error;
  } finally {
    await client.close().catch(() => undefined);
  }
  return newSecret === undefined ? report : { ...report, newSecret };
}

/**
 * When the target is superd's own saved credential, the keychain takes the new secret — only
 * now, after verification, so a failure before leaves the old one saved.
 */
async function storeIfOwn(ctx: RotationContext, report: RotationReport, nameField: string, secretField: string, name: string, secret: string): Promise<void> {
  if ((await ctx.store.get(nameField)) !== name) {
    report.steps.push({ step: 'update-keychain', outcome: 'skipped', detail: 'not superd\'s saved credential' });
    return;
  }
  await ctx.store.set(secretField, secret);
  report.steps.push({ step: 'update-keychain', outcome: 'ok', detail: `superd's saved ${nameField === 'jamf_client' ? 'API client secret' : 'account password'} was replaced and read back` });
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
