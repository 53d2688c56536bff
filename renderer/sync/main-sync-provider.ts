import type * as Y from 'yjs';
import { decodeBytes, encodeBytes } from '../../shared/bytes';
import { encodeSyncStep1, encodeSyncUpdate, handleSyncMessage } from '../../shared/sync/messages';
import type { ApiClient } from '../api/client';

export type SyncState = 'syncing' | 'saved' | 'saving' | 'offline';

/**
 * Keeps one renderer replica in sync with the main process's copy of the document, using Yjs'
 * sync protocol over the API contract: on (re)connect it exchanges state vectors and the missing
 * updates both ways; after that each local update is sent as it happens and each remote one
 * arrives as an event. If a send fails (host gone), nothing is lost: the replica keeps the update
 * (and y-indexeddb keeps the replica), and the next handshake sends it.
 */
export class MainSyncProvider {
  private state: SyncState = 'syncing';
  private inFlight = 0;
  private failed = false;
  private readonly listeners = new Set<(state: SyncState) => void>();
  private readonly disposers: Array<() => void> = [];
  private destroyed = false;
  private started = false;

  constructor(
    private readonly doc: Y.Doc,
    private readonly docId: string,
    private readonly api: ApiClient,
    /** The handshake waits for this (the local IndexedDB copy), so it carries only the difference. */
    ready: Promise<unknown> = Promise.resolve(),
  ) {
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      // Before the handshake (the local copy still loading from IndexedDB) nothing is sent one
      // update at a time: the handshake exchanges whatever either side lacks, once.
      if (origin !== this && this.started) void this.send(encodeSyncUpdate(update));
    };
    doc.on('update', onUpdate);
    this.disposers.push(() => doc.off('update', onUpdate));
    this.disposers.push(
      api.on('sync.message', ({ docId, message }) => {
        if (docId === this.docId) this.receive(decodeBytes(message));
      }),
    );
    this.disposers.push(
      api.onStatus((status) => {
        if (status !== 'online') this.setState('offline');
        else if (this.started) void this.handshake();
      }),
    );
    void ready.then(() => {
      this.started = true;
      return this.handshake();
    });
  }

  get syncState(): SyncState {
    return this.state;
  }

  onState(listener: (state: SyncState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const dispose of this.disposers) dispose();
    void this.api.call('sync.close', { docId: this.docId }).catch(() => {});
  }

  private async handshake(): Promise<void> {
    this.setState('syncing');
    this.failed = false;
    if (await this.send(encodeSyncStep1(this.doc))) this.settle();
  }

  /** Sends one message and handles its replies; false when it could not be delivered. */
  private async send(message: Uint8Array): Promise<boolean> {
    if (this.destroyed) return false;
    this.inFlight++;
    if (this.state === 'saved') this.setState('saving');
    try {
      const { replies } = await this.api.call('sync.message', { docId: this.docId, message: encodeBytes(message) });
      for (const reply of replies) this.receive(decodeBytes(reply));
      return true;
    } catch {
      this.failed = true;
      this.setState('offline');
      return false;
    } finally {
      this.inFlight--;
      this.settle();
    }
  }

  private receive(message: Uint8Array): void {
    if (this.destroyed) return;
    const { reply } = handleSyncMessage(this.doc, message, this);
    // The main process asked for what it lacks (its step 1): answer with our step 2.
    if (reply) void this.send(reply);
  }

  private settle(): void {
    if (this.inFlight === 0 && !this.failed && this.state !== 'offline') this.setState('saved');
  }

  private setState(state: SyncState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}
