/**
 * When `GET /api/v1/auth` lists no privileges (an API client on some servers), the credential
 * check probes with harmless reads: a 403 names a missing privilege; what cannot be probed is
 * named as unconfirmed.
 */
import { checkJamfCredential, workflowPrivileges } from '../../daemon/auth/jamfCredentialCheck';
import { apiError, harness, JSON_HEADERS, TOKEN_1, type Harness } from '../jamf/helpers';

let h: Harness;
beforeEach(() => (h = harness()));
afterEach(() => h.finish());

function serverListingNoPrivileges(readComputers: 200 | 403) {
  h.interceptClientToken(TOKEN_1);
  h.jamf.intercept({ path: '/api/v1/jamf-pro-version', method: 'GET' }).reply(200, { version: '11.30.0-t1' }, JSON_HEADERS);
  h.jamf.intercept({ path: '/api/v1/auth', method: 'GET' }).reply(200, { authenticationType: 'CLIENT_CREDENTIALS' }, JSON_HEADERS);
  h.jamf
    .intercept({ path: (p: string) => p.startsWith('/api/v4/computers-inventory?'), method: 'GET' })
    .reply(readComputers, readComputers === 200 ? { totalCount: 0, results: [] } : apiError(403, [{ code: 'INVALID_PRIVILEGE', description: 'Forbidden' }]), JSON_HEADERS);
  h.jamf.intercept({ path: '/api/v1/managed-software-updates/plans/feature-toggle', method: 'GET' }).reply(200, { toggle: true }, JSON_HEADERS);
}

test('a refused read names the missing privilege', async () => {
  serverListingNoPrivileges(403);
  const r = await checkJamfCredential(h.client(), 'client', (v) => workflowPrivileges('plans', v));
  expect(r).toMatchObject({ ok: false, failure: { reason: 'privileges-missing', message: expect.stringContaining('"Read Computers"') } });
});

test('reads that succeed confirm their privileges; the others are named as unconfirmed', async () => {
  serverListingNoPrivileges(200);
  const r = await checkJamfCredential(h.client(), 'client', (v) => workflowPrivileges('plans', v));
  expect(r.ok).toBe(true);
  if (r.ok) {
    expect(r.warnings.join(' ')).toMatch(/confirmed Read Computers, Read Managed Software Updates; could not confirm: Create Managed Software Updates/);
  }
});
