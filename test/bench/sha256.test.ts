import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sha256 } from '../../daemon/schedule/sha256';
import { stableFraction } from '../../daemon/schedule/heartbeatDue';

const reference = (text: string) => createHash('sha256').update(text).digest();

describe('the daemon\'s SHA-256 is node:crypto\'s', () => {
  test('FIPS 180-4 examples and the block boundaries', () => {
    expect(sha256('abc').toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256('').toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    for (const n of [55, 56, 57, 63, 64, 65, 119, 120, 128, 1000]) expect(sha256('a'.repeat(n))).toEqual(reference('a'.repeat(n)));
  });

  test('random text, ASCII and beyond', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(sha256(text)).toEqual(reference(text));
      }),
      { numRuns: 500 },
    );
  });

  test('stableFraction keeps the value it had with node:crypto (each Mac keeps its offsets)', () => {
    for (const seed of ['vm', 'vm:update-check', 'Jane’s MacBook Air', 'C02XK0ABJGH5:update-check']) {
      expect(stableFraction(seed)).toBe(reference(seed).readUInt32BE(0) / 0x1_0000_0000);
    }
  });
});
