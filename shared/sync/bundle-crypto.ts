import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import { deflateSync, Inflate } from 'fflate';
import { encodeUtf8 } from 'lib0/string';
import { OutpostError } from '../errors';

/**
 * The cryptographic and compression pieces of the `.outpost` bundle format (docs/bundle-format.md),
 * each a thin wrapper over an audited library (noble, fflate): no primitive is written here.
 * Pure: runs in Node and in the browser.
 */

export const KEY_BYTES = 32;
export const NONCE_BYTES = 24;
export const SALT_BYTES = 16;
export const TAG_BYTES = 16;
export const SIGNATURE_BYTES = 64;
export const PUBLIC_KEY_BYTES = 32;

export interface DeviceKeyPair {
  /** Ed25519 public key, 32 bytes. */
  publicKey: Uint8Array;
  /** Ed25519 secret key (the 32-byte seed). */
  secretKey: Uint8Array;
}

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** What a new passphrase bundle uses: about 128 MiB of memory and well under a second or two. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

/**
 * The scrypt settings this version agrees to run, for sealing and opening alike: N a power of two
 * in [2^10, 2^20], r in [1, 16], p in [1, 4], and at most 1 GiB of memory (128·N·r bytes). A
 * hostile header must not make us allocate gigabytes or spin for minutes, so these are checked
 * before scrypt runs.
 */
export const SCRYPT_BOUNDS = { minLogN: 10, maxLogN: 20, maxR: 16, maxP: 4, maxMemory: 2 ** 30 } as const;

/** Null when the settings are acceptable, else why not (one line, for a person). */
export function scryptParamsProblem(params: ScryptParams): string | null {
  const { N, r, p } = params;
  const { minLogN, maxLogN, maxR, maxP, maxMemory } = SCRYPT_BOUNDS;
  if (!Number.isSafeInteger(N) || N < 2 ** minLogN || N > 2 ** maxLogN || (N & (N - 1)) !== 0)
    return `scrypt N must be a power of two from 2^${minLogN} to 2^${maxLogN} (got ${N})`;
  if (!Number.isSafeInteger(r) || r < 1 || r > maxR) return `scrypt r must be from 1 to ${maxR} (got ${r})`;
  if (!Number.isSafeInteger(p) || p < 1 || p > maxP) return `scrypt p must be from 1 to ${maxP} (got ${p})`;
  if (128 * N * r > maxMemory) return `scrypt N·r needs ${(128 * N * r) / 2 ** 20} MiB, over the ${maxMemory / 2 ** 20} MiB limit`;
  return null;
}

/**
 * The 32-byte key for a passphrase: scrypt over the passphrase's UTF-8 bytes after Unicode NFKC
 * normalization (so "é" typed on two keyboards is the same passphrase). The caller checks the
 * parameters first (`scryptParamsProblem`). Async: yields to the event loop while it works.
 */
export async function passphraseKey(passphrase: string, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array> {
  const problem = scryptParamsProblem(params);
  if (problem) throw new OutpostError('invalid_request', `Refusing key-derivation settings: ${problem}`);
  const password = encodeUtf8(passphrase.normalize('NFKC'));
  const maxmem = 128 * params.r * (params.N + params.p + 1);
  return scryptAsync(password, salt, { N: params.N, r: params.r, p: params.p, dkLen: KEY_BYTES, maxmem, asyncTick: 20 });
}

export function generateDeviceKeyPair(): DeviceKeyPair {
  const { secretKey, publicKey } = ed25519.keygen();
  return { publicKey, secretKey };
}

/** The public key of a secret key, or null when the secret key is not 32 bytes. */
export function publicKeyOf(secretKey: Uint8Array): Uint8Array | null {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== KEY_BYTES) return null;
  return ed25519.getPublicKey(secretKey);
}

/**
 * A fingerprint people can read aloud and compare: SHA-256 of the public key, first 16 bytes, as
 * 8 groups of 4 hex digits ("ab12 cd34 …").
 */
export function keyFingerprint(publicKey: Uint8Array): string {
  const hex = bytesToHex(sha256(publicKey).subarray(0, 16));
  return hex.match(/.{4}/g)!.join(' ');
}

/** Names a team key without revealing it: the first 8 bytes of its SHA-256, as 16 hex digits. */
export function teamKeyId(key: Uint8Array): string {
  return bytesToHex(sha256(key).subarray(0, 8));
}

export function sha256Hex(data: Uint8Array): string {
  return bytesToHex(sha256(data));
}

export function sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return ed25519.sign(message, secretKey);
}

/**
 * Strict Ed25519 verification (RFC 8032 encodings, not ZIP-215; S < L), which also refuses public
 * keys of small order (with those, a "signature" proves nothing). Never throws: any malformed key
 * or signature is simply not valid.
 */
export function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!acceptableSignatureInputs(signature, publicKey)) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** A signature verifier with `verify`'s contract (the main process passes the platform's, hashing natively). */
export type SignatureVerifier = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;

/**
 * The checks every verifier makes before hashing: lengths, and a public key that decodes to a
 * point not of small order. Never throws.
 */
export function acceptableSignatureInputs(signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_BYTES || publicKey.length !== PUBLIC_KEY_BYTES) return false;
  try {
    return !ed25519.Point.fromBytes(publicKey, false).isSmallOrder();
  } catch {
    return false;
  }
}

export function randomNonce(): Uint8Array {
  return randomBytes(NONCE_BYTES);
}

export function randomSalt(): Uint8Array {
  return randomBytes(SALT_BYTES);
}

/** XChaCha20-Poly1305: ciphertext followed by its 16-byte tag. */
export function aeadSeal(key: Uint8Array, nonce: Uint8Array, associatedData: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return xchacha20poly1305(key, nonce, associatedData).encrypt(plaintext);
}

/** The plaintext, or null when the tag does not match (wrong key, or altered bytes). */
export function aeadOpen(key: Uint8Array, nonce: Uint8Array, associatedData: Uint8Array, sealed: Uint8Array): Uint8Array | null {
  try {
    return xchacha20poly1305(key, nonce, associatedData).decrypt(sealed);
  } catch {
    return null;
  }
}

/** Raw DEFLATE (RFC 1951). */
export function compress(data: Uint8Array): Uint8Array {
  return deflateSync(data, { level: 6 });
}

/** DEFLATE can expand at most about 1032:1; input is fed in pieces sized so one piece cannot overshoot the limit by much. */
const MAX_DEFLATE_RATIO = 1032;
const MIN_PIECE = 1024;
const MAX_PIECE = 64 * 1024;

export type InflateOutcome =
  | { ok: true; data: Uint8Array }
  | { ok: false; reason: 'too_large'; produced: number }
  | { ok: false; reason: 'damaged'; produced: number; message: string };

/**
 * Inflates raw DEFLATE data, stopping as soon as the output passes `limit` bytes: compressed input
 * is pushed in pieces no bigger than (what is left of the limit) / 1032, so the output held in
 * memory never exceeds the limit by more than about 1 MiB, however hostile the stream.
 */
export function inflateLimited(data: Uint8Array, limit: number): InflateOutcome {
  const chunks: Uint8Array[] = [];
  let produced = 0;
  let over = false;
  const inflater = new Inflate((chunk) => {
    if (over) return;
    produced += chunk.length;
    if (produced > limit) over = true;
    else if (chunk.length) chunks.push(chunk);
  });
  let offset = 0;
  try {
    do {
      const room = Math.max(0, limit - produced);
      const piece = Math.min(MAX_PIECE, Math.max(MIN_PIECE, Math.floor(room / MAX_DEFLATE_RATIO)));
      const end = Math.min(data.length, offset + piece);
      inflater.push(data.subarray(offset, end), end === data.length);
      offset = end;
      if (over) return { ok: false, reason: 'too_large', produced };
    } while (offset < data.length);
  } catch (error) {
    return { ok: false, reason: 'damaged', produced, message: error instanceof Error ? error.message : String(error) };
  }
  if (chunks.length === 1) return { ok: true, data: chunks[0]! };
  const out = new Uint8Array(produced);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return { ok: true, data: out };
}
