import type { LocalUserCheck } from '../auth/verifyLocalUser';
import type { ConsoleUser } from '../host/scutil';
import type { DialogAnswer } from '../host/userDialog';
import type { WorkflowFailure } from '../workflow/failureReason';

export interface UserAuthDeps {
  consoleUser(): Promise<ConsoleUser | null>;
  ask(input: { uid: number; title: string; message: string; timeoutSeconds: number }): Promise<DialogAnswer>;
  verify(name: string, password: string): Promise<LocalUserCheck>;
}

export type UserAuthResult =
  | { readonly ok: true; readonly user: ConsoleUser & { readonly admin: boolean }; readonly password: string }
  | { readonly ok: false; readonly failure: WorkflowFailure };

export const MAX_PASSWORD_ATTEMPTS = 3;

/**
 * Asks the logged-in user for their password, checks it (right password, volume owner) before
 * it is used, and asks again after a wrong one, at most `maxAttempts` times. Each way this can
 * end without a password is a named failure.
 */
export async function authenticateConsoleUser(deps: UserAuthDeps, input: { timeoutSeconds: number; reason: string; maxAttempts?: number }): Promise<UserAuthResult> {
  const user = await deps.consoleUser();
  if (!user) return { ok: false, failure: { reason: 'no-console-user', message: 'Nobody is logged in, so the user cannot be asked to authenticate the update; superd tries again later.' } };
  const maxAttempts = input.maxAttempts ?? MAX_PASSWORD_ATTEMPTS;
  let message = `${input.reason}\n\nEnter the password of ${user.name} to allow the macOS update.`;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const answer = await deps.ask({ uid: user.uid, title: 'macOS update', message, timeoutSeconds: input.timeoutSeconds });
    if (answer.kind === 'cancel') return { ok: false, failure: { reason: 'user-auth-cancelled', message: `${user.name} cancelled the password dialog.` } };
    if (answer.kind === 'timeout') return { ok: false, failure: { reason: 'user-auth-timeout', message: `${user.name} did not answer the password dialog within ${input.timeoutSeconds} seconds (DialogTimeoutUserAuth).` } };
    if (answer.kind === 'error') return { ok: false, failure: { reason: 'user-auth-failed', message: `The password dialog could not be shown: ${answer.message}` } };
    const check = await deps.verify(user.name, answer.text);
    if (check.ok) return { ok: true, user: { ...user, admin: check.admin }, password: answer.text };
    if (check.reason === 'not-volume-owner') return { ok: false, failure: { reason: 'user-not-volume-owner', message: check.message } };
    if (check.reason !== 'wrong-password') return { ok: false, failure: { reason: 'user-auth-failed', message: check.message } };
    message = `The password was not correct (attempt ${attempt} of ${maxAttempts}). Enter the password of ${user.name} to allow the macOS update.`;
  }
  return { ok: false, failure: { reason: 'user-auth-failed', message: `${user.name} entered a wrong password ${maxAttempts} times.` } };
}
