import * as Y from 'yjs';
import { z } from 'zod';
import { base64Schema, decodeBytes } from '../bytes';
import { uuidSchema } from '../ids';

/**
 * The per-engagement index document a hub keeps (`<engagementId>/index`), written by the hub only
 * (clients hold it read-only):
 *
 * - `docs`: for each document of the engagement the hub holds, its state vector as the hub last
 *   stored it, when, and which device's change it was. A client compares each state vector with
 *   its own copy to learn which documents it lacks something of, without opening all of them.
 * - `authors`: which device (id, name, key fingerprint) the hub saw sending each Yjs client id,
 *   first come: what arrives from the hub is attributed to the device that wrote it.
 */
export const indexEntrySchema = z.strictObject({
  sv: base64Schema.max(64 * 1024),
  at: z.string().max(40),
  by: uuidSchema,
});
export type HubIndexEntry = z.infer<typeof indexEntrySchema>;

export const hubAuthorSchema = z.strictObject({
  deviceId: uuidSchema,
  name: z.string().min(1).max(80),
  fingerprint: z.string().max(80),
});
export type HubAuthor = z.infer<typeof hubAuthorSchema>;

export function indexDocsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('docs');
}

export function indexAuthorsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('authors');
}

/** The index's documents, each with its decoded state vector; entries that fail their schema are skipped. */
export function readIndexDocs(doc: Y.Doc): Map<string, HubIndexEntry & { stateVector: Map<number, number> }> {
  const out = new Map<string, HubIndexEntry & { stateVector: Map<number, number> }>();
  for (const [docId, value] of indexDocsMap(doc)) {
    const parsed = indexEntrySchema.safeParse(value);
    if (!parsed.success) continue;
    try {
      out.set(docId, { ...parsed.data, stateVector: Y.decodeStateVector(decodeBytes(parsed.data.sv)) });
    } catch {
      // An unreadable state vector: the document is synced as if unknown.
    }
  }
  return out;
}

export function readAuthor(doc: Y.Doc, clientId: number): HubAuthor | null {
  const parsed = hubAuthorSchema.safeParse(indexAuthorsMap(doc).get(String(clientId)));
  return parsed.success ? parsed.data : null;
}

/** True when every change `theirs` counts is also in `mine` (state vectors: client id → next clock). */
export function stateVectorCovers(mine: Map<number, number>, theirs: Map<number, number>): boolean {
  for (const [client, clock] of theirs) if ((mine.get(client) ?? 0) < clock) return false;
  return true;
}

/** Every device the index names as an author, once each (entries failing their schema skipped). */
export function readAuthors(doc: Y.Doc): HubAuthor[] {
  const byDevice = new Map<string, HubAuthor>();
  for (const value of indexAuthorsMap(doc).values()) {
    const parsed = hubAuthorSchema.safeParse(value);
    if (parsed.success) byDevice.set(parsed.data.deviceId, parsed.data);
  }
  return [...byDevice.values()];
}
