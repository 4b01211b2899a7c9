import { volumeOwners } from '../../host/diskutil';
import { checkLocalPassword, generatedUid } from '../../host/dscl';
import { isAdmin } from '../../host/dseditgroup';
import { capture } from './capture';
import { confirmed, differs, skipped, type DoctorCheck } from '../types';

/** An account name no Mac has; the password check is only tried while it stays that way. */
export const NONEXISTENT_USER = 'superd-doctor-no-such-user';
/** Not a secret (no account has it); kept out of the report all the same, and sent on stdin. */
export const WRONG_PASSWORD = 'superd-doctor-wrong-password';

export const cryptoUsersCheck: DoctorCheck = {
  id: 'diskutil-crypto-users',
  command: ['/usr/sbin/diskutil', 'apfs', 'listcryptousers', '/'],
  expected: '"+-- UUID" blocks with "Volume Owner: Yes|No" lines (at least one volume owner)',
  boundMs: 60_000,
  async run(ctx) {
    const c = capture(ctx.run);
    const owners = await volumeOwners(c.run, ctx.signal);
    const blocks = (c.text().match(/\+--\s+[0-9A-F-]{36}/gi) ?? []).length;
    if (owners.size === 0) return differs(`superd found ${blocks} cryptographic user(s) but no volume owner: it could not authorise an update on this Mac`);
    return confirmed(`${blocks} cryptographic user(s), ${owners.size} volume owner(s)`);
  },
};

export const generatedUidCheck: DoctorCheck = {
  id: 'dscl-generated-uid',
  command: ['/usr/bin/dscl', '.', '-read', '/Users/CONSOLE_USER', 'GeneratedUID'],
  expected: 'a "GeneratedUID: UUID" line for the console user',
  boundMs: 30_000,
  async run(ctx) {
    const user = ctx.state.consoleUser;
    if (!user) return skipped('nobody is logged in at the console, so there is no account to read');
    const uid = await generatedUid(ctx.run, user, ctx.signal);
    return uid ? confirmed(`${user} has a GeneratedUID`) : differs(`no "GeneratedUID:" line for ${user}`);
  },
};

export const adminMemberCheck: DoctorCheck = {
  id: 'dseditgroup-admin',
  command: ['/usr/sbin/dseditgroup', '-o', 'checkmember', '-m', 'CONSOLE_USER', 'admin'],
  expected: '"yes USER is a member of admin" (exit 0) or "no USER is NOT a member of admin"',
  boundMs: 30_000,
  async run(ctx) {
    const user = ctx.state.consoleUser;
    if (!user) return skipped('nobody is logged in at the console, so there is no account to ask about');
    const c = capture(ctx.run);
    if (await isAdmin(c.run, user, ctx.signal)) return confirmed(`${user} is an administrator`);
    // `no agent is NOT a member of admin` (reference/macos-commands.md §7.3).
    if (/^no\b.*\bmember of admin/m.test(c.text())) return confirmed(`${user} is a standard user`);
    return differs(`neither "yes …" nor "no … member of admin": superd reads ${user} as a standard user`);
  },
};

export const passwordRefusedCheck: DoctorCheck = {
  id: 'dscl-authonly-refused',
  command: ['/usr/bin/dscl', '/Local/Default'],
  expected: `authonly for the nonexistent account ${NONEXISTENT_USER} (on standard input, with a wrong password) refused with eDSRecordNotFound or eDSAuthUnknownUser`,
  boundMs: 30_000,
  async run(ctx) {
    // Never try a password on an account that exists: a failed attempt can count towards a lockout.
    if ((await generatedUid(ctx.run, NONEXISTENT_USER, ctx.signal)) !== null) return skipped(`an account named ${NONEXISTENT_USER} exists on this Mac; no password is tried on a real account`);
    ctx.secrets.registerSecret(WRONG_PASSWORD);
    const check = await checkLocalPassword(ctx.run, NONEXISTENT_USER, WRONG_PASSWORD, ctx.signal);
    if (check.ok) return differs('dscl accepted a password for an account that does not exist: superd would accept any password');
    if (check.reason === 'unknown-user') return confirmed(`refused (${check.detail})`);
    return differs(`refused, but superd read the refusal as "${check.reason}" (${check.detail}), not as an unknown account`);
  },
};
