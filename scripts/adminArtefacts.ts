/**
 * Admin artefacts generated from the settings schema (daemon/config/schema.ts), so they can
 * never drift from what superd accepts: the Jamf Pro "External Applications" custom JSON schema
 * and an example configuration profile with every managed key.
 */
import { randomUUID } from 'node:crypto';
import { settingKeys, settingsSchema } from '../daemon/config/schema';
import { SUPERD_ID } from '../daemon/buildInfo';

type Json = Record<string, unknown>;

/** Jamf Pro › Computers › Configuration Profiles › Application & Custom Settings › External Applications. */
export function jamfCustomSchema(): Json {
  const properties: Record<string, Json> = {};
  for (const key of settingKeys) {
    const def = settingsSchema[key];
    const p: Json = { title: key, description: `${def.description} Expected: ${def.expected}. Option: --${def.option}.` };
    if (def.kind === 'boolean') p.type = 'boolean';
    else if (def.kind === 'integer') {
      p.type = 'integer';
      if (def.range) [p.minimum, p.maximum] = def.range;
    } else if (def.kind === 'enum') {
      p.type = 'string';
      p.enum = [...(def.values ?? [])];
    } else if (def.kind === 'list') {
      p.type = 'string';
      p.pattern = `^(X|(${(def.values ?? []).join('|')}|DEADLINE|ERROR)(,(${(def.values ?? []).join('|')}|DEADLINE|ERROR))*)$`;
    } else p.type = 'string';
    if (def.default !== undefined) p.default = Array.isArray(def.default) ? def.default.join(',') : def.default;
    properties[key] = p;
  }
  return {
    title: 'superd (com.github.superd)',
    description: 'Settings of the superd launch daemon. Credentials are never set in a profile: pass them to superd run from a Jamf Pro policy (secrets on standard input).',
    type: 'object',
    properties,
  };
}

/** An example value for every key: its default, or a representative value for unset keys. */
export function exampleValue(key: (typeof settingKeys)[number]): unknown {
  const def = settingsSchema[key];
  if (def.default !== undefined) return Array.isArray(def.default) ? def.default.join(',') : def.default;
  const examples: Record<string, unknown> = {
    AuthMDMFailoverToUser: 'NOSERVICE,BOOTSTRAP',
    AuthJamfComputerID: '$JSSID',
    AuthJamfCustomURL: 'https://jamf.example.com',
    DeferralTimerError: 30,
    InstallMacOSMajorVersionTarget: '26',
    InstallMacOSMinorVersionTarget: '15.7',
    DeadlineDateSoft: '2026-12-01:09:00',
    DeadlineDateHard: '2026-12-08:17:00',
    DeadlineDaysSoft: 7,
    DeadlineDaysHard: 14,
  };
  return examples[key] ?? (def.kind === 'integer' ? def.range?.[0] : '');
}

/** The example profile as a plist object (UUIDs fixed by the caller for reproducible output). */
export function exampleProfile(uuids: { profile: string; payload: string } = { profile: randomUUID().toUpperCase(), payload: randomUUID().toUpperCase() }): Json {
  const settings: Json = {};
  for (const key of settingKeys) settings[key] = exampleValue(key);
  return {
    PayloadDisplayName: 'superd',
    PayloadDescription: 'Example settings for superd: every managed key with its default or an example. Remove the keys you do not set.',
    PayloadIdentifier: `${SUPERD_ID}.profile`,
    PayloadOrganization: 'Example',
    PayloadScope: 'System',
    PayloadType: 'Configuration',
    PayloadUUID: uuids.profile,
    PayloadVersion: 1,
    PayloadContent: [
      {
        PayloadDisplayName: 'superd settings',
        PayloadIdentifier: `${SUPERD_ID}.settings`,
        PayloadType: SUPERD_ID,
        PayloadUUID: uuids.payload,
        PayloadVersion: 1,
        ...settings,
      },
    ],
  };
}

export const FIXED_UUIDS = { profile: '6F1B1E52-7E43-4C1E-9A36-2F0B4D5E8A01', payload: '0C9D4B7A-3E21-4F58-8B6C-91A2D3E4F502' };

export async function renderArtefacts(): Promise<{ schema: string; mobileconfig: string }> {
  const { build } = await import('plist');
  return {
    schema: `${JSON.stringify(jamfCustomSchema(), null, 2)}\n`,
    mobileconfig: build(exampleProfile(FIXED_UUIDS) as Parameters<typeof build>[0]),
  };
}
