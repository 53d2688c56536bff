import type * as Y from 'yjs';
import type { EventName, EventPayload } from '../../shared/api/contract';
import { encodeBytes } from '../../shared/bytes';
import { encodeSyncStep1, encodeSyncUpdate, handleSyncMessage } from '../../shared/sync/messages';
import type { DocStore } from './doc-store';

/** A connected renderer (an Electron window or a browser tab). */
export interface Connection {
  id: string;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

/**
 * Serves the sync protocol for the main process's live documents: answers each connection's
 * messages, and forwards every update of a document to the other connections that have it open
 * (the update's origin is the connection it came from, so it is not echoed back).
 */
export class SyncHub {
  private readonly subscribers = new Map<string, Set<Connection>>();
  private readonly watched = new WeakSet<Y.Doc>();

  constructor(private readonly store: DocStore) {}

  async handle(connection: Connection, docId: string, message: Uint8Array): Promise<Uint8Array[]> {
    const doc = await this.store.open(docId);
    this.subscribe(connection, docId, doc);
    const { type, reply } = handleSyncMessage(doc, message, connection);
    const replies = reply ? [reply] : [];
    // Answer a replica's state vector with ours too, so it sends what we lack.
    if (type === 'step1') replies.push(encodeSyncStep1(doc));
    // Reply only once the replica's update is on disk: then it may treat it as saved.
    await this.store.flush(docId, { projections: false });
    return replies;
  }

  unsubscribe(connection: Connection, docId: string): void {
    this.subscribers.get(docId)?.delete(connection);
  }

  disconnect(connection: Connection): void {
    for (const connections of this.subscribers.values()) connections.delete(connection);
  }

  private subscribe(connection: Connection, docId: string, doc: Y.Doc): void {
    let connections = this.subscribers.get(docId);
    if (!connections) {
      connections = new Set();
      this.subscribers.set(docId, connections);
    }
    connections.add(connection);
    if (this.watched.has(doc)) return;
    this.watched.add(doc);
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      const targets = this.subscribers.get(docId);
      if (!targets?.size) return;
      const message = encodeBytes(encodeSyncUpdate(update));
      for (const target of targets) {
        if (target !== origin) target.emit('sync.message', { docId, message });
      }
    });
  }
}
