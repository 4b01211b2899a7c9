/**
 * `superd jamf-client save --slot=primary|secondary --client-id=ID` (secret on standard input):
 * how a Mac receives a new API client secret from the Jamf Pro policy that distributes it
 * (docs/fleet-rotation.md). The secret is checked with Jamf Pro first (a token and
 * `GET /api/v1/auth` with the privileges the workflow needs); only a secret that works is saved,
 * so whatever the policy sends, the Mac keeps a working set.
 */
import type { Dispatcher } from 'undici';
import type { Settings } from '../config/schema';
import { AuthError, JamfUnreachableError, UsageError } from '../errors';
import { JamfClient } from '../jamf/jamfClient';
import { loadJamfBaseUrl } from '../jamf/jssUrl';
import { statusTime, updateStatus } from '../status/statusFile';
import { checkJamfCredential, workflowPrivileges } from './jamfCredentialCheck';
import { saveAuth } from './savedAuth';
import { PREFERRED_FIELD, SLOT_FIELDS, preferPrimary, saveSecondaryClient, slotClientIds, type ClientSlot } from './secondaryClient';
import type { SecretStore } from './secretStore';

export interface SlotSaveContext {
  readonly root: string;
  readonly store: SecretStore;
  readonly settings: Settings;
  readonly dispatcher: Dispatcher;
  readonly now: () => Date;
  readonly registerSecret: (secret: string) => void;
  readonly warn: (message: string) => void;
  readonly signal?: AbortSignal;
}

export interface SlotSaveResult {
  /** Where it went: a secondary with no primary API client saved becomes the primary. */
  readonly slot: ClientSlot;
  readonly serverVersion: string;
  readonly unchanged: boolean;
}

/** Validates, then saves into the slot; the slot that was just saved is preferred from now on. */
export async function saveClientSlot(ctx: SlotSaveContext, slot: ClientSlot, clientId: string, secret: string): Promise<SlotSaveResult> {
  ctx.registerSecret(secret);
  const ids = await slotClientIds(ctx.store, ctx.signal);
  const other: ClientSlot = slot === 'primary' ? 'secondary' : 'primary';
  if (ids[other] === clientId) {
    throw new UsageError(`--client-id: ${clientId} is already the ${other} API client; the two slots hold two different API clients (rotate one while the other works). Nothing was saved.`);
  }
  const base = await loadJamfBaseUrl({ customUrl: ctx.settings.AuthJamfCustomURL ?? null, root: ctx.root });
  const client = new JamfClient({ baseUrl: base.url, credential: { kind: 'client', clientId, clientSecret: secret }, dispatcher: ctx.dispatcher, now: () => ctx.now().getTime(), onSecret: ctx.registerSecret });
  let serverVersion: string;
  try {
    const checked = await checkJamfCredential(client, 'client', (v) => workflowPrivileges(ctx.settings.MDMWorkflow, v), ctx.signal);
    if (!checked.ok) {
      if (checked.failure.reason === 'mdm-service-unavailable') throw new JamfUnreachableError(`${checked.failure.message} Nothing was saved.`);
      throw new AuthError(checked.failure.reason, `--client-id=${clientId} (${slot}): ${checked.failure.message} Nothing was saved; the saved API clients are unchanged.`);
    }
    for (const w of checked.warnings) ctx.warn(w);
    serverVersion = checked.serverVersion;
  } finally {
    await client.close().catch(() => undefined);
  }
  // The same id and secret already saved: nothing to write (a policy run again after a log flush).
  const unchanged = ids[slot] === clientId && (await ctx.store.get(SLOT_FIELDS[slot][1], ctx.signal)) === secret;
  let saved: ClientSlot = slot;
  if (!unchanged) {
    if (slot === 'secondary' && ids.primary === null) {
      // A secondary needs a primary beside it (the saved method is the primary API client).
      ctx.warn('no primary API client is saved, so this one is saved as the primary.');
      saved = 'primary';
    }
    if (saved === 'primary') {
      await saveAuth(ctx.store, 'jamf-client', clientId, secret, ctx.signal);
      await preferPrimary(ctx.store, ctx.signal);
    } else {
      await saveSecondaryClient(ctx.store, clientId, secret, ctx.signal);
    }
  } else if (slot === 'primary') {
    await preferPrimary(ctx.store, ctx.signal);
  } else {
    await ctx.store.set(PREFERRED_FIELD, 'secondary', ctx.signal);
  }
  // Jamf Pro just accepted it: the heartbeat resumes, and the extension attribute names it.
  await updateStatus(ctx.root, { authMethod: 'jamf-client', heartbeat: { status: 'Success', checkedAt: statusTime(ctx.now()) }, heartbeatPausedFor: null, jamfClientInUse: clientId }, ctx.now());
  return { slot: saved, serverVersion, unchanged };
}
