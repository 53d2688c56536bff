import crypto from 'node:crypto';
import { acceptableSignatureInputs } from '../../shared/sync/bundle-crypto';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the 32 key bytes follow. */
const ED25519_SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/**
 * `verify` (shared/sync/bundle-crypto.ts) with the hashing done by the platform's OpenSSL: a
 * bundle's signature covers the whole file, tens of megabytes of SHA-512 that the portable
 * implementation hashes several times slower. The same pre-checks refuse small-order keys;
 * OpenSSL verifies RFC 8032 strictly (canonical S). Never throws.
 */
export function nativeVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!acceptableSignatureInputs(signature, publicKey)) return false;
  try {
    const spki = new Uint8Array(ED25519_SPKI_PREFIX.length + publicKey.length);
    spki.set(ED25519_SPKI_PREFIX);
    spki.set(publicKey, ED25519_SPKI_PREFIX.length);
    const key = crypto.createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    return crypto.verify(null, message, key, signature);
  } catch {
    return false;
  }
}
