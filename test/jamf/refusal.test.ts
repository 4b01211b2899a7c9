import { classifyConnectionFailure, classifyResponse, REFUSAL_TABLE, type JamfVerdict, type ResponseFacts } from '../../daemon/jamf/refusal';

describe('classifyResponse: one row per Jamf Pro answer', () => {
  test.each<[string, ResponseFacts, string, JamfVerdict]>([
    // Token requests: only a 401, or an OAuth 400 invalid_client, refuses the credential.
    ['client token issued', { call: 'client-token', status: 200, bodyValid: true }, 'token-issued', 'ok'],
    ['account token issued', { call: 'account-token', status: 200, bodyValid: true }, 'token-issued', 'ok'],
    ['HTML/truncated/wrong types with 200', { call: 'client-token', status: 200, bodyValid: false }, 'token-garbled', 'unavailable'],
    ['same for an account token', { call: 'account-token', status: 200, bodyValid: false }, 'token-garbled', 'unavailable'],
    ['401 to the client token request', { call: 'client-token', status: 401, oauthError: 'invalid_client' }, 'token-401', 'credential-rejected'],
    ['401 without a body', { call: 'client-token', status: 401 }, 'token-401', 'credential-rejected'],
    ['401 to a login', { call: 'account-token', status: 401 }, 'token-401', 'credential-rejected'],
    ['400 invalid_client', { call: 'client-token', status: 400, oauthError: 'invalid_client' }, 'oauth-400-invalid-client', 'credential-rejected'],
    ['400 invalid_request', { call: 'client-token', status: 400, oauthError: 'invalid_request' }, 'token-other', 'unavailable'],
    ['400 without an OAuth body (a proxy)', { call: 'client-token', status: 400 }, 'token-other', 'unavailable'],
    ['400 to a login', { call: 'account-token', status: 400 }, 'token-other', 'unavailable'],
    ['403 from a firewall in front of the token endpoint', { call: 'client-token', status: 403 }, 'token-other', 'unavailable'],
    ['404: API clients before 10.49', { call: 'client-token', status: 404 }, 'token-404', 'not-found'],
    ['429 to a token request', { call: 'account-token', status: 429 }, 'token-other', 'unavailable'],
    ['503 to a token request', { call: 'client-token', status: 503 }, 'token-other', 'unavailable'],
    ['302 to a proxy login page', { call: 'client-token', status: 302 }, 'token-other', 'unavailable'],
    // Keep-alive and invalidate: a 401 is about the token.
    ['keep-alive refused', { call: 'keep-alive', status: 401 }, 'keep-alive-401', 'token-rejected'],
    ['invalidate: already invalid', { call: 'invalidate', status: 401 }, 'invalidate-401', 'token-rejected'],
    ['keep-alive 500', { call: 'keep-alive', status: 500 }, 'api-other', 'unavailable'],
    // Every other call.
    ['200 of the right shape', { call: 'api', status: 200, bodyValid: true }, 'api-2xx', 'ok'],
    ['204 (no body expected)', { call: 'api', status: 204 }, 'api-2xx', 'ok'],
    ['200 HTML, truncated, wrong types, null', { call: 'api', status: 200, bodyValid: false }, 'api-2xx-garbled', 'unavailable'],
    ['201 without a plan id', { call: 'api', status: 201, bodyValid: false }, 'api-2xx-garbled', 'unavailable'],
    ['401 with a token Jamf Pro issued', { call: 'api', status: 401 }, 'api-401-first', 'token-rejected'],
    ['401 again with a fresh token', { call: 'api', status: 401, tokenRenewed: true }, 'api-401-again', 'unavailable'],
    ['403', { call: 'api', status: 403 }, 'api-403', 'privilege-missing'],
    ['404', { call: 'api', status: 404 }, 'api-404', 'not-found'],
    ['409', { call: 'api', status: 409 }, 'api-409', 'conflict'],
    ['408', { call: 'api', status: 408 }, 'api-408-429', 'unavailable'],
    ['429', { call: 'api', status: 429 }, 'api-408-429', 'unavailable'],
    ['400 INVALID_FIELD', { call: 'api', status: 400 }, 'api-4xx', 'request-refused'],
    ['500', { call: 'api', status: 500 }, 'api-other', 'unavailable'],
    ['502', { call: 'api', status: 502 }, 'api-other', 'unavailable'],
    ['503', { call: 'api', status: 503 }, 'api-other', 'unavailable'],
    ['504', { call: 'api', status: 504 }, 'api-other', 'unavailable'],
    ['301 redirect', { call: 'api', status: 301 }, 'api-other', 'unavailable'],
  ])('%s → %s (%s)', (_name, facts, row, verdict) => {
    const found = classifyResponse(facts);
    expect(found.id).toBe(row);
    expect(found.verdict).toBe(verdict);
  });

  test('only two rows pause a credential, and both are answers to the token request itself', () => {
    const pausing = REFUSAL_TABLE.filter((r) => r.verdict === 'credential-rejected').map((r) => r.id);
    expect(pausing).toEqual(['token-401', 'oauth-400-invalid-client']);
    for (const call of ['keep-alive', 'invalidate', 'api'] as const) {
      for (let status = 100; status < 600; status++) {
        for (const tokenRenewed of [false, true]) {
          for (const bodyValid of [false, true]) {
            expect(classifyResponse({ call, status, tokenRenewed, bodyValid, oauthError: 'invalid_client' }).verdict).not.toBe('credential-rejected');
          }
        }
      }
    }
  });

  test('every status to every call has a row (the last one catches all)', () => {
    for (const call of ['client-token', 'account-token', 'keep-alive', 'invalidate', 'api'] as const) {
      for (let status = 100; status < 600; status++) expect(REFUSAL_TABLE).toContain(classifyResponse({ call, status }));
    }
  });

  test('row ids are unique and every row says when it applies', () => {
    expect(new Set(REFUSAL_TABLE.map((r) => r.id)).size).toBe(REFUSAL_TABLE.length);
    for (const r of REFUSAL_TABLE) expect(r.when.length).toBeGreaterThan(10);
  });
});

describe('classifyConnectionFailure: below HTTP is always "unavailable", never a pause', () => {
  test.each([
    // code, repeated within the run (for idempotent calls), TLS
    ['ECONNRESET', true, false],
    ['ECONNREFUSED', true, false],
    ['UND_ERR_SOCKET', true, false],
    ['timeout', true, false],
    ['UND_ERR_HEADERS_TIMEOUT', true, false],
    ['UND_ERR_BODY_TIMEOUT', true, false],
    ['ENOTFOUND', false, false],
    ['EHOSTUNREACH', false, false],
    ['UND_ERR_CONNECT_TIMEOUT', false, false],
    ['CERT_HAS_EXPIRED', false, true],
    ['ERR_TLS_CERT_ALTNAME_INVALID', false, true],
    ['SELF_SIGNED_CERT_IN_CHAIN', false, true],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', false, true],
    ['unknown', false, false],
  ] as const)('%s → retried in the run: %s, TLS: %s', (code, retryInRun, tls) => {
    expect(classifyConnectionFailure(code)).toEqual({ verdict: 'unavailable', retryInRun, tls });
  });
});
