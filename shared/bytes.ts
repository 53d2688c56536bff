import { fromBase64, toBase64 } from 'lib0/buffer';
import { z } from 'zod';

/** Binary payloads (Yjs messages) travel as base64 inside JSON on every transport. */
export const MAX_BINARY_BYTES = 32 * 1024 * 1024;

export const base64Schema = z
  .string()
  .max(Math.ceil(MAX_BINARY_BYTES / 3) * 4, 'Binary payload too large')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Expected base64 data');

export function encodeBytes(bytes: Uint8Array): string {
  return toBase64(bytes);
}

export function decodeBytes(text: string): Uint8Array {
  return fromBase64(text);
}
