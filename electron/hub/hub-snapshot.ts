import type http from 'node:http';
import type { Hocuspocus } from '@hocuspocus/server';
import * as Y from 'yjs';
import { encodeBytes } from '../../shared/bytes';
import { parseHubDocName } from '../../shared/hub/auth';
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
  const docs = (await hub.store.engagementDocuments(engagementId)).flatMap(({ name, state }) => {
    const parsed = parseHubDocName(name);
    if (!parsed) return [];
    // A document loaded here may hold changes not stored yet: they go with it.
    const live = hub.hocuspocus.documents.get(name);
    const merged = live && !live.isLoading ? Y.mergeUpdates([state, Y.encodeStateAsUpdate(live)]) : state;
    return [{ docId: parsed.docId, state: encodeBytes(merged) }];
  });
  reply(200, { docs });
}
