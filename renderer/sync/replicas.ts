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
  /** Set while no view holds the replica: when it fires, the replica is closed. */
  closing?: ReturnType<typeof setTimeout>;
}

/**
 * How long a replica no view holds stays open. Going from one tab of an engagement to another
 * unmounts the first view before the second mounts: without this the engagement's doc was closed
 * and loaded again from IndexedDB and the host (about 0.3 s for a 1,000-system map, 1 s on the
 * first open of a session). Meanwhile it keeps syncing like any open replica.
 */
export const REPLICA_LINGER_MS = 30_000;

/**
 * The renderer's open documents. Each is a Y.Doc persisted at once to IndexedDB (so a crash of
 * the host or the tab loses nothing typed) and synced with the main process. Replicas are shared
 * by reference count between the views that show the same document, and closed a while after the
 * last view releases one (`lingerMs`), unless a view acquires it again meanwhile.
 */
export class ReplicaPool {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly api: ApiClient,
    /** Prefix of IndexedDB names: one notebook's replicas never mix with another's. */
    private readonly namespace: string,
    private readonly lingerMs = REPLICA_LINGER_MS,
  ) {}

  acquire(docId: string): Replica {
    const existing = this.entries.get(docId);
    if (existing) {
      clearTimeout(existing.closing);
      existing.closing = undefined;
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
    if (!entry || entry.refs === 0 || --entry.refs > 0) return;
    entry.closing = setTimeout(() => this.close(docId, entry), this.lingerMs);
  }

  /** Closes every replica now, held or not. */
  destroy(): void {
    for (const [docId, entry] of [...this.entries]) this.close(docId, entry);
  }

  private close(docId: string, entry: Entry): void {
    clearTimeout(entry.closing);
    if (this.entries.get(docId) !== entry) return;
    this.entries.delete(docId);
    entry.replica.provider.destroy();
    void entry.persistence.destroy().then(() => entry.replica.doc.destroy());
  }
}
