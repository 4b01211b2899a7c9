import type { ConfigIssue } from '../errors';

/** Where a setting's value came from, strongest first: the profile, an option, the saved file. */
export type SettingSource = 'managed' | 'option' | 'saved' | 'default';

/** One problem (or warning) found in the settings. */
export interface Issue extends ConfigIssue {
  /** Where the problem is: command-line options (exit 64) or a file (exit 78). */
  source: 'options' | 'configuration';
}
