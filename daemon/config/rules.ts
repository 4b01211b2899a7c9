import type { CredentialOption } from './credentialOptions';
import { credentialPairs } from './credentialOptions';
import type { SettingKey, Settings } from './schema';
import type { Issue, SettingSource } from './issue';

export interface RuleContext {
  settings: Settings;
  sources: Readonly<Record<SettingKey, SettingSource>>;
  credentials: Partial<Record<CredentialOption, string>>;
  actions: { deleteAll: boolean; migrateFromSuper: boolean };
  warnings: Issue[];
  errors: Issue[];
}

export type Rule = (ctx: RuleContext) => void;

/** Credential pairs must come together (super-behaviour.md §1.3). */
export const credentialPairsComplete: Rule = ({ credentials, errors }) => {
  for (const [a, b] of credentialPairs) {
    const hasA = credentials[a] !== undefined;
    const hasB = credentials[b] !== undefined;
    if (hasA !== hasB) {
      const [given, missing] = hasA ? [a, b] : [b, a];
      errors.push({ subject: `--${given}`, message: `requires --${missing}=… in the same run (the two are validated and saved together)`, source: 'options' });
    }
  }
};

/** The service account's own name and password are only meaningful with the admin that creates it. */
export const serviceAccountNeedsAdmin: Rule = ({ credentials, errors }) => {
  const admin = credentials['auth-service-add-via-admin-account'] !== undefined && credentials['auth-service-add-via-admin-password'] !== undefined;
  for (const opt of ['auth-service-account', 'auth-service-password'] as const) {
    if (credentials[opt] !== undefined && !admin) {
      errors.push({ subject: `--${opt}`, message: 'requires --auth-service-add-via-admin-account=… and --auth-service-add-via-admin-password=… (the admin that creates the service account)', source: 'options' });
    }
  }
};

/** As in super, --auth-delete-all saves nothing new in the same run; say so instead of dropping input. */
export const deleteAllAlone: Rule = ({ credentials, actions, errors }) => {
  const given = Object.keys(credentials);
  if (actions.deleteAll && given.length > 0) {
    errors.push({ subject: '--auth-delete-all', message: `cannot be combined with new credentials (${given.map((o) => `--${o}`).join(', ')}): delete first, then save the new method in a separate run`, source: 'options' });
  }
};

/** Deadlines that contradict each other are almost certainly a typo. */
export const deadlinesOrdered: Rule = ({ settings, warnings }) => {
  if (settings.DeadlineDateSoft && settings.DeadlineDateHard && settings.DeadlineDateSoft > settings.DeadlineDateHard) {
    warnings.push({ subject: 'DeadlineDateSoft', message: `(${settings.DeadlineDateSoft}) is later than DeadlineDateHard (${settings.DeadlineDateHard}); the hard deadline comes first`, source: 'configuration' });
  }
  if (settings.DeadlineDaysSoft !== undefined && settings.DeadlineDaysHard !== undefined && settings.DeadlineDaysSoft > settings.DeadlineDaysHard) {
    warnings.push({ subject: 'DeadlineDaysSoft', message: `(${settings.DeadlineDaysSoft}) is more than DeadlineDaysHard (${settings.DeadlineDaysHard}); the hard deadline comes first`, source: 'configuration' });
  }
};

export const majorTargetNeedsUpgrades: Rule = ({ settings, warnings }) => {
  if (settings.InstallMacOSMajorVersionTarget && !settings.InstallMacOSMajorUpgrades) {
    warnings.push({ subject: 'InstallMacOSMajorVersionTarget', message: 'has no effect unless InstallMacOSMajorUpgrades is on (--install-macos-major-upgrades)', source: 'configuration' });
  }
};

export const crossFieldRules: readonly Rule[] = [
  credentialPairsComplete,
  serviceAccountNeedsAdmin,
  deleteAllAlone,
  deadlinesOrdered,
  majorTargetNeedsUpgrades,
];
