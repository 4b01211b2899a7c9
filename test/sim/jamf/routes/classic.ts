import { randomUUID } from 'node:crypto';
import { CLASSIC_ITEM_TAGS, classicAccount, setPassword } from '../accountModel';
import { classicError, xmlReply, type Ctx, type Reply } from '../http';
import { unlock } from '../login';
import { P } from '../privileges';
import type { Route } from '../router';
import { isDirectoryAccount, type Account, type Computer } from '../state';
import { readXmlFields, toXml, type XmlValue } from '../xml';
import { classicComputer } from './classicComputer';

const wantsJson = (ctx: Ctx): boolean => (ctx.headers.accept ?? '').toLowerCase().includes('application/json');

/** Classic GETs answer XML, or JSON when the client sends `Accept: application/json`. */
function document(ctx: Ctx, root: string, value: XmlValue): Reply {
  if (wantsJson(ctx)) return { status: 200, json: { [root]: value } };
  return xmlReply(200, toXml(root, value, CLASSIC_ITEM_TAGS));
}

function computerBy(match: (c: Computer, key: string) => boolean) {
  return (ctx: Ctx): Reply => {
    const key = ctx.params.key ?? '';
    const computer = [...ctx.core.store.computers.values()].find((c) => match(c, key));
    if (!computer) return classicError(404);
    const doc = classicComputer(computer, ctx.params.subset);
    return doc ? document(ctx, 'computer', doc) : classicError(404);
  };
}

const byUdid = (c: Computer, k: string): boolean => c.udid.toLowerCase() === k.toLowerCase();
const bySerial = (c: Computer, k: string): boolean => c.serialNumber.toLowerCase() === k.toLowerCase();
const byId = (c: Computer, k: string): boolean => /^\d+$/.test(k) && c.id === Number(k);

function accountFrom(ctx: Ctx): Account | undefined {
  const store = ctx.core.store;
  if (ctx.params.id !== undefined) return /^\d+$/.test(ctx.params.id) ? store.accounts.get(Number(ctx.params.id)) : undefined;
  return store.accountByName(ctx.params.name ?? '');
}

/**
 * PUT /JSSResource/accounts/userid/{id} (or /username/{name}) with a partial
 * `<account>` document; the way rotation scripts change a password (reference §7.3).
 */
function putAccount(ctx: Ctx): Reply {
  const account = accountFrom(ctx);
  if (!account) return classicError(404);
  const fields = readXmlFields(ctx.rawBody.toString('utf8'), 'account');
  if (!fields) return classicError(400);
  if (isDirectoryAccount(account) && Object.keys(fields).length > 0) {
    return classicError(409, 'Error: Unable to update a directory (LDAP) account; change it in the directory service');
  }
  if (fields.name !== undefined) {
    const other = ctx.core.store.accountByName(fields.name);
    if (fields.name.trim() === '') return classicError(409, 'Error: Name cannot be blank');
    if (other && other.id !== account.id) return classicError(409, 'Error: Duplicate name');
  }
  if (fields.password !== undefined) {
    const changed = setPassword(ctx.core, account, fields.password);
    if (!changed.ok) return classicError(409, `Error: ${changed.message}`);
  }
  if (fields.name !== undefined) account.username = fields.name;
  if (fields.full_name !== undefined) account.realname = fields.full_name;
  const email = fields.email_address ?? fields.email;
  if (email !== undefined) account.email = email;
  if (fields.enabled === 'Enabled') unlock(account);
  if (fields.enabled === 'Enabled' || fields.enabled === 'Disabled') account.accountStatus = fields.enabled;
  if (fields.force_password_change !== undefined) account.changePasswordOnNextLogin = fields.force_password_change === 'true';
  return xmlReply(201, `<account><id>${account.id}</id></account>`);
}

/** POST /JSSResource/computercommands/command/BlankPush/id/{ids} — removed in 11.28.0 (reference §5.4). */
function classicBlankPush(ctx: Ctx): Reply {
  const ids = (ctx.params.ids ?? '').split(',').map((s) => s.trim());
  const computers = ids.map((id) => (/^\d+$/.test(id) ? ctx.core.store.computers.get(Number(id)) : undefined));
  if (computers.some((c) => c === undefined)) return classicError(400, 'Unable to match computer');
  const known = computers as Computer[];
  ctx.core.events.emit('blankPush', { managementIds: known.map((c) => c.managementId) });
  const commands = known.map((c) => `<command><name>BlankPush</name><command_uuid>${randomUUID()}</command_uuid><computer_id>${c.id}</computer_id></command>`);
  return xmlReply(201, `<computer_command>${commands.join('')}</computer_command>`);
}

const READ_ACCOUNTS = [P.readAccounts];
const UPDATE_ACCOUNTS = [P.updateAccounts];
const READ_COMPUTERS = [P.readComputers];

function computerRoutes(segment: string, match: (c: Computer, k: string) => boolean): Route[] {
  return [
    { method: 'GET', path: `/JSSResource/computers/${segment}/{key}`, api: 'classic', privileges: READ_COMPUTERS, handler: computerBy(match) },
    { method: 'GET', path: `/JSSResource/computers/${segment}/{key}/subset/{subset}`, api: 'classic', privileges: READ_COMPUTERS, handler: computerBy(match) },
  ];
}

export const classicRoutes: Route[] = [
  ...computerRoutes('udid', byUdid),
  ...computerRoutes('serialnumber', bySerial),
  ...computerRoutes('id', byId),
  {
    method: 'GET',
    path: '/JSSResource/accounts',
    api: 'classic',
    privileges: READ_ACCOUNTS,
    handler: (ctx) => {
      const users = [...ctx.core.store.accounts.values()].sort((a, b) => a.id - b.id).map((a) => ({ id: a.id, name: a.username }));
      return document(ctx, 'accounts', { users, groups: [] });
    },
  },
  ...(['userid/{id}', 'username/{name}'] as const).flatMap((suffix): Route[] => [
    {
      method: 'GET',
      path: `/JSSResource/accounts/${suffix}`,
      api: 'classic',
      privileges: READ_ACCOUNTS,
      handler: (ctx) => {
        const account = accountFrom(ctx);
        return account ? document(ctx, 'account', classicAccount(account)) : classicError(404);
      },
    },
    { method: 'PUT', path: `/JSSResource/accounts/${suffix}`, api: 'classic', privileges: UPDATE_ACCOUNTS, handler: putAccount },
  ]),
  {
    method: 'POST',
    path: '/JSSResource/computercommands/command/BlankPush/id/{ids}',
    api: 'classic',
    // Classic computer commands are POSTs on the Computers object: "Create Computers" (super's legacy privilege set).
    privileges: [P.createComputers],
    until: '11.28.0',
    handler: classicBlankPush,
  },
];
