/**
 * `superd jamf-client rotate-secret --fleet`: rotates one of the two API clients every Mac holds,
 * the one no Mac relies on, without ever leaving a Mac with only a dead secret
 * (docs/fleet-rotation.md). Jamf Pro ends a client's old secret the moment it issues a new one
 * (no grace period: updates-and-fleet.md "Credentials: rotation facts"), so:
 *
 * 1. read which client each Mac last worked with (the superd-jamf-client extension attribute);
 * 2. only when every reporting Mac says `client Y OK`, rotate the other client X and check the
 *    new secret with a token;
 * 3. write X's slot, id and new secret into the distributing policy's script parameters, and
 *    flush the policy's logs so every Mac runs it again (each Mac checks and saves it);
 * 4. wait, bounded, until every reporting Mac says `client X OK`. The next rotation (of Y) is
 *    refused until then. Run again to continue waiting: the policy itself says which client is
 *    being distributed, so nothing else needs remembering.
 *
 * The new secret goes only to Jamf Pro (the policy parameter: Jamf's storage); never to a log,
 * the report, argv or the status file.
 */
import type { Dispatcher } from 'undici';
import type { ClientSlot } from '../auth/secondaryClient';
import { FleetNotReadyError, JamfAuthError, JamfTargetError, StepFailedError } from '../errors';
import { credentialSecrets, type JamfCredential } from '../jamf/credentials';
import { JamfClient } from '../jamf/jamfClient';
import { flushPolicyLogs, parseClientReport, readFleetValues, readPolicyScripts, writePolicyScripts, type FleetMac, type PolicyScript } from './fleetPolicy';
import type { RotationStep } from './rotation';

export interface FleetRotationInput {
  readonly primaryClientId: string;
  readonly secondaryClientId: string;
  /** The policy whose script hands the secret to the Macs. */
  readonly policyId: string;
  /** Which of the policy's scripts (by script id); the only one when null. */
  readonly scriptId: string | null;
  readonly eaName: string;
  /** How long to wait for the fleet before giving up (the next run continues). */
  readonly waitMs: number;
  readonly pollMs: number;
}

export interface FleetRotationContext {
  readonly baseUrl: string;
  readonly dispatcher: Dispatcher;
  readonly privileged: JamfCredential;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly registerSecret: (secret: string) => void;
  /** Told each step as it ends (the command prints them as they come: waiting can be long). */
  readonly onStep?: (step: RotationStep) => void;
}

export interface FleetRotationReport {
  readonly steps: RotationStep[];
  /** `confirmed`: the fleet reports the rotated client working; `waiting`: run again later. */
  status: 'confirmed' | 'waiting' | 'refused' | 'failed';
  /** The client the policy distributes now (the last one rotated), when known. */
  distributing: string | null;
  failure?: unknown;
}

/** The script parameters the distributing policy uses: $4 slot, $5 client id, $6 secret. */
export const SLOT_PARAMETER = 4;
export const CLIENT_PARAMETER = 5;
export const SECRET_PARAMETER = 6;

interface Tally {
  readonly reporting: number;
  readonly onClient: number;
  readonly behind: readonly FleetMac[];
  readonly silent: number;
}

/** How the fleet stands for one client: reporting Macs on it, and those not (yet). */
function tally(macs: readonly FleetMac[], clientId: string): Tally {
  const reporting = macs.filter((m) => m.value !== null && m.value !== 'none');
  const behind = reporting.filter((m) => {
    const r = parseClientReport(m.value);
    return !(r && r.ok && r.clientId === clientId);
  });
  return { reporting: reporting.length, onClient: reporting.length - behind.length, behind, silent: macs.length - reporting.length };
}

function describeBehind(t: Tally): string {
  const shown = t.behind.slice(0, 10).map((m) => `${m.name} (id ${m.computerId}): ${m.value ?? 'no value'}`);
  return `${shown.join('; ')}${t.behind.length > 10 ? `; and ${t.behind.length - 10} more` : ''}`;
}

function explain(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function rotateFleetClient(ctx: FleetRotationContext, input: FleetRotationInput): Promise<FleetRotationReport> {
  const report: FleetRotationReport = { steps: [], status: 'failed', distributing: null };
  const push = (s: RotationStep) => {
    report.steps.push(s);
    ctx.onStep?.(s);
  };
  const step = async <T>(name: string, fn: () => Promise<T>, detail: (v: T) => string): Promise<T> => {
    try {
      const value = await fn();
      push({ step: name, outcome: 'ok', detail: detail(value) });
      return value;
    } catch (error) {
      push({ step: name, outcome: 'failed', detail: explain(error) });
      report.failure = error;
      throw new StepFailedError(name);
    }
  };
  for (const s of credentialSecrets(ctx.privileged)) ctx.registerSecret(s);
  const client = new JamfClient({ baseUrl: ctx.baseUrl, credential: ctx.privileged, dispatcher: ctx.dispatcher, now: () => ctx.now().getTime(), onSecret: ctx.registerSecret });
  const clients = [input.primaryClientId, input.secondaryClientId];
  try {
    const version = await step('privileged-token', () => client.getVersion(), (v) => `Jamf Pro ${v} accepted the privileged credential`);
    const scripts = await step('read-policy', () => readPolicyScripts(client, input.policyId), (s) => `policy ${input.policyId} has ${s.length} script(s)`);
    const index = await step('find-script', async () => findScript(scripts, input.scriptId), (i) => `script ${scripts[i]!.id}${scripts[i]!.name ? ` "${scripts[i]!.name}"` : ''}`);
    const current = scripts[index]!;
    const distributing = current.parameters[CLIENT_PARAMETER] || null;
    report.distributing = distributing;
    const fleet = await step('read-fleet', () => readFleetValues(client, input.eaName, version), (m) => `${m.length} computer(s); extension attribute "${input.eaName}"`);

    let target: string;
    let rotate = true;
    if (distributing !== null && clients.includes(distributing) && tally(fleet, distributing).behind.length > 0) {
      // A rotation is under way. Its secret must still work (someone may have rotated the client
      // in Jamf Pro since): then it continues; a dead one is replaced, which no Mac can rely on.
      const t = tally(fleet, distributing);
      const works = await step('check-policy-secret', () => secretWorks(ctx, distributing, current.parameters[SECRET_PARAMETER] ?? ''), (ok) => ok
        ? `the secret in the policy for client ${distributing} still works`
        : `Jamf Pro refuses the secret in the policy for client ${distributing} (rotated outside superd?): no Mac can be working with it, so it is replaced`);
      target = distributing;
      if (works) {
        rotate = false;
        push({ step: 'fleet-state', outcome: 'ok', detail: `the policy distributes client ${distributing}; ${t.onClient} of ${t.reporting} reporting Mac(s) report it working: continuing that rotation, nothing new is rotated` });
        await step('flush-policy-logs', () => flushPolicyLogs(client, input.policyId), () => `DELETE /JSSResource/logflush/policies/id/${input.policyId}/interval/Zero+Days: every Mac that has not run the policy since runs it again`);
      }
    } else {
      const reliedOn = await step('fleet-state', async () => reliedOnClient(fleet, clients, distributing), (c) => `every reporting Mac works with client ${c}`);
      target = clients.find((c) => c !== reliedOn)!;
    }
    if (rotate) {
      const slot: ClientSlot = target === input.primaryClientId ? 'primary' : 'secondary';
      const integration = await step('resolve-client', () => findIntegration(client, target), (i) => `API integration ${i.id}${i.displayName ? ` "${i.displayName}"` : ''}, which no reporting Mac relies on`);
      const issued = await step('issue-secret', async () => {
        const r = await client.request<{ clientId?: string; clientSecret?: string }>('POST', `api/v1/api-integrations/${encodeURIComponent(String(integration.id))}/client-credentials`);
        if (typeof r?.clientSecret !== 'string' || r.clientSecret === '') throw new JamfTargetError('Jamf Pro answered without a client secret');
        ctx.registerSecret(r.clientSecret);
        return r.clientSecret;
      }, () => `POST /api/v1/api-integrations/{id}/client-credentials issued a new secret for client ${target} (its old secret stopped working; no Mac relied on it)`);
      await step('verify-new-secret', async () => {
        if (!(await secretWorks(ctx, target, issued))) throw new JamfTargetError(`Jamf Pro refuses the secret it just issued for client ${target}`);
      }, () => 'a token was obtained with the new secret and GET /api/v1/auth answered');
      const updated = scripts.map((s, i) => (i === index ? withParameters(s, slot, target, issued) : s));
      await step('update-policy', () => writePolicyScripts(client, input.policyId, updated), () => `PUT /JSSResource/policies/id/${input.policyId}: script parameters 4 (slot: ${slot}), 5 (client ${target}) and 6 (the new secret)`);
      report.distributing = target;
      await step('flush-policy-logs', () => flushPolicyLogs(client, input.policyId), () => `DELETE /JSSResource/logflush/policies/id/${input.policyId}/interval/Zero+Days: every Mac runs the policy again at its next check-in`);
    }
    await waitForFleet(ctx, client, input, version, target, push);
    report.status = 'confirmed';
  } catch (error) {
    if (error instanceof FleetNotReadyError) {
      report.failure = error;
      report.status = report.steps.some((s) => s.step === 'issue-secret' || s.step === 'flush-policy-logs') ? 'waiting' : 'refused';
    } else if (!(error instanceof StepFailedError)) throw error;
    else if (report.failure instanceof FleetNotReadyError) report.status = 'refused';
  } finally {
    await client.close().catch(() => undefined);
  }
  return report;
}

/** A token with the client and `GET /api/v1/auth`; false when Jamf Pro refuses the secret. */
async function secretWorks(ctx: FleetRotationContext, clientId: string, secret: string): Promise<boolean> {
  if (secret === '') return false;
  ctx.registerSecret(secret);
  const check = new JamfClient({ baseUrl: ctx.baseUrl, credential: { kind: 'client', clientId, clientSecret: secret }, dispatcher: ctx.dispatcher, now: () => ctx.now().getTime(), onSecret: ctx.registerSecret });
  try {
    await check.whoAmI();
    return true;
  } catch (error) {
    if (error instanceof JamfAuthError) return false;
    throw error;
  } finally {
    await check.close().catch(() => undefined);
  }
}

function findScript(scripts: readonly PolicyScript[], scriptId: string | null): number {
  if (scriptId !== null) {
    const i = scripts.findIndex((s) => s.id === scriptId);
    if (i < 0) throw new JamfTargetError(`the policy has no script with id ${scriptId} (it has ${scripts.map((s) => s.id).join(', ') || 'none'})`);
    return i;
  }
  if (scripts.length !== 1) throw new JamfTargetError(`the policy has ${scripts.length} scripts: name the one that hands the secret to superd with --script-id=ID`);
  return 0;
}

/** The client every reporting Mac works with; refuses when they differ, or none reports. */
function reliedOnClient(fleet: readonly FleetMac[], clients: readonly string[], distributing: string | null): string {
  const candidates = distributing !== null && clients.includes(distributing) ? [distributing] : clients;
  for (const c of candidates) {
    const t = tally(fleet, c);
    if (t.reporting > 0 && t.behind.length === 0) return c;
  }
  const reporting = fleet.filter((m) => m.value !== null && m.value !== 'none');
  if (reporting.length === 0) {
    throw new FleetNotReadyError(`no Mac reports a working API client yet (extension attribute values are blank or "none"), so superd cannot tell which client is safe to rotate. Check the extension attribute's name, and let the Macs run a heartbeat and update inventory first. Nothing was rotated.`);
  }
  const others = reporting.map((m) => parseClientReport(m.value)).filter((r) => r && r.ok && !clients.includes(r.clientId));
  if (others.length > 0) {
    throw new JamfTargetError(`some Macs work with client ${others[0]!.clientId}, which is neither --primary-client nor --secondary-client. Nothing was rotated.`);
  }
  const t = tally(fleet, candidates[0]!);
  throw new FleetNotReadyError(`the Macs do not all report the same working API client, so rotating either could leave a Mac with only a dead secret. Not on client ${candidates[0]}: ${describeBehind(t)}. Nothing was rotated.`);
}

async function findIntegration(client: JamfClient, clientId: string): Promise<{ id: string | number; displayName?: string }> {
  const page = await client.request<{ results?: Array<{ id: string | number; clientId?: string; displayName?: string }> }>('GET', 'api/v1/api-integrations', { query: { 'page-size': 2000 } });
  const found = page.results?.find((r) => r.clientId === clientId);
  if (!found) throw new JamfTargetError(`Jamf Pro has no API client with client id ${clientId}`);
  return found;
}

function withParameters(script: PolicyScript, slot: ClientSlot, clientId: string, secret: string): PolicyScript {
  return { ...script, parameters: { ...script.parameters, [SLOT_PARAMETER]: slot, [CLIENT_PARAMETER]: clientId, [SECRET_PARAMETER]: secret } };
}

/**
 * Polls the extension attribute until every reporting Mac reports `target` working, at most
 * `waitMs` (the caller's clock). Gives up with FleetNotReadyError naming the Macs still behind.
 */
async function waitForFleet(ctx: FleetRotationContext, client: JamfClient, input: FleetRotationInput, version: string, target: string, push: (s: RotationStep) => void): Promise<void> {
  const deadline = ctx.now().getTime() + input.waitMs;
  for (;;) {
    const t = tally(await readFleetValues(client, input.eaName, version), target);
    if (t.reporting > 0 && t.behind.length === 0) {
      push({ step: 'wait-for-fleet', outcome: 'ok', detail: `all ${t.reporting} reporting Mac(s) work with client ${target}${t.silent > 0 ? ` (${t.silent} computer(s) report no value and were not counted)` : ''}; the other client may be rotated next` });
      return;
    }
    if (ctx.now().getTime() + input.pollMs > deadline) {
      const detail = `${t.onClient} of ${t.reporting} reporting Mac(s) work with client ${target}; still waiting for: ${describeBehind(t)}. Run the same command again to continue waiting; the other client stays untouched until then`;
      push({ step: 'wait-for-fleet', outcome: 'failed', detail });
      throw new FleetNotReadyError(detail);
    }
    await ctx.sleep(input.pollMs);
  }
}
