import { z } from 'zod';
import { base64Schema, decodeBytes } from '../bytes';
import { OutpostError } from '../errors';
import { teamKeyId } from './bundle-crypto';

/**
 * The team key file `outpost key create` writes (electron/sync/secret-files.ts): JSON naming a
 * random 32-byte key and its id. Read here too, so the renderer can load one the user picks
 * without the file ever reaching the main process.
 */
export const teamKeyFileSchema = z.strictObject({
  kind: z.literal('outpost-team-key'),
  version: z.literal(1),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  key: base64Schema,
  createdAt: z.string(),
});

export const MAX_TEAM_KEY_FILE_BYTES = 64 * 1024;

/** The key (base64, as the contract carries it) and its id; refuses anything else or a damaged file. */
export function parseTeamKeyFile(text: string): { key: string; keyId: string } {
  let parsed: z.infer<typeof teamKeyFileSchema>;
  try {
    parsed = teamKeyFileSchema.parse(JSON.parse(text));
  } catch {
    throw new OutpostError('invalid_request', 'This is not an Outpost team key file (made by `outpost key create`)');
  }
  const key = decodeBytes(parsed.key);
  if (key.length !== 32 || teamKeyId(key) !== parsed.keyId) throw new OutpostError('invalid_request', 'This team key file is damaged');
  return { key: parsed.key, keyId: parsed.keyId };
}
