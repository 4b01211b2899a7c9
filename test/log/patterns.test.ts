import { isSensitiveKey, redact, redactText, REDACTED } from '../../daemon/log';

/** Secret-looking text that is redacted even when nobody registered it. */
describe('redactText removes what looks like a credential', () => {
  const jwt =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdXBlcmQiLCJleHAiOjE3OTk5OTk5OTl9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
  const opaque = 'a3f9c2e1-77b4-4c0e-9d1a-5e6f7a8b9c0d';

  test.each([
    // Bearer tokens
    ['bearer token in prose', `using Bearer ${opaque} for the call`, `using Bearer ${REDACTED} for the call`, opaque],
    ['lower-case bearer', `bearer ${opaque}`, `bearer ${REDACTED}`, opaque],
    ['bearer JWT', `Bearer ${jwt}`, `Bearer ${REDACTED}`, jwt],
    ['bearer with padding', 'Bearer dGhpcyBpcyBhIHRva2VuIQ==', `Bearer ${REDACTED}`, 'dGhpcyBpcyBhIHRva2VuIQ'],
    // Authorization headers
    ['Authorization: Basic', 'Authorization: Basic Y2xpZW50OnNlY3JldA==', `Authorization: Basic ${REDACTED}`, 'Y2xpZW50OnNlY3JldA'],
    ['Authorization: Bearer', `Authorization: Bearer ${opaque}`, `Authorization: Bearer ${REDACTED}`, opaque],
    ['header dump, several lines', `Accept: json\r\nauthorization: Basic dXNlcjpwYXNz\r\nHost: jamf`, `Accept: json\r\nauthorization: Basic ${REDACTED}\r\nHost: jamf`, 'dXNlcjpwYXNz'],
    ['curl -H', `curl -H 'Authorization: Bearer ${opaque}' https://x`, `curl -H 'Authorization: Bearer ${REDACTED}' https://x`, opaque],
    ['JSON header', `{"Authorization":"Basic dXNlcjpwYXNz","Accept":"json"}`, `{"Authorization":"Basic ${REDACTED}","Accept":"json"}`, 'dXNlcjpwYXNz'],
    ['inspect header', `{ authorization: 'Bearer ${opaque}' }`, `{ authorization: 'Bearer ${REDACTED}' }`, opaque],
    ['unknown scheme: rest of the line', 'Authorization: Digest username="u", response="abc123"\nnext', `Authorization: ${REDACTED}"u", response="abc123"\nnext`, 'username='],
    ['no scheme', 'Authorization=abc123def', `Authorization=${REDACTED}`, 'abc123def'],
    ['Proxy-Authorization', 'Proxy-Authorization: Basic dXNlcjpwYXNz', `Proxy-Authorization: Basic ${REDACTED}`, 'dXNlcjpwYXNz'],
    ['Cookie', 'Cookie: JSESSIONID=abc123; AWSALB=xyz', `Cookie: ${REDACTED}`, 'abc123'],
    ['X-API-Key', 'X-API-Key: 0123456789abcdef', `X-API-Key: ${REDACTED}`, '0123456789abcdef'],
    // JWTs anywhere
    ['bare JWT', `token was ${jwt}.`, `token was ${REDACTED}.`, jwt],
    ['JWT in a URL', `https://x/cb?id_token=${jwt}&state=1`, `https://x/cb?id_token=${REDACTED}&state=1`, jwt],
    // "token":"..." JSON fields
    ['JSON token', `{"token":"${opaque}","expires":"2026-11-22T10:00:00Z"}`, `{"token":"${REDACTED}","expires":"2026-11-22T10:00:00Z"}`, opaque],
    ['JSON access_token', `{"access_token": "${opaque}", "token_type": "Bearer", "expires_in": 1199}`, `{"access_token": "${REDACTED}", "token_type": "Bearer", "expires_in": 1199}`, opaque],
    ['JSON client_secret', '{"client_id":"abc","client_secret":"s3cr3t\\"q"}', `{"client_id":"abc","client_secret":"${REDACTED}"}`, 's3cr3t'],
    ['JSON password', '{"username":"admin","password":"hunter2"}', `{"username":"admin","password":"${REDACTED}"}`, 'hunter2'],
    ['JSON inside a JSON string', '{"body":"{\\"token\\":\\"abc123\\"}"}', `{"body":"{\\"token\\":\\"${REDACTED}\\"}"}`, 'abc123'],
    ['inspect output', "{ newPassword: 'hunter2', user: 'admin' }", `{ newPassword: '${REDACTED}', user: 'admin' }`, 'hunter2'],
    // form bodies, query strings, options
    ['form body', 'grant_type=client_credentials&client_id=abc&client_secret=Zr8%21q', `grant_type=client_credentials&client_id=abc&client_secret=${REDACTED}`, 'Zr8%21q'],
    ['query string', 'https://jamf.example.com/x?access_token=abc123&page=2', `https://jamf.example.com/x?access_token=${REDACTED}&page=2`, 'abc123'],
    ['command-line option', 'argv: --auth-jamf-secret=hunter2 --auth-jamf-client=abc', `argv: --auth-jamf-secret=${REDACTED} --auth-jamf-client=abc`, 'hunter2'],
    ['logfmt quoted', 'password="hunter 2" user=admin', `password="${REDACTED}" user=admin`, 'hunter 2'],
    // URL passwords
    ['URL userinfo', 'https://admin:hunter2@jamf.example.com/api', `https://admin:${REDACTED}@jamf.example.com/api`, 'hunter2'],
  ])('%s', (_name, input, expected, secret) => {
    const output = redactText(input);
    expect(output).toBe(expected);
    expect(output).not.toContain(secret);
  });
});

describe('redactText leaves ordinary text alone', () => {
  test.each([
    'Requesting a Bearer token from Jamf Pro',
    'Bearer token expired; renewing',
    'Authorization failed: check the API role privileges',
    'token_type=Bearer expires_in=1199',
    'the secret is stored in the System keychain (service superd)',
    'password policy requires 12 characters',
    'computerId=42 udid=A1B2C3D4-E5F6-7890-ABCD-EF1234567890',
    'https://jamf.example.com:8443/api/v1/computers-inventory?section=GENERAL',
    'pushed the update to 3 of 3 devices (100%)',
    'eyJhbGciOiJIUzI1NiJ9 alone is only a header',
    '',
  ])('%j', (input) => {
    expect(redactText(input)).toBe(input);
  });
});

describe('field names: values of password-like keys are redacted whatever they hold', () => {
  test.each([
    ['password', true],
    ['Password', true],
    ['PASSWORD', true],
    ['passwd', true],
    ['jamfPassword', true],
    ['new_password', true],
    ['passphrase', true],
    ['secret', true],
    ['client_secret', true],
    ['clientSecret', true],
    ['AuthJamfSecret', true],
    ['auth-jamf-secret', true],
    ['token', true],
    ['accessToken', true],
    ['access_token', true],
    ['refresh-token', true],
    ['bearerToken', true],
    ['authorization', true],
    ['Authorization', true],
    ['proxy-authorization', true],
    ['set-cookie', true],
    ['apiKey', true],
    ['x-api-key', true],
    ['private_key', true],
    ['auth', true],
    ['passwordHash', true],
    ['secretValue', true],
    // descriptions of a secret, not the secret
    ['token_type', false],
    ['tokenExpiresAt', false],
    ['expires_in', false],
    ['secretLength', false],
    ['passwordSource', false],
    ['secretName', false],
    // ordinary fields
    ['computerId', false],
    ['username', false],
    ['authMethod', false],
    ['AuthJamfClient', false],
    ['message', false],
    ['keychainService', false],
  ])('%s → %s', (key, sensitive) => {
    expect(isSensitiveKey(key)).toBe(sensitive);
    const redacted = redact({ [key]: 'opaque-value-123', nested: { [key]: { any: ['shape'] } } }) as Record<string, unknown>;
    const expected = sensitive ? REDACTED : 'opaque-value-123';
    expect(redacted[key]).toBe(expected);
    expect((redacted.nested as Record<string, unknown>)[key]).toEqual(sensitive ? REDACTED : { any: ['shape'] });
  });

  test('Map entries are treated like fields', () => {
    const redacted = redact(new Map<unknown, unknown>([['clientSecret', 'x1'], ['clientId', 'x2'], [7, 'x3']])) as Map<unknown, unknown>;
    expect([...redacted]).toEqual([['clientSecret', REDACTED], ['clientId', 'x2'], [7, 'x3']]);
  });

  test('an absent secret stays visibly absent', () => {
    expect(redact({ password: undefined, secret: null, token: '' })).toEqual({ password: undefined, secret: null, token: '' });
  });
});
