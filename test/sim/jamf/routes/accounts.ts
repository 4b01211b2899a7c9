import { ACCOUNT_FIELDS, renderUserAccount, setPassword } from '../accountModel';
import { apiError, cause, invalidField, invalidId, isRecord, notFound, parseJsonBody, unreadableBody, type ApiErrorCause, type Ctx, type Reply } from '../http';
import { pageOf, readPaging } from '../paging';
import { P } from '../privileges';
import type { Route } from '../router';
import { RsqlError, compileFilter } from '../rsql';
import type { Account } from '../state';
import { unlock } from '../login';

function listAccounts(ctx: Ctx): Reply {
  const paging = readPaging(ctx.query, 'username:asc');
  if ('error' in paging) return invalidField(paging.field, paging.error);
  let predicate;
  try {
    predicate = compileFilter(ctx.query.get('filter'), ACCOUNT_FIELDS);
  } catch (err) {
    if (err instanceof RsqlError) return invalidField('filter', `Invalid RSQL filter: ${err.message}`);
    throw err;
  }
  const page = pageOf([...ctx.core.store.accounts.values()].filter(predicate), paging, ACCOUNT_FIELDS);
  return { status: 200, json: { totalCount: page.totalCount, results: page.results.map(renderUserAccount) } };
}

function findAccount(ctx: Ctx): Account | Reply {
  const id = ctx.params.id ?? '';
  if (!/^\d+$/.test(id)) return invalidId(id);
  return ctx.core.store.accounts.get(Number(id)) ?? notFound('Account not found');
}

const ENUMS: Record<string, readonly string[]> = {
  accessLevel: ['FullAccess', 'SiteAccess', 'GroupBasedAccess'],
  privilegeLevel: ['ADMINISTRATOR', 'AUDITOR', 'ENROLLMENT', 'CUSTOM'],
  accountStatus: ['Enabled', 'Disabled'],
  accountType: ['DEFAULT', 'FEDERATED'],
};
const STRINGS = ['username', 'realname', 'email', 'phone', 'distinguishedName'] as const;
const INTEGERS = ['ldapServerId', 'siteId'] as const;

/**
 * PUT /api/v1/accounts/{id} (11.27.0 and later). Whether omitted fields are
 * reset is undocumented; the simulator treats the body as a partial update.
 */
function putAccount(ctx: Ctx): Reply {
  const found = findAccount(ctx);
  if (!('username' in found)) return found;
  const parsed = parseJsonBody(ctx);
  if (!parsed.ok || !isRecord(parsed.value)) return unreadableBody();
  const b = parsed.value;
  const errors: ApiErrorCause[] = [];
  for (const k of STRINGS) if (b[k] !== undefined && b[k] !== null && typeof b[k] !== 'string') errors.push(cause('INVALID_FIELD', 'must be a string', k));
  if (typeof b.username === 'string' && b.username.trim() === '') errors.push(cause('INVALID_FIELD', 'must not be blank', 'username'));
  if (typeof b.username === 'string') {
    const other = ctx.core.store.accountByName(b.username);
    if (other && other.id !== found.id) errors.push(cause('DUPLICATE_FIELD', `An account with username ${b.username} already exists`, 'username'));
  }
  for (const k of INTEGERS) if (b[k] !== undefined && b[k] !== null && !Number.isInteger(b[k])) errors.push(cause('INVALID_FIELD', 'must be an integer', k));
  for (const [k, allowed] of Object.entries(ENUMS)) {
    if (b[k] !== undefined && b[k] !== null && !allowed.includes(String(b[k]))) {
      errors.push(cause('INVALID_FIELD', `Invalid value '${String(b[k])}', possible values can be [ ${allowed.join(', ')} ]`, k));
    }
  }
  if (b.changePasswordOnNextLogin !== undefined && typeof b.changePasswordOnNextLogin !== 'boolean') errors.push(cause('INVALID_FIELD', 'must be a boolean', 'changePasswordOnNextLogin'));
  if (b.plainPassword !== undefined && b.plainPassword !== null && typeof b.plainPassword !== 'string') errors.push(cause('INVALID_FIELD', 'must be a string', 'plainPassword'));
  if (errors.length > 0) return apiError(400, errors);

  if (typeof b.plainPassword === 'string') {
    const changed = setPassword(ctx.core, found, b.plainPassword);
    if (!changed.ok) return apiError(400, [cause('INVALID_FIELD', changed.message, 'plainPassword', String(found.id))]);
  }
  for (const k of STRINGS) if (typeof b[k] === 'string') found[k] = b[k];
  for (const k of INTEGERS) if (typeof b[k] === 'number') found[k] = b[k];
  if (typeof b.accessLevel === 'string') found.accessLevel = b.accessLevel as Account['accessLevel'];
  if (typeof b.privilegeLevel === 'string') found.privilegeLevel = b.privilegeLevel as Account['privilegeLevel'];
  if (b.accountStatus === 'Enabled') unlock(found); // setting the access status to Enabled is how an admin unlocks
  if (typeof b.accountStatus === 'string') found.accountStatus = b.accountStatus as Account['accountStatus'];
  if (typeof b.accountType === 'string') found.accountType = b.accountType as Account['accountType'];
  if (typeof b.changePasswordOnNextLogin === 'boolean') found.changePasswordOnNextLogin = b.changePasswordOnNextLogin;
  return { status: 200, json: renderUserAccount(found) };
}

export const accountRoutes: Route[] = [
  { method: 'GET', path: '/api/v1/accounts', api: 'pro', privileges: [P.readAccounts], handler: listAccounts },
  {
    method: 'GET',
    path: '/api/v1/accounts/{id}',
    api: 'pro',
    privileges: [P.readAccounts],
    handler: (ctx) => {
      const found = findAccount(ctx);
      return 'username' in found ? { status: 200, json: renderUserAccount(found) } : found;
    },
  },
  { method: 'PUT', path: '/api/v1/accounts/{id}', api: 'pro', privileges: [P.updateAccounts], since: '11.27.0', handler: putAccount },
];
