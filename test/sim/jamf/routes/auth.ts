import { isoMs } from '../clock';
import { apiError, cause, unauthorized, type Ctx, type Reply } from '../http';
import { authenticateUser, basicCredentials } from '../login';
import { accountPrivileges } from '../privileges';
import type { Route } from '../router';
import { compareVersions } from '../version';

const OAUTH_ERROR_URI = 'https://datatracker.ietf.org/doc/html/rfc6749#section-5.2';
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** POST /api/v1/auth/token — Basic credentials for a user bearer token (reference §1.1). */
function userToken(ctx: Ctx): Reply {
  const creds = basicCredentials(ctx.headers.authorization);
  if (!creds) return unauthorized();
  const result = authenticateUser(ctx.core, creds.username, creds.password);
  if (!result.ok) {
    const reply =
      result.reason === 'expired-password'
        ? apiError(401, [cause('USER_EXPIRED_PASSWORD', 'Password has expired or must be changed before next login', null, null)])
        : unauthorized();
    return { ...reply, logPrincipal: creds.username };
  }
  const record = ctx.core.tokens.issueUser(result.account.id, ctx.core.settings.userTokenLifetimeSeconds);
  return { status: 200, json: { token: record.token, expires: isoMs(record.expiresAt) }, logPrincipal: creds.username };
}

function oauthError(status: number, error: string, parameter?: string): Reply {
  const json = parameter ? { error, error_description: `OAuth 2.0 Parameter: ${parameter}`, error_uri: OAUTH_ERROR_URI } : { error };
  return { status, json, headers: NO_STORE };
}

/**
 * POST /api/oauth/token and /api/v1/oauth/token — client credentials (reference §1.2).
 * Modelled on Spring Authorization Server: the client is authenticated first
 * (401 invalid_client), then the grant type and scope are checked (400).
 */
function clientToken(ctx: Ctx): Reply {
  const type = (ctx.headers['content-type'] ?? '').toLowerCase();
  const form = new URLSearchParams(type.includes('application/x-www-form-urlencoded') ? ctx.rawBody.toString('utf8') : '');
  const clientId = form.get('client_id') ?? '';
  const secret = form.get('client_secret') ?? '';
  const core = ctx.core;
  const client = clientId ? core.store.clientByClientId(clientId) : undefined;
  const invalidClient = (): Reply => ({ ...oauthError(core.settings.oauthInvalidClientStatus, 'invalid_client'), logPrincipal: clientId || undefined });
  if (!client || !client.enabled || client.secret === null || client.secret !== secret || client.appType !== 'CLIENT_CREDENTIALS') return invalidClient();
  const grant = form.get('grant_type');
  if (!grant) return { ...oauthError(400, 'invalid_request', 'grant_type'), logPrincipal: clientId };
  if (grant !== 'client_credentials') return { ...oauthError(400, 'unsupported_grant_type'), logPrincipal: clientId };
  let roleIds = [...client.roleIds];
  const scope = form.get('scope');
  if (scope !== null && scope.trim() !== '') {
    const wanted = scope.trim().split(/\s+/);
    const ids = wanted.map((s) => /^api-role:(\d+)$/.exec(s)?.[1]).map((id) => (id === undefined ? NaN : Number(id)));
    if (ids.some((id) => !client.roleIds.includes(id))) return { ...oauthError(400, 'invalid_scope', 'scope'), logPrincipal: clientId };
    roleIds = ids;
  }
  const record = core.tokens.issueClient(client.id, client.clientId, roleIds, client.accessTokenLifetimeSeconds);
  const json = {
    access_token: record.token,
    token_type: 'Bearer',
    scope: roleIds.map((id) => `api-role:${id}`).join(' '),
    // Jamf reports one second less than the configured lifetime (its example: 599 for 600).
    expires_in: Math.max(0, client.accessTokenLifetimeSeconds - 1),
  };
  return { status: 200, json, headers: NO_STORE, logPrincipal: clientId };
}

/** POST /api/v1/auth/keep-alive — user tokens only; the old token stops working (reference §1.3). */
function keepAlive(ctx: Ctx): Reply {
  const old = ctx.token;
  if (!old || old.kind !== 'user') return unauthorized();
  ctx.core.tokens.invalidate(old);
  const record = ctx.core.tokens.issueUser(old.principalId, ctx.core.settings.userTokenLifetimeSeconds);
  return { status: 200, json: { token: record.token, expires: isoMs(record.expiresAt) } };
}

function invalidate(ctx: Ctx): Reply {
  if (ctx.token) ctx.core.tokens.invalidate(ctx.token);
  return { status: 204 };
}

const preferences = { language: 'en', dateFormat: 'MM/dd/yyyy', region: 'Europe', timezone: 'Etc/GMT', disableRelativeDates: false };

/** GET /api/v1/auth — AuthorizationV1 (reference §1.5). The client-credentials shape is undocumented; see decisions. */
function whoAmI(ctx: Ctx): Reply {
  const p = ctx.principal;
  if (!p) return unauthorized();
  const divisions = compareVersions(ctx.core.version, '11.30.0') >= 0;
  const privileges = [...p.privileges].sort((a, b) => a.localeCompare(b));
  const base =
    p.kind === 'user'
      ? {
          id: String(p.account.id),
          username: p.account.username,
          realName: p.account.realname,
          email: p.account.email,
          preferences,
          multiSiteAdmin: p.account.accessLevel === 'FullAccess',
          accessLevel: p.account.accessLevel,
          privilegeSet: p.account.privilegeLevel,
          privilegesBySite: { '-1': accountPrivileges(p.account.privilegeLevel, p.account.privileges).sort((a, b) => a.localeCompare(b)) },
          groupIds: [],
          currentSiteId: String(p.account.siteId),
        }
      : {
          id: String(p.client.id),
          username: p.client.displayName,
          realName: p.client.displayName,
          email: '',
          preferences,
          multiSiteAdmin: true,
          accessLevel: 'FullAccess',
          privilegeSet: 'CUSTOM',
          privilegesBySite: { '-1': privileges },
          groupIds: [],
          currentSiteId: '-1',
        };
  const account = divisions ? { ...base, currentDivisionId: null } : base;
  const authenticationType = p.kind === 'client' ? 'CLIENT_CREDENTIALS' : p.account.ldapServerId > 0 ? 'LDAP' : 'JSS';
  return { status: 200, json: { account, accountGroups: [], sites: [], authenticationType } };
}

export const authRoutes: Route[] = [
  { method: 'POST', path: '/api/v1/auth/token', api: 'open', handler: userToken },
  { method: 'POST', path: '/api/oauth/token', api: 'open', handler: clientToken },
  { method: 'POST', path: '/api/v1/oauth/token', api: 'open', handler: clientToken },
  { method: 'POST', path: '/api/v1/auth/keep-alive', api: 'pro', handler: keepAlive },
  { method: 'POST', path: '/api/v1/auth/invalidate-token', api: 'pro', handler: invalidate },
  { method: 'GET', path: '/api/v1/auth', api: 'pro', handler: whoAmI },
];
