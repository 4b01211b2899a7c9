import { randomBytes } from 'node:crypto';
import { deleteGenericPassword, readGenericPassword, SECURITY, SYSTEM_KEYCHAIN, writeGenericPassword, type KeychainItemRef } from '../../host/security';
import { confirmed, differs, skipped, type CheckContext, type DoctorCheck } from '../types';

/**
 * The doctor's own keychain item: never one of superd's (those use service com.github.superd…).
 * Fixed names, so that an item a crashed earlier run left behind is overwritten (-U) and deleted.
 */
export const DOCTOR_KEYCHAIN_ITEM: KeychainItemRef = { account: 'superd-doctor', service: 'superd-doctor', keychain: SYSTEM_KEYCHAIN };

/** The value written: random for each run, so a stale item cannot confirm the read-back. */
function valueFor(ctx: CheckContext): string {
  const value = (ctx.state.keychainValue ??= `superd-doctor-${randomBytes(12).toString('hex')}`);
  ctx.secrets.registerSecret(value);
  return value;
}

const ITEM_ARGS = ['-a', DOCTOR_KEYCHAIN_ITEM.account, '-s', DOCTOR_KEYCHAIN_ITEM.service];

export const keychainWriteCheck: DoctorCheck = {
  id: 'keychain-write',
  command: [SECURITY, '-i'],
  expected: `"add-generic-password -U …" on standard input saves the test item (service ${DOCTOR_KEYCHAIN_ITEM.service}) with exit 0 and nothing on stderr`,
  boundMs: 30_000,
  async run(ctx) {
    await writeGenericPassword(ctx.run, DOCTOR_KEYCHAIN_ITEM, valueFor(ctx), ctx.signal);
    ctx.state.keychainItemWritten = true;
    return confirmed('test item saved in the System keychain (deleted by keychain-delete)');
  },
};

export const keychainReadCheck: DoctorCheck = {
  id: 'keychain-read',
  command: [SECURITY, 'find-generic-password', ...ITEM_ARGS, '-w', SYSTEM_KEYCHAIN],
  expected: 'the test value, exactly, on standard output',
  boundMs: 30_000,
  async run(ctx) {
    if (!ctx.state.keychainItemWritten) return skipped('keychain-write did not save the test item');
    const read = await readGenericPassword(ctx.run, DOCTOR_KEYCHAIN_ITEM, ctx.signal);
    if (read === null) return differs('the item just saved was not found');
    if (read !== valueFor(ctx)) return differs('the value read back is not the value written (hex output?)');
    return confirmed('the value read back is the value written');
  },
};

export const keychainDeleteCheck: DoctorCheck = {
  id: 'keychain-delete',
  command: [SECURITY, 'delete-generic-password', ...ITEM_ARGS, SYSTEM_KEYCHAIN],
  expected: 'exit 0, then find-generic-password exits 44 (item not found)',
  boundMs: 30_000,
  async run(ctx) {
    // Runs even when the write failed: whatever the doctor may have left must go.
    const deleted = await deleteGenericPassword(ctx.run, DOCTOR_KEYCHAIN_ITEM, ctx.signal);
    const after = await readGenericPassword(ctx.run, DOCTOR_KEYCHAIN_ITEM, ctx.signal);
    if (after !== null) return differs('the test item is still there after delete-generic-password; remove it with: sudo security delete-generic-password -s superd-doctor /Library/Keychains/System.keychain');
    if (!ctx.state.keychainItemWritten) return skipped(deleted ? 'keychain-write failed, but an item was there and is now deleted' : 'keychain-write did not save the test item; nothing to delete');
    if (!deleted) return differs('delete-generic-password reported "not found" for the item just saved');
    return confirmed('test item deleted and gone');
  },
};
