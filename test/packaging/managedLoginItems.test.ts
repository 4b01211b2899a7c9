/**
 * docs/com.github.superd.managed-login-items.mobileconfig against Apple's schema for the
 * Service Management - Managed Login Items payload, as published in Apple's device-management
 * repository (github.com/apple/device-management, mdm/profiles/com.apple.servicemanagement.yaml,
 * commit 39e2a8223418ec2eeffb084177ea8bd706114eb0): payload type com.apple.servicemanagement,
 * macOS 13.0+, device channel only; `Rules` (array, required) of dictionaries with `RuleType`
 * (string, required, one of BundleIdentifier, BundleIdentifierPrefix, Label, LabelPrefix,
 * TeamIdentifier), `RuleValue` (string, required), `Comment` (string, optional) and
 * `TeamIdentifier` (string, optional).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadPlist } from '../helpers/plist';

const FILE = path.join(__dirname, '../../docs/com.github.superd.managed-login-items.mobileconfig');
const RULE_TYPES = ['BundleIdentifier', 'BundleIdentifierPrefix', 'Label', 'LabelPrefix', 'TeamIdentifier'];
const RULE_KEYS: Record<string, { required: boolean }> = {
  RuleType: { required: true }, RuleValue: { required: true }, Comment: { required: false }, TeamIdentifier: { required: false },
};
// Keys every payload dictionary may carry (Apple's CommonPayloadKeys).
const COMMON = ['PayloadType', 'PayloadVersion', 'PayloadIdentifier', 'PayloadUUID', 'PayloadDisplayName', 'PayloadDescription', 'PayloadOrganization'];

type Dict = Record<string, unknown>;
let profile: Dict;
let text: string;

beforeAll(async () => {
  text = readFileSync(FILE, 'utf8');
  profile = (await loadPlist()).parse(text) as Dict;
});

describe('Managed Login Items example profile', () => {
  test('a system-scoped Configuration profile with exactly one com.apple.servicemanagement payload', () => {
    expect(profile).toMatchObject({ PayloadType: 'Configuration', PayloadVersion: 1, PayloadScope: 'System' });
    const content = profile.PayloadContent as Dict[];
    expect(content).toHaveLength(1);
    expect(content[0]).toMatchObject({ PayloadType: 'com.apple.servicemanagement', PayloadVersion: 1 });
  });

  test("the payload has only the schema's keys; each rule has RuleType and RuleValue strings and nothing unknown", () => {
    const payload = (profile.PayloadContent as Dict[])[0]!;
    for (const key of Object.keys(payload)) expect([...COMMON, 'Rules']).toContain(key);
    const rules = payload.Rules as Dict[];
    expect(Array.isArray(rules)).toBe(true);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      for (const key of Object.keys(rule)) expect(Object.keys(RULE_KEYS)).toContain(key);
      for (const [key, def] of Object.entries(RULE_KEYS)) {
        if (def.required) expect(typeof rule[key]).toBe('string');
        else if (key in rule) expect(typeof rule[key]).toBe('string');
      }
      expect(RULE_TYPES).toContain(rule.RuleType);
    }
  });

  test("it matches superd's LaunchDaemon by its launchd label", () => {
    const rules = (profile.PayloadContent as Dict[])[0]!.Rules as Dict[];
    expect(rules).toContainEqual(expect.objectContaining({ RuleType: 'Label', RuleValue: 'com.github.superd' }));
    const daemon = readFileSync(path.join(__dirname, '../../launchd/com.github.superd.plist'), 'utf8');
    expect(daemon).toMatch(/<key>Label<\/key>\s*<string>com\.github\.superd<\/string>/);
  });

  test('it is marked as an example, with placeholders to replace, and two distinct UUID placeholders', () => {
    expect(text).toContain('EXAMPLE ONLY');
    const payload = (profile.PayloadContent as Dict[])[0]!;
    expect(profile.PayloadUUID).toMatch(/^REPLACE-WITH-UUIDGEN/);
    expect(payload.PayloadUUID).toMatch(/^REPLACE-WITH-UUIDGEN/);
    expect(payload.PayloadUUID).not.toBe(profile.PayloadUUID);
    expect(profile.PayloadIdentifier).toMatch(/^com\.example\./);
    expect(payload.PayloadIdentifier).toMatch(/^com\.example\./);
    expect(profile.PayloadOrganization).toBe('Example Org');
  });
});
