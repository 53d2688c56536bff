import { z } from 'zod';
import { base64Schema, decodeBytes, encodeBytes } from '../bytes';
import { OutpostError } from '../errors';
import { docIdSchema, uuidSchema } from '../ids';

/**
 * A "have" file: what a notebook holds, per document, as Yjs snapshots (state vector + deletions).
 * A peer behind a one-way link exports it; the sender then writes a bundle with only what is
 * missing. It names documents by id and holds no content.
 */
export const HAVE_FILE_KIND = 'outpost-have';
export const HAVE_FILE_VERSION = 1;

const haveFileSchema = z.strictObject({
  kind: z.literal(HAVE_FILE_KIND),
  version: z.literal(HAVE_FILE_VERSION, { error: 'This "have" file was made by a newer Outpost' }),
  deviceId: uuidSchema,
  deviceName: z.string().max(120),
  notebookId: uuidSchema,
  createdAt: z.string().max(40),
  docs: z.record(docIdSchema, base64Schema).refine((docs) => Object.keys(docs).length <= 1_000_000, 'Too many documents'),
});

export interface HaveFile {
  deviceId: string;
  deviceName: string;
  notebookId: string;
  createdAt: string;
  /** Yjs snapshot (`Y.encodeSnapshot`) per document id. */
  docs: Map<string, Uint8Array>;
}

export function encodeHaveFile(have: HaveFile): string {
  const docs: Record<string, string> = {};
  for (const [docId, snapshot] of have.docs) docs[docId] = encodeBytes(snapshot);
  return `${JSON.stringify({
    kind: HAVE_FILE_KIND,
    version: HAVE_FILE_VERSION,
    deviceId: have.deviceId,
    deviceName: have.deviceName,
    notebookId: have.notebookId,
    createdAt: have.createdAt,
    docs,
  })}\n`;
}

export function decodeHaveFile(text: string): HaveFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new OutpostError('invalid_request', 'This is not an Outpost "have" file (it is not JSON)');
  }
  const parsed = haveFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OutpostError(
      'invalid_request',
      `This is not a valid Outpost "have" file: ${issue?.path.join('.') || 'file'}: ${issue?.message}`,
    );
  }
  const { deviceId, deviceName, notebookId, createdAt } = parsed.data;
  return {
    deviceId,
    deviceName,
    notebookId,
    createdAt,
    docs: new Map(Object.entries(parsed.data.docs).map(([id, b]) => [id, decodeBytes(b)])),
  };
}
