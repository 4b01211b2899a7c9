import type { AuthMethod } from '../status/statusFile';
import { ALL_STAGED_FIELDS, METHOD_FIELDS, METHOD_PRIORITY, stagedField } from './methodFields';
import type { ReplacementJournal, SecretStore } from './secretStore';
import { processAlive } from '../host/processAlive';

/**
 * Atomic credential replacement (issue 16 part 3). A method and its secret are two keychain
 * items; rewriting them in place left one method's name with another's secret when superd was
 * killed between the two writes. So a replacement goes:
 *
 *   1. journal `staging`                    the saved items are current
 *   2. staged name and secret written       each read back and compared
 *   3. journal `committed`                  the commit point: the staged items are current
 *   4. saved names rewritten from them, every other method's items deleted (the old one last)
 *   5. journal `done`                       the saved names are current again
 *   6. staged items deleted, journal removed
 *
 * A kill -9 anywhere leaves the journal naming a complete set: before 3 the old one, from 3
 * the new one. The next reader finishes the work (`settleReplacement`): before 3 it deletes the
 * staged items (the old method stays), from 3 it rolls forward. With no journal (every ordinary
 * run, and items saved by an earlier superd) nothing changes: the saved names, read once each.
 */

export interface NamedSecret {
  readonly method: AuthMethod;
  readonly name: string;
  readonly secret: string;
}

/** The complete staged set of `method`, or null when either item is missing. */
async function readStaged(store: SecretStore, method: AuthMethod, signal?: AbortSignal): Promise<NamedSecret | null> {
  const [nameField, secretField] = METHOD_FIELDS[method];
  const name = await store.get(stagedField(nameField), signal);
  if (name === null) return null;
  const secret = await store.get(stagedField(secretField), signal);
  return secret === null ? null : { method, name, secret };
}

/** The first complete staged set in priority order (used only when the journal cannot be read). */
async function findStaged(store: SecretStore, signal?: AbortSignal): Promise<NamedSecret | null> {
  for (const method of METHOD_PRIORITY) {
    const found = await readStaged(store, method, signal);
    if (found) return found;
  }
  return null;
}

/** One keychain step where the store can batch deletions (one `security` process), else one per item. */
async function deleteFields(store: SecretStore, fields: readonly string[], signal?: AbortSignal): Promise<string[]> {
  if (store.deleteMany) return store.deleteMany(fields, signal);
  const removed: string[] = [];
  for (const field of fields) if (await store.delete(field, signal)) removed.push(field);
  return removed;
}

function stagedFieldsOf(method: AuthMethod): string[] {
  return METHOD_FIELDS[method].map(stagedField);
}

/**
 * Steps 4 to 6: the staged set (already current) is copied to the saved names, every other
 * method's saved items are deleted, then the staged items. Returns the saved fields it deleted.
 */
async function rollForward(store: SecretStore, journal: ReplacementJournal, current: NamedSecret, signal?: AbortSignal): Promise<string[]> {
  const [nameField, secretField] = METHOD_FIELDS[current.method];
  await store.set(secretField, current.secret, signal);
  await store.set(nameField, current.name, signal);
  const removed = await deleteFields(store, METHOD_PRIORITY.filter((m) => m !== current.method).flatMap((m) => METHOD_FIELDS[m]), signal);
  await journal.write({ phase: 'done', method: current.method });
  await deleteFields(store, stagedFieldsOf(current.method), signal);
  await journal.clear();
  return removed;
}

/**
 * The set a reader must use while the journal says a replacement is under way: the staged set
 * from the commit point until the saved names were rewritten; null means "the saved names".
 */
export async function currentReplacement(store: SecretStore, signal?: AbortSignal): Promise<NamedSecret | null> {
  const state = await store.journal?.read();
  if (!state) return null;
  if (state.phase === 'committed') return readStaged(store, state.method, signal);
  // Unreadable: a complete staged set was validated before it was written, so it is a working
  // credential whichever phase the journal was in; without one, the saved names are complete.
  if (state.phase === 'unreadable') return findStaged(store, signal);
  return null;
}

/**
 * Finishes a replacement that a kill interrupted (no-op, and no keychain access, when there is
 * no journal): before the commit point the staged items are deleted and the old method stays;
 * from it the new method is rolled forward. Idempotent; runs under the one-run-at-a-time lock.
 * Says what it did, or null when there was nothing to do.
 */
export async function settleReplacement(store: SecretStore, signal?: AbortSignal): Promise<string | null> {
  const journal = store.journal;
  const state = await journal?.read();
  if (!journal || !state) return null;
  // Another live process is replacing right now (the daemon's heartbeat beside a policy's run):
  // its work is not undone; readers use `currentReplacement` meanwhile.
  if (state.phase !== 'unreadable' && state.pid !== undefined && state.pid !== process.pid && processAlive(state.pid)) return null;
  if (state.phase === 'staging' || state.phase === 'done') {
    await deleteFields(store, stagedFieldsOf(state.method), signal);
    await journal.clear();
    return state.phase === 'staging'
      ? `an interrupted replacement by ${state.method} was discarded; the previously saved method is unchanged`
      : `an interrupted replacement by ${state.method} was completed (staged items deleted)`;
  }
  const current = state.phase === 'committed' ? await readStaged(store, state.method, signal) : await findStaged(store, signal);
  if (current === null) {
    // Committed, yet the staged set is gone: only step 6 deletes it, after the saved names were rewritten.
    await deleteFields(store, state.phase === 'committed' ? stagedFieldsOf(state.method) : ALL_STAGED_FIELDS, signal);
    await journal.clear();
    return `an unfinished replacement (${state.phase === 'unreadable' ? `journal unreadable: ${state.detail}` : state.phase}) left no staged method; the saved names are current`;
  }
  if (state.phase === 'unreadable') {
    await journal.write({ phase: 'committed', method: current.method });
    await deleteFields(store, ALL_STAGED_FIELDS.filter((f) => !stagedFieldsOf(current.method).includes(f)), signal);
  }
  await rollForward(store, journal, current, signal);
  return `an interrupted replacement by ${current.method} was completed`;
}

/**
 * Replaces the saved method with one that has already been validated, atomically when the
 * store has a journal (see the top of this file). Returns the saved fields of other methods it
 * deleted.
 */
export async function replaceSavedMethod(store: SecretStore, next: NamedSecret, signal?: AbortSignal): Promise<string[]> {
  const [nameField, secretField] = METHOD_FIELDS[next.method];
  const journal = store.journal;
  if (!journal) {
    // No journal: in place, the new items first, then the others (not atomic).
    await store.set(secretField, next.secret, signal);
    await store.set(nameField, next.name, signal);
    return deleteFields(store, METHOD_PRIORITY.filter((m) => m !== next.method).flatMap((m) => METHOD_FIELDS[m]), signal);
  }
  await settleReplacement(store, signal);
  await journal.write({ phase: 'staging', method: next.method });
  try {
    await store.set(stagedField(secretField), next.secret, signal);
    await store.set(stagedField(nameField), next.name, signal);
  } catch (error) {
    // Not committed: the saved method stays current; the staged items go now (or on the next run).
    await deleteFields(store, stagedFieldsOf(next.method), signal).then(() => journal.clear()).catch(() => undefined);
    throw error;
  }
  await journal.write({ phase: 'committed', method: next.method });
  return rollForward(store, journal, next, signal);
}

/** `--auth-delete-all`: an unfinished replacement is discarded with everything else. */
export async function discardReplacement(store: SecretStore, signal?: AbortSignal): Promise<string[]> {
  const journal = store.journal;
  if (!journal || !(await journal.read())) return [];
  const removed = await deleteFields(store, ALL_STAGED_FIELDS, signal);
  await journal.clear();
  return removed;
}
