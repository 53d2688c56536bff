import { HocuspocusProvider } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { type HubEditor, hubEditorSchema } from '../../shared/sync/hub-calls';
import type { HubSession } from './hub-session';

/** An attached document stays attached this long after its last change, in case more follow. */
export const LINK_IDLE_MS = 20_000;
const FORCE_SYNC_MS = 10_000;

/**
 * One document's link to the hub while it is being synced: a replica Y.Doc (what this notebook
 * has sent or received through the hub) and its Hocuspocus provider on the shared socket.
 * Changes arriving from the hub are handed to `onRemote` (the notebook imports them); local
 * changes are merged into the replica, and the provider sends them.
 */
export class HubDocLink {
  readonly replica = new Y.Doc({ gc: true });
  readonly provider: HocuspocusProvider;
  private idle: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;
  /**
   * Local changes made before the first sync completed: held back, because an update the provider
   * sends before the hub has authenticated the document can leave that document's authentication
   * unanswered (seen with Hocuspocus 4); merged into the replica (and so sent) once synced.
   */
  private held: Uint8Array[] = [];
  /** A window of this notebook has the document open in its editor: it stays attached, and says so. */
  private editing = false;

  constructor(
    session: HubSession,
    readonly name: string,
    readonly docId: string,
    initial: Uint8Array | null,
    private readonly handlers: {
      onRemote: (docId: string, update: Uint8Array) => void;
      onSettled: (link: HubDocLink) => void;
      onRefused: (link: HubDocLink, reason: string) => void;
      onIdle: (link: HubDocLink) => void;
      /** Who else edits the document changed (awareness). */
      onEditors?: (link: HubDocLink) => void;
    },
    private readonly keepAttached = false,
  ) {
    if (initial) Y.applyUpdate(this.replica, initial, 'local');
    this.provider = new HocuspocusProvider({
      websocketProvider: session.socket,
      name,
      document: this.replica,
      token: session.token,
      // A full state-vector exchange now and then: a change a hub instance missed (its Redis away,
      // a restart) is sent again without waiting for a reconnect.
      forceSyncInterval: FORCE_SYNC_MS,
      onAuthenticationFailed: ({ reason }) => handlers.onRefused(this, reason),
      onSynced: () => {
        const held = this.held.splice(0);
        if (held.length) Y.applyUpdate(this.replica, Y.mergeUpdates(held), 'local');
        handlers.onSettled(this);
        this.touch(handlers.onIdle);
      },
      onUnsyncedChanges: ({ number }) => {
        if (number === 0) handlers.onSettled(this);
      },
    });
    // A document only synced in the background says nothing of itself (setEditing says it is open).
    this.provider.awareness?.setLocalState(null);
    this.provider.awareness?.on('change', () => handlers.onEditors?.(this));
    this.replica.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this.provider) return;
      handlers.onRemote(docId, update);
      this.touch(handlers.onIdle);
    });
    this.provider.attach();
  }

  /** Settled: everything sent was acknowledged and the first sync is done. */
  get settled(): boolean {
    return this.provider.isSynced && !this.provider.hasUnsyncedChanges && !this.held.length;
  }

  /** Something here waits for the hub: local changes not acknowledged, or the first sync not done. */
  get pending(): boolean {
    return this.held.length > 0 || this.provider.hasUnsyncedChanges || (!this.provider.isSynced && !this.keepAttached);
  }

  /** Merges what this notebook has beyond the replica into it: the provider sends it. */
  push(update: Uint8Array, onIdle: (link: HubDocLink) => void): void {
    if (this.destroyed) return;
    if (this.provider.isSynced) Y.applyUpdate(this.replica, update, 'local');
    else this.held.push(update);
    this.touch(onIdle);
  }

  /**
   * Tells the hub's other clients whether this notebook has the document open in an editor. Only
   * the flag is sent: the hub adds the device it verified (name, key), so nobody can claim another's.
   */
  setEditing(editing: boolean): void {
    if (this.destroyed || editing === this.editing) return;
    this.editing = editing;
    this.provider.awareness?.setLocalState({ editing });
    this.touch(this.handlers.onIdle);
  }

  /** The other devices with this document open now, as the hub named them (malformed states are skipped). */
  editors(): HubEditor[] {
    const awareness = this.provider.awareness;
    if (!awareness || this.destroyed) return [];
    const editors = new Map<string, HubEditor>();
    for (const [client, state] of awareness.getStates()) {
      if (client === awareness.clientID || (state as { editing?: unknown }).editing !== true) continue;
      const device = hubEditorSchema.safeParse((state as { device?: unknown }).device);
      if (device.success) editors.set(device.data.deviceId, device.data);
    }
    return [...editors.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  stateVector(): Uint8Array {
    return Y.encodeStateVector(this.replica);
  }

  private touch(onIdle: (link: HubDocLink) => void): void {
    if (this.keepAttached || this.editing || this.destroyed) return;
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      if (this.settled) onIdle(this);
      else this.touch(onIdle);
    }, LINK_IDLE_MS);
    this.idle.unref?.();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.idle) clearTimeout(this.idle);
    this.provider.destroy();
    this.replica.destroy();
  }
}

/** An update that adds nothing (no structs, no deletions) encodes as two zero bytes. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length <= 2 && update.every((b) => b === 0);
}
