import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nativeVerify } from '../../../electron/sync/native-verify';
import { generateDeviceKeyPair, sign, verify } from '../../../shared/sync/bundle-crypto';

describe('native Ed25519 verification', () => {
  const keys = generateDeviceKeyPair();
  const other = generateDeviceKeyPair();
  const message = new TextEncoder().encode('header and ciphertext of a bundle');
  const signature = sign(message, keys.secretKey);

  it('accepts what the portable verifier accepts and refuses what it refuses', () => {
    expect(nativeVerify(signature, message, keys.publicKey)).toBe(true);
    expect(nativeVerify(signature, message, other.publicKey)).toBe(false);
    const altered = message.slice();
    altered[3] = (altered[3] ?? 0) ^ 1;
    expect(nativeVerify(signature, altered, keys.publicKey)).toBe(false);
    expect(nativeVerify(signature.slice(0, 63), message, keys.publicKey)).toBe(false);
    expect(nativeVerify(signature, message, keys.publicKey.slice(0, 31))).toBe(false);
  });

  it('refuses a small-order public key (the identity point) with a signature that would verify against it', () => {
    const identity = new Uint8Array(32);
    identity[0] = 1;
    // R = identity, S = 0 satisfies the verification equation for the identity key on any message.
    const forged = new Uint8Array(64);
    forged[0] = 1;
    expect(verify(forged, message, identity)).toBe(false);
    expect(nativeVerify(forged, message, identity)).toBe(false);
  });

  it('agrees with the portable verifier on random bit flips of signature, message and key', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (part, at, bit) => {
        const s = signature.slice();
        const m = message.slice();
        const k = keys.publicKey.slice();
        const target = [s, m, k][part] as Uint8Array;
        const i = at % target.length;
        target[i] = (target[i] ?? 0) ^ (1 << bit);
        expect(nativeVerify(s, m, k)).toBe(verify(s, m, k));
      }),
      { numRuns: 300 },
    );
  });
});
