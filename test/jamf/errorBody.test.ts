import { summariseErrorBody } from '../../daemon/jamf/errorBody';
import { describeConnectionFailure } from '../../daemon/jamf/connectionFailure';
import { apiError } from './helpers';

describe('summariseErrorBody', () => {
  test.each([
    ['pretty-printed CRLF ApiError', apiError(404, [{ code: 'NOT_FOUND', description: 'JCDS Settings record not found' }]), 'NOT_FOUND JCDS Settings record not found'],
    ['ApiError with no causes', '{"httpStatus":401,"errors":[]}', ''],
    ['more than three causes', apiError(400, ['a', 'b', 'c', 'd', 'e'].map((f) => ({ code: 'INVALID_FIELD', description: 'bad', field: f }))),
      'INVALID_FIELD a bad; INVALID_FIELD b bad; INVALID_FIELD c bad (and 2 more)'],
    ['OAuth error', '{"error":"invalid_scope","error_description":"api-role:9"}', 'invalid_scope: api-role:9'],
    ['Classic HTML status page', [
      '<html>', '<head>', '   <title>Status page</title>', '</head>', '<body style="font-family: sans-serif;">',
      '<p style="font-size: 1.2em;font-weight: bold;margin: 1em 0px;">Conflict</p>', '<p>Error: Duplicate UDID</p>',
      '<p>You can get technical details <a href="http://www.w3.org/">here</a>.<br>', 'Please continue your visit at our <a href="/">home page</a>.', '</p>', '</body>', '</html>',
    ].join('\n'), 'Conflict: Error: Duplicate UDID'],
    ['plain text', '\n  upstream connect error\nmore', 'upstream connect error'],
    ['empty', '   ', ''],
  ])('%s', (_name, body, summary) => {
    expect(summariseErrorBody(body)).toBe(summary);
  });

  test('long text is clipped', () => {
    expect(summariseErrorBody('x'.repeat(1000))).toHaveLength(300);
  });
});

describe('describeConnectionFailure', () => {
  test.each([
    [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'ECONNRESET', true],
    [Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), 'UND_ERR_SOCKET', true],
    [new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], 'connect failed'), 'ECONNREFUSED', true],
    [Object.assign(new Error('wrapped'), { cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) }), 'ENOTFOUND', false],
    [Object.assign(new Error('Hostname/IP does not match'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), 'ERR_TLS_CERT_ALTNAME_INVALID', false],
    [Object.assign(new Error('weird'), { code: 'EWEIRD' }), 'EWEIRD', false],
    [new Error('no code at all'), 'unknown', false],
  ])('%s → %s (transient %s)', (error, code, transient) => {
    const failure = describeConnectionFailure(error);
    expect(failure.code).toBe(code);
    expect(failure.transient).toBe(transient);
    expect(failure.description).not.toBe('');
  });
});
