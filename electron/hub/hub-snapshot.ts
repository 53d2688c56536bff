import type http from 'node:http';
import type { Hocuspocus } from '@hocuspocus/server';
import * as Y from 'yjs';
import { encodeBytes } from '../../shared/bytes';
import { HUB_INDEX_DOC, hubDocName, parseHubDocName } from '../../shared/hub/auth';
import { indexAuthorsMap, readIndexDocs } from '../../shared/hub/index-doc';
import { uuidSchema } from '../../shared/ids';
import type { HubGate } from './hub-gate';
import type { HubStore } from './hub-store';

/** `GET /snapshot/<engagementId>` with `Authorization: Outpost <device token>`. */
export const SNAPSHOT_PATH = '/snapshot/';

/**
 * Every document of an engagement in one answer, for a laptop joining it: one request and one
 * import instead of a provider, an authentication and a sync per document. Same token and
 * membership as a document; the hub only ever holds documents under its ceiling. What changed
 * since (or is only in memory, not stored yet) arrives through the documents' providers after.
 */
export async function sendSnapshot(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  hub: { store: HubStore; gate: HubGate; hocuspocus: Hocuspocus },
): Promise<void> {
  const engagementId = (req.url ?? '').slice(SNAPSHOT_PATH.length).split('?')[0] ?? '';
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
  };
  if (!uuidSchema.safeParse(engagementId).success) return reply(400, { error: 'Not an engagement id' });
  const token = (req.headers.authorization ?? '').replace(/^Outpost /, '');
  try {
    await hub.gate.admit(token, engagementId, `snapshot ${engagementId}`);
  } catch (refused) {
    return reply(403, { error: (refused as { reason?: string }).reason ?? 'Refused' });
  }
  // Who wrote what, from the engagement's index: a laptop joining attributes the documents before
  // its copy of the index has even arrived.
  const index = await loadIndex(hub, engagementId);
  const entries = readIndexDocs(index);
  const authors = [...indexAuthorsMap(index).values()];
  index.destroy();
  const docs = (await hub.store.engagementDocuments(engagementId)).flatMap(({ name, state }) => {
    const parsed = parseHubDocName(name);
    if (!parsed) return [];
    // A document loaded here may hold changes not stored yet: they go with it.
    const live = hub.hocuspocus.documents.get(name);
    const merged = live && !live.isLoading ? Y.mergeUpdates([state, Y.encodeStateAsUpdate(live)]) : state;
    const by = entries.get(parsed.docId)?.by;
    return [{ docId: parsed.docId, state: encodeBytes(merged), ...(by && { by }) }];
  });
  reply(200, { docs, authors });
}

/** The engagement's index as this instance has it (loaded) or the database holds it. */
async function loadIndex(hub: { store: HubStore; hocuspocus: Hocuspocus }, engagementId: string): Promise<Y.Doc> {
  const name = hubDocName(engagementId, HUB_INDEX_DOC);
  const doc = new Y.Doc();
  const live = hub.hocuspocus.documents.get(name);
  if (live && !live.isLoading) Y.applyUpdate(doc, Y.encodeStateAsUpdate(live));
  else {
    const stored = await hub.store.loadDocument(name).catch(() => null);
    if (stored) Y.applyUpdate(doc, stored);
  }
  return doc;
}
