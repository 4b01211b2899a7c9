import {
  authorizationShape, clientTokenShape, featureToggleShape, inventoryRecordProblem, pageShape, planCreatedShape, planRecordProblem,
  userTokenShape, versionShape,
} from '../../daemon/jamf/responseShapes';
import { redactServerText } from '../../daemon/jamf/maskSecrets';
import { summariseErrorBody } from '../../daemon/jamf/errorBody';

const ok = (r: { ok: boolean }) => r.ok;
const problem = (r: { ok: boolean; problem?: string }) => (r.ok ? null : r.problem);

describe('typed validation of the Jamf Pro answers superd uses', () => {
  test('token responses (reference §1.1, §1.2)', () => {
    expect(ok(clientTokenShape({ access_token: 'eyJ.a.b', token_type: 'Bearer', scope: 'api-role:2', expires_in: 599 }))).toBe(true);
    expect(problem(clientTokenShape({ access_token: '' }))).toMatch(/access_token.*enabled/);
    expect(problem(clientTokenShape({ access_token: 123 }))).toMatch(/access_token/);
    expect(problem(clientTokenShape({ access_token: 'x', expires_in: '599' }))).toMatch(/expires_in/);
    expect(problem(clientTokenShape('<html>…</html>'))).toMatch(/an HTML page/);
    expect(problem(clientTokenShape(null))).toMatch(/got null/);
    expect(ok(userTokenShape({ token: 'eyJ.a.b', expires: '2026-03-02T09:30:00.000Z' }))).toBe(true);
    expect(problem(userTokenShape({ token: 'x', expires: 1_772_443_800_000 }))).toMatch(/expires/);
    expect(problem(userTokenShape([]))).toMatch(/JSON array/);
  });

  test('jamf-pro-version (§2.1)', () => {
    expect(versionShape({ version: '11.30.0-t1782920582649' })).toEqual({ ok: true, value: { version: '11.30.0-t1782920582649' } });
    expect(problem(versionShape({ version: 11.3 }))).toMatch(/version/);
    expect(problem(versionShape(undefined))).toMatch(/empty body/);
  });

  test('GET api/v1/auth (§1.5): null and empty bodies are refused, not a skipped privilege check', () => {
    expect(ok(authorizationShape({ account: { privilegeSet: 'CUSTOM', privilegesBySite: { '1': ['Read Computers'] } }, accountGroups: [{ privileges: ['Read Computers'], siteId: 1 }] }))).toBe(true);
    expect(ok(authorizationShape({ authenticationType: 'CLIENT_CREDENTIALS' }))).toBe(true);
    expect(problem(authorizationShape(null))).toMatch(/GET api\/v1\/auth: expected a JSON object, got null/);
    expect(problem(authorizationShape(undefined))).toMatch(/empty body/);
    expect(problem(authorizationShape({ account: 'admin' }))).toMatch(/account is not an object/);
    expect(problem(authorizationShape({ account: { privilegesBySite: { '-1': 'Read Computers' } } }))).toMatch(/privilegesBySite/);
    expect(problem(authorizationShape({ account: { privilegeSet: 1 } }))).toMatch(/privilegeSet/);
    expect(problem(authorizationShape({ accountGroups: [{ privileges: 'all' }] }))).toMatch(/accountGroups/);
  });

  test('computer inventory (§3.2) and plans (§4.1, §4.6, §4.9)', () => {
    const inventory = pageShape('GET api/v4/computers-inventory', inventoryRecordProblem);
    expect(ok(inventory({ totalCount: 1, results: [{ id: '12', udid: 'X', general: { managementId: 'M', supervised: true } }] }))).toBe(true);
    expect(ok(inventory({ totalCount: 0, results: [] }))).toBe(true);
    expect(problem(inventory({ totalCount: 1 }))).toMatch(/results is missing/);
    expect(problem(inventory({ results: [{ id: { value: 12 } }] }))).toMatch(/no id/);
    expect(problem(inventory({ results: [{ id: '12', general: { supervised: 'yes' } }] }))).toMatch(/supervised/);
    expect(planRecordProblem({ planUuid: 'A', status: { state: 'PlanCompleted', errorReasons: [] } })).toBeNull();
    expect(planRecordProblem({ status: { state: 'PlanCompleted' } })).toMatch(/planUuid/);
    expect(planRecordProblem({ planUuid: 'A', status: { state: 3 } })).toMatch(/state/);
    expect(ok(featureToggleShape({ toggle: true }))).toBe(true);
    expect(problem(featureToggleShape({ toggle: 'true' }))).toMatch(/toggle/);
    expect(ok(planCreatedShape({ plans: [{ planId: 'A', device: { deviceId: '12' } }] }))).toBe(true);
    expect(ok(planCreatedShape({ plans: [{}] }))).toBe(true); // no plan id: createPlan refuses it with its own message
    expect(problem(planCreatedShape({ plans: [{ planId: 7 }] }))).toMatch(/planId/);
  });
});

describe('redaction of token-like text from Jamf Pro', () => {
  const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2Y2FiZjA1OSJ9.Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA';
  test.each([
    ['a JWT', `token ${JWT} expired`],
    ['Bearer …', 'Authorization: Bearer abcdEFGH12345678ijkl'],
    ['client_secret=…', 'client_id=6cab&client_secret=S3cr3t-Value-9f8e7d&grant_type=client_credentials'],
    ['a long base64 run', 'key dGhpcyBpcyBhIHNlY3JldCBrZXkgMTIzNDU2Nzg5MA== leaked'],
    ['a long hex run', 'session 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 leaked'],
  ])('%s is redacted', (_name, text) => {
    const out = redactServerText(text, []);
    expect(out).toContain('[REDACTED]');
    for (const secret of [JWT, 'abcdEFGH12345678ijkl', 'S3cr3t-Value-9f8e7d', 'dGhpcyBpcyBhIHNlY3JldCBrZXkgMTIzNDU2Nzg5MA', '9f86d081884c7d659a2feaa0c55ad015']) expect(out).not.toContain(secret);
  });

  test("Jamf Pro's own words, ids and privilege names are kept", () => {
    const text = 'INVALID_FIELD config.updateAction: possible values can be [ DOWNLOAD_ONLY, DOWNLOAD_INSTALL ]; plan 6E47EF55-5318-494F-A09E-70F613E0AFD1';
    expect(redactServerText(text, [])).toBe(text);
    expect(redactServerText('Unauthorized: The request requires user authentication', [])).toBe('Unauthorized: The request requires user authentication');
  });

  test('known secrets are masked first, whatever their shape', () => {
    expect(redactServerText('hello pw1234 world', ['pw1234'])).toBe('hello [REDACTED] world');
  });

  test('an error body that echoes a token is summarised without it', () => {
    const body = JSON.stringify({ httpStatus: 500, errors: [{ code: 'ERROR', description: `Token ${JWT} could not be validated`, id: '0', field: null }] });
    expect(summariseErrorBody(body)).toBe('ERROR Token [REDACTED] could not be validated');
  });

  test('a token at the cut of a long summary is redacted before the cut, not left half visible', () => {
    const secret = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6';
    const page = `<html><body><p>Error</p><p>${'x '.repeat(140)}${secret}</p></body></html>`;
    const summary = summariseErrorBody(page);
    expect(summary.length).toBeLessThanOrEqual(300);
    expect(summary).not.toContain(secret.slice(0, 12));
  });

  test('an OAuth error_description is redacted too', () => {
    expect(summariseErrorBody(JSON.stringify({ error: 'invalid_client', error_description: 'client_secret=S3cr3t-Value-9f8e7d rejected' }))).toBe('invalid_client: client_secret=[REDACTED] rejected');
  });
});
