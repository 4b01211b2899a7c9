import { REDACTED, SecretRegistry } from '../../daemon/log';

describe('SecretRegistry', () => {
  test('ignores what is not a usable secret', () => {
    const registry = new SecretRegistry();
    for (const value of [undefined, null, 42, {}, '', 'abc', 'REDACTED', 'DACT', '][RE']) registry.registerSecret(value);
    expect(registry.size).toBe(0);
    expect(registry.mask('abc REDACTED 42')).toBe('abc REDACTED 42');
  });

  test('counts each secret once', () => {
    const registry = new SecretRegistry();
    registry.registerSecret('hunter22');
    registry.registerSecret('hunter22');
    registry.registerSecret('abcd');
    expect(registry.size).toBe(2);
  });

  const secret = 'Zr8!q/W+x=Kp2?s&t~Qm "quoted" \\';
  test.each([
    ['raw', secret],
    ['base64', Buffer.from(secret).toString('base64')],
    ['base64 without padding', Buffer.from(secret).toString('base64').replace(/=+$/, '')],
    ['base64url', Buffer.from(secret).toString('base64url')],
    ['URL-encoded', encodeURIComponent(secret)],
    ['URL-encoded, lower-case hex', encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())],
    ['form-encoded', new URLSearchParams({ v: secret }).toString().slice(2)],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
  ])('masks the %s form', (_name, form) => {
    const registry = new SecretRegistry();
    registry.registerSecret(secret);
    expect(registry.mask(`before ${form} after ${form}`)).toBe(`before ${REDACTED} after ${REDACTED}`);
  });

  test.each([0, 1, 2, 3, 4, 5])('masks the secret inside Basic credentials after a %i-byte client id', (idLength) => {
    const registry = new SecretRegistry();
    registry.registerSecret(secret);
    const clientId = 'c'.repeat(idLength);
    const credentials = Buffer.from(`${clientId}:${secret}`).toString('base64');
    const masked = registry.mask(`Basic ${credentials}`);
    expect(masked).toContain(REDACTED);
    // What is left is the client id's characters and at most a few boundary characters.
    const left = masked.replace('Basic ', '').replace(REDACTED, '');
    expect(left.length).toBeLessThanOrEqual(Math.ceil(((idLength + 1) * 8) / 6) + 4);
  });

  test('a longer secret that contains a shorter one is masked whole', () => {
    const registry = new SecretRegistry();
    registry.registerSecret('pass');
    registry.registerSecret('password-1234');
    expect(registry.mask('password-1234 / pass')).toBe(`${REDACTED} / ${REDACTED}`);
  });

  test('a secret that the marker and the following text would form again is masked again', () => {
    const registry = new SecretRegistry();
    registry.registerSecret('D]ab');
    const masked = registry.mask('D]ababababab');
    expect(masked).not.toContain('D]ab');
  });

  test('secrets are case-sensitive', () => {
    const registry = new SecretRegistry();
    registry.registerSecret('Hunter2Hunter2');
    expect(registry.mask('hunter2hunter2')).toBe('hunter2hunter2');
  });
});
