import { actionOptions, credentialOptions } from '../config/credentialOptions';
import { settingKeys, settingsSchema } from '../config/schema';
import { superKeys } from '../config/superKeys';

/** `superd --help`, generated from the settings schema so it never drifts. */
export function helpText(): string {
  const lines = [
    'superd — makes Apple silicon Macs managed by Jamf Pro install their macOS updates.',
    '',
    'Usage:',
    '  superd [run] [OPTIONS]                 one pass of the update workflow, in the foreground',
    '  superd daemon                          long-running mode, started by launchd',
    '  superd status [--json]                 state, auth method, next attempt, last error, heartbeat',
    '  superd credentials heartbeat [--json]  validate the saved Jamf Pro credentials now',
    '  superd jamf-account rotate ...         change a Jamf Pro user account\'s password',
    '  superd jamf-client rotate-secret ...   issue a new secret for a Jamf Pro API client',
    '  superd --auth-delete-all               remove every saved credential (and the service account)',
    '  superd doctor [--json]                 read-only self-check of every macOS command form superd uses (78: some differ)',

    "  superd migrate-from-super [--undo]     take over from super: its credential, settings, LaunchDaemon (--undo gives it back)",
    '  superd --help | --version',
    '',
    'Credential rotation (secrets on standard input, one per line: the privileged secret, then',
    'the new password with --new-password-stdin):',
    '  superd jamf-account rotate --url=URL --target-account=NAME (--generate | --new-password-stdin)',
    '      (--privileged-client=ID | --privileged-account=NAME) [--show-password] [--password-file=PATH]',
    '      [--if-older-than=DAYS] [--length=24] [--sets=upper,lower,digit,symbol] [--min-per-set=1]',
    '      [--exclude=CHARS] [--json]',
    '  superd jamf-client rotate-secret --url=URL --client-id=ID (--privileged-client=ID | --privileged-account=NAME)',
    '      [--show-password] [--password-file=PATH] [--json]',
    '  superd jamf-client rotate-secret --fleet --url=URL --primary-client=ID --secondary-client=ID',
    '      --policy-id=ID [--script-id=ID] [--ea-name="superd jamf client"] [--wait-minutes=60]',
    '      [--poll-seconds=60] (--privileged-client=ID | --privileged-account=NAME) [--json]',
    '      rotates the client no Mac relies on, hands it out through the policy, waits for the fleet',
    '      (exit 0 confirmed, 75 still waiting: run it again to continue). docs/fleet-rotation.md',
    '  superd jamf-client save --slot=primary|secondary --client-id=ID [--json]',
    '      on a Mac (the policy\'s script): checks the secret on standard input with Jamf Pro, saves it',
    '      in that slot and uses it first. superd holds two API clients and uses whichever works.',
    '  Exit 0 only when the new credential verified (or --if-older-than skipped it).',
    '',
    'superd credentials heartbeat [--json] [--privileged-client=ID | --privileged-account=NAME]:',
    '  Success, Failed, UnableToConnect, AccountLockedOut, InsufficientPrivileges or UnknownError.',
    '  Jamf Pro refuses a wrong password, a locked-out and a disabled account alike; with a privileged',
    '  credential (Read Accounts, its secret on standard input) a refused account is looked up to say',
    '  which. After Failed or AccountLockedOut the saved credential is not tried again until it is saved',
    '  again. Exit 0 Success, 77 rejected or short of privileges, 75 unreachable, 70 otherwise.',
    '',
    'superd daemon [--tick-seconds=60]: exit 69 when another instance runs.',
    '',
    'Settings (option, then profile key in com.github.superd; X unsets a value):',
  ];
  for (const key of settingKeys) {
    const def = settingsSchema[key];
    const form = def.kind === 'boolean' ? `--${def.option} | --${def.option}-off` : `--${def.option}=VALUE`;
    lines.push(`  ${form}`, `      ${key}: ${def.description}`, `      Expected: ${def.expected}.`);
  }
  lines.push('', 'Credentials (options only, never in a profile; a secret given as - is read from standard input):');
  for (const [option, def] of Object.entries(credentialOptions)) {
    lines.push(`  --${option}=${def.secret ? 'SECRET' : 'NAME'}`);
  }
  lines.push(
    '  A local account NAME is its macOS short name (letters, digits, . _ -; not beginning with -); a Jamf Pro',
    '  account NAME or client ID is one line of at most 255 characters; a SECRET is one line.',
  );
  lines.push('', 'Actions:');
  for (const [option, text] of Object.entries(actionOptions)) lines.push(`  --${option}`, `      ${text}`);
  for (const k of superKeys.filter((e) => e.form === 'action' && e.class === 'implemented' && !Object.hasOwn(actionOptions, e.option ?? ''))) {
    lines.push(`  --${k.option}`, `      ${k.superd}`);
  }
  const count = (c: string) => superKeys.filter((k) => k.class === c).length;
  lines.push(
    '',
    `super's other keys and options (docs/super-keys.md): ${count('irrelevant')} are accepted and named in one info line per run`,
    `because they change only super's dialogs; ${count('refused')} are refused with exit 78 because superd cannot honour them.`,
    "super's one-letter forms are accepted: -V/-v (verbose mode on/off), -T/-t (test mode on/off).",
  );
  lines.push(
    '',
    'Exit status: 0 done or nothing to do; 64 invalid options (nothing saved); 78 invalid configuration;',
    '75 temporary failure, a retry is scheduled; 77 credentials rejected; 69 another superd run or daemon holds',
    'the lock; 70 internal error (a defect in superd).',
  );
  return lines.join('\n');
}
