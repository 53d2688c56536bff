import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { ApiClient } from '../api/client';
import { MainSyncProvider } from './main-sync-provider';

const LOCAL_LOAD_TIMEOUT_MS = 3_000;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Replica {
  docId: string;
  doc: Y.Doc;
  provider: MainSyncProvider;
  /** Resolves once the local IndexedDB copy is loaded into `doc`. */
  whenLoaded: Promise<void>;
}

interface Entry {
  replica: Replica;
  persistence: IndexeddbPersistence;
  refs: number;
}

/**
 * The renderer's open documents. Each is a Y.Doc persisted at once to IndexedDB (so a crash of
 * the host or the tab loses nothing typed) and synced with the main process. Replicas are shared
 * by reference count between the views that show the same document.
 */
export class ReplicaPool {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly api: ApiClient,
    /** Prefix of IndexedDB names: one notebook's replicas never mix with another's. */
    private readonly namespace: string,
  ) {}

  acquire(docId: string): Replica {
    const existing = this.entries.get(docId);
    if (existing) {
      existing.refs++;
      return existing.replica;
    }
    const doc = new Y.Doc();
    const persistence = new IndexeddbPersistence(`${this.namespace}/${docId}`, doc);
    // If IndexedDB is unavailable (a locked-down profile), sync with main without it after a while.
    const whenLoaded = Promise.race([persistence.whenSynced.then(() => undefined), delay(LOCAL_LOAD_TIMEOUT_MS)]);
    const provider = new MainSyncProvider(doc, docId, this.api, whenLoaded);
    const replica: Replica = { docId, doc, provider, whenLoaded };
    this.entries.set(docId, { replica, persistence, refs: 1 });
    return replica;
  }

  release(docId: string): void {
    const entry = this.entries.get(docId);
    if (!entry || --entry.refs > 0) return;
    this.entries.delete(docId);
    entry.replica.provider.destroy();
    void entry.persistence.destroy().then(() => entry.replica.doc.destroy());
  }

  destroy(): void {
    for (const docId of [...this.entries.keys()]) {
      const entry = this.entries.get(docId);
      if (entry) entry.refs = 1;
      this.release(docId);
    }
  }
}
