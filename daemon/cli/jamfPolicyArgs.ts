/**
 * Jamf Pro runs a policy script as `SCRIPT MOUNT_POINT COMPUTER_NAME USER_NAME $4 … $11`: the
 * mount point of the target drive is `/`, the user name may be empty (no one logged in), and
 * each of the admin's eight parameters may be empty (Jamf Pro documentation, "Scripts":
 * parameters 1–3 are predefined, 4–11 are the script's own).
 *
 * When superd itself is that script (or is called with the script's `"$@"`), the first three
 * are Jamf's and the rest are options. Pure: no I/O.
 */
export interface JamfPolicyArgs {
  /** True when the arguments begin with Jamf's mount point `/`. */
  readonly fromJamfPolicy: boolean;
  readonly computerName: string | null;
  readonly userName: string | null;
  /** The admin's parameters ($4 onwards) with Jamf's empty ones dropped; all of argv otherwise. */
  readonly options: readonly string[];
}

export const JAMF_MOUNT_POINT = '/';

export function jamfPolicyArgs(argv: readonly string[]): JamfPolicyArgs {
  if (argv[0] !== JAMF_MOUNT_POINT) return { fromJamfPolicy: false, computerName: null, userName: null, options: [...argv] };
  return {
    fromJamfPolicy: true,
    computerName: argv[1] ?? '',
    userName: argv[2] ?? '',
    options: argv.slice(3).filter((a) => a.trim() !== ''),
  };
}
