/**
 * How a usage error names a command-line argument it refuses, without repeating what may be a
 * secret: stderr reaches Jamf Pro's policy logs, and an admin who misplaces a password on the
 * command line (`superd status hunter-2`, `superd credentials P@ss`) must not see it copied there.
 */

/** An argument in an option's place: `"--name"` (the part before `=`), or its position only. */
export function optionName(arg: string, position: number): string {
  const name = /^--?[A-Za-z0-9][A-Za-z0-9-]{0,40}(?==|$)/.exec(arg)?.[0];
  return name ? JSON.stringify(name) : `argument ${position} (not an option; not repeated here, it may hold a secret)`;
}

/** An argument in a subcommand's place: repeated only when it looks like a command word. */
export function commandWord(arg: string | undefined): string {
  if (arg === undefined) return 'nothing';
  return /^[a-z][a-z0-9-]{0,39}$/.test(arg) ? JSON.stringify(arg) : 'an argument that is not a command word (not repeated here, it may hold a secret)';
}
