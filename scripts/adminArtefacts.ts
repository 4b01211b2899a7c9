/**
 * Admin artefacts generated from the settings schema (daemon/config/schema.ts) and the
 * classification of super's keys (daemon/config/superKeys.ts), so they can never drift from what
 * superd accepts: the Jamf Pro "External Applications" custom JSON schema, an example
 * configuration profile with every managed key, and docs/super-keys.md.
 */
import { randomUUID } from 'node:crypto';
import { KEY_GROUPS } from '../daemon/config/keyTypes';
import { settingKeys, settingsSchema, type SettingKey } from '../daemon/config/schema';
import { SUPERD_ID, SUPERD_VERSION } from '../daemon/buildInfo';
import { superKeys, superShortOptions, type SuperKey } from '../daemon/config/superKeys';

type Json = Record<string, unknown>;

/** Settings in the order of the Jamf Pro form: by group, then as declared. */
export function orderedSettingKeys(): SettingKey[] {
  return KEY_GROUPS.flatMap((g) => settingKeys.filter((k) => settingsSchema[k].group === g));
}

/**
 * One property of the Jamf Pro schema. Jamf Pro renders the form with JSON Editor: `title` is the
 * label, `propertyOrder` the order, `options.inputAttributes.placeholder` the hint in a blank field
 * (super's own schema uses the same keys, reference/super-examples).
 */
function property(key: SettingKey, order: number): Json {
  const def = settingsSchema[key];
  const lines = [def.description];
  if (def.default !== undefined) lines.push(`Default: ${Array.isArray(def.default) ? def.default.join(',') : String(def.default)}.`);
  if (def.clamp && def.range) lines.push(`superd rounds a value outside ${def.range[0]}–${def.range[1]} into the range with a warning, as super does.`);
  lines.push(`Expected: ${def.expected}. Leave blank for the default. Option: --${def.option}. Group: ${def.group}.`);
  const p: Json = { title: def.title, description: lines.join(' '), propertyOrder: order };
  if (def.kind === 'boolean') p.type = 'boolean';
  else if (def.kind === 'integer') {
    p.type = 'integer';
    if (def.range) [p.minimum, p.maximum] = def.range;
  } else if (def.kind === 'enum') {
    p.type = 'string';
    p.enum = [...(def.values ?? [])];
  } else {
    p.type = 'string';
    if (def.pattern) p.pattern = def.pattern;
  }
  if (def.default !== undefined) p.default = Array.isArray(def.default) ? def.default.join(',') : def.default;
  const placeholder = def.example ?? (def.default !== undefined && def.kind !== 'boolean' ? def.default : undefined);
  if (placeholder !== undefined && def.kind !== 'boolean' && def.kind !== 'enum') p.options = { inputAttributes: { placeholder: String(placeholder) } };
  return p;
}

/** Jamf Pro › Computers › Configuration Profiles › Application & Custom Settings › External Applications. */
export function jamfCustomSchema(): Json {
  const properties: Record<string, Json> = {};
  orderedSettingKeys().forEach((key, i) => (properties[key] = property(key, (i + 1) * 10)));
  return {
    title: `superd ${SUPERD_VERSION} (${SUPERD_ID})`,
    description:
      'Settings of the superd launch daemon. Blank fields are not written (remove_empty_properties), so superd uses its defaults; an empty value reaching superd also means "not set". Credentials are never set in a profile: pass them to superd run from a Jamf Pro policy (secrets on standard input). super keys not listed here are accepted, ignored or refused as docs/super-keys.md says.',
    __preferencedomain: SUPERD_ID,
    __version: SUPERD_VERSION,
    options: { remove_empty_properties: true },
    type: 'object',
    properties,
  };
}

/** An example value for every key: an example for unset keys, else its default. */
export function exampleValue(key: SettingKey): unknown {
  const def = settingsSchema[key];
  // The example profile is safe to deploy unedited: test mode sends no update.
  if (key === 'TestMode') return true;
  if (def.example !== undefined) return def.example;
  if (def.default !== undefined) return Array.isArray(def.default) ? def.default.join(',') : def.default;
  return def.kind === 'integer' ? def.range?.[0] : '';
}

/** The example profile as a plist object (UUIDs fixed by the caller for reproducible output). */
export function exampleProfile(uuids: { profile: string; payload: string } = { profile: randomUUID().toUpperCase(), payload: randomUUID().toUpperCase() }): Json {
  const settings: Json = {};
  for (const key of orderedSettingKeys()) settings[key] = exampleValue(key);
  return {
    PayloadDisplayName: 'superd settings — EXAMPLE, edit before deploying',
    PayloadDescription:
      'EXAMPLE ONLY. Every managed key of superd with an example value or its default, and TestMode on so that deploying it unedited sends no update. Replace https://your-jamf-pro.example/ and the 2030 deadline dates, remove the keys you do not set, and set TestMode to false when ready.',
    PayloadIdentifier: `${SUPERD_ID}.example.profile`,
    PayloadOrganization: 'Example Organisation',
    PayloadScope: 'System',
    PayloadType: 'Configuration',
    PayloadUUID: uuids.profile,
    PayloadVersion: 1,
    PayloadContent: [
      {
        PayloadDisplayName: 'superd settings (example)',
        PayloadIdentifier: `${SUPERD_ID}.example.settings`,
        PayloadType: SUPERD_ID,
        PayloadUUID: uuids.payload,
        PayloadVersion: 1,
        ...settings,
      },
    ],
  };
}

/** docs/super-keys.md: the classification of super's keys (daemon/config/superKeys.ts) as a table. */
const CLASS_TEXT: Record<SuperKey['class'], string> = {
  implemented: 'implemented',
  irrelevant: 'ignored (info line)',
  refused: 'refused (exit 78)',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function optionCell(k: SuperKey): string {
  if (k.option === null) return '—';
  const shorts = [...superShortOptions].filter(([, v]) => v.option === k.option).map(([s]) => `\`${s}\``);
  const form = k.form === 'boolean' ? `\`--${k.option}\` / \`--${k.option}-off\`` : k.form === 'value' ? `\`--${k.option}=…\`` : `\`--${k.option}\``;
  return [form, ...shorts].join(' ');
}

function classCell(k: SuperKey): string {
  return k.refusedWhen === 'on' ? `${CLASS_TEXT.refused} when on` : CLASS_TEXT[k.class];
}

export function renderSuperKeysDoc(): string {
  const counts = { implemented: 0, irrelevant: 0, refused: 0 };
  for (const k of superKeys) counts[k.class]++;
  const lines = [
    '# super keys and options in superd',
    '',
    '<!-- Generated by `npm run docs:generate` from daemon/config/superKeys.ts; test/config/superKeys.test.ts checks it is current. Do not edit. -->',
    '',
    'Every managed key (`com.macjutsu.super` or `com.github.superd`) and command-line option of super 5.1, and what superd does with it.',
    'A profile key and its option behave the same way.',
    '',
    '- **implemented**: superd honours it.',
    '- **ignored (info line)**: accepted; each run names the ignored keys in one info line (`superd: note:` and superd.log). They change only super\'s own dialogs, notifications or files that superd does not have: superd leaves the user experience to macOS.',
    '- **refused (exit 78)**: superd cannot honour it and would otherwise do something different from super (often more): the run stops with exit 78 naming the key, before anything is saved or sent. "when on" means only `true` is refused; `false` is what superd does anyway. `X` or a blank value (not set) is never refused.',
    '',
    `${superKeys.length} entries: ${counts.implemented} implemented, ${counts.irrelevant} ignored, ${counts.refused} refused. Out-of-range timers (DeferralTimerDefault, DeferralTimerError, DialogTimeoutDefault, DialogTimeoutUserAuth) are clamped with a warning as super clamps them; a deadline date without a time is read as midnight with a warning, as super reads it.`,
  ];
  let group = '';
  for (const k of superKeys) {
    if (k.group !== group) {
      group = k.group;
      lines.push('', `## ${group}`, '', '| Key | Option | In superd | What superd does |', '|---|---|---|---|');
    }
    lines.push(`| ${k.key ? `\`${k.key}\`` : '—'} | ${optionCell(k)} | ${classCell(k)} | ${cell(k.superd.endsWith('.') ? k.superd : `${k.superd}.`)} |`);
  }
  return `${lines.join('\n')}\n`;
}

export const FIXED_UUIDS = { profile: '6F1B1E52-7E43-4C1E-9A36-2F0B4D5E8A01', payload: '0C9D4B7A-3E21-4F58-8B6C-91A2D3E4F502' };

export async function renderArtefacts(): Promise<{ schema: string; mobileconfig: string; superKeys: string }> {
  const { build } = await import('plist');
  return {
    schema: `${JSON.stringify(jamfCustomSchema(), null, 2)}\n`,
    mobileconfig: build(exampleProfile(FIXED_UUIDS) as Parameters<typeof build>[0]),
    superKeys: renderSuperKeysDoc(),
  };
}
