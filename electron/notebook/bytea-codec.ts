import { types } from '@electric-sql/pglite';

/**
 * PGlite passes parameters and results as text, and its own bytea codec converts byte by byte
 * through arrays of strings (`Array.from(bytes).map(toString(16))` out, `parseInt` per byte in):
 * for the megabytes of Yjs updates a bundle import writes or an export reads, that was seconds
 * of the whole. Node's hex codec does the same conversion natively. Results are plain
 * Uint8Arrays that own their memory (not slices of Node's shared Buffer pool).
 */
export function serializeBytea(value: unknown): string {
  if (!(value instanceof Uint8Array)) throw new Error('Invalid input for bytea type');
  return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
}

export function parseBytea(text: string): Uint8Array {
  // Postgres sends bytea as `\x` followed by two hex digits per byte (bytea_output = hex).
  if (!text.startsWith('\\x')) throw new Error('Unexpected bytea text (expected hex output)');
  const out = new Uint8Array((text.length - 2) >>> 1);
  const written = Buffer.from(out.buffer).write(text.slice(2), 'hex');
  if (written !== out.length) throw new Error('Malformed bytea hex text');
  return out;
}

export const byteaCodec = {
  serializers: { [types.BYTEA]: serializeBytea },
  parsers: { [types.BYTEA]: parseBytea },
};
