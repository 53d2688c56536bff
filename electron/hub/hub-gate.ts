import type {
  beforeHandleAwarenessPayload,
  beforeSyncPayload,
  connectedPayload,
  Extension,
  Hocuspocus,
  onAuthenticatePayload,
  onChangePayload,
  onDisconnectPayload,
} from '@hocuspocus/server';
import * as Y from 'yjs';
import { encodeBytes } from '../../shared/bytes';
import { checkToken, HUB_INDEX_DOC, hubDocName, parseHubDocName } from '../../shared/hub/auth';
import { indexAuthorsMap, indexDocsMap } from '../../shared/hub/index-doc';
import { checkHubUpdate, type HubPolicy } from '../../shared/hub/update-check';
import type { HubStore } from './hub-store';

/** What the hub knows of a connection once it authenticated: the device, verified by its key. */
export interface HubContext {
  fingerprint: string;
  deviceId: string;
  name: string;
  engagementId: string;
}

/** Sync message types (y-protocols): step 2 and update carry changes; step 1 only asks. */
const SYNC_STEP_1 = 0;

/** Index writes for an engagement are gathered this long, then written in one transaction. */
const INDEX_FLUSH_MS = 30;
/** After the index could not be written (its database away), it is tried again this much later. */
const INDEX_RETRY_MS = 1000;

/**
 * This often, live connections are checked against the member list (a member removed meanwhile is
 * cut off) and loaded documents are refreshed from the database (`refreshFromStore`).
 */
const MEMBERSHIP_RECHECK_MS = 10_000;

/** A refusal Hocuspocus hands to the provider as the reason (`authenticationFailed`). */
function refusal(reason: string): { reason: string } {
  return { reason };
}

/**
 * Outpost's rules on top of Hocuspocus: who may open which document (device key, membership per
 * engagement), what the hub may hold (its classification ceiling; every incoming change is checked
 * before it is applied), and the per-engagement index documents it keeps (which documents exist,
 * their state vectors, and which device each Yjs client id belongs to). Refusals are logged and
 * end only the refused document's connection; everyone else is served on.
 */
export class HubGate implements Extension {
  readonly extensionName = 'outpost-gate';
  /** Runs before the database extension: a refused connection loads nothing. */
  readonly priority = 1000;
  private instance: Hocuspocus | null = null;
  private readonly pendingIndex = new Map<string, { docs: Map<string, { sv: string; by: string }>; authors: Map<number, HubContext> }>();
  private readonly indexTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly knownAuthors = new Map<string, Set<number>>();
  private readonly connections = new Map<
    object,
    {
      context: HubContext;
      documentName: string;
      close: () => void;
      /** The one awareness client id this connection speaks for (the first it used). */
      awarenessClient?: number;
    }
  >();
  private readonly recheck: ReturnType<typeof setInterval>;

  constructor(
    private readonly store: HubStore,
    private readonly policy: HubPolicy,
    private readonly now: () => number = Date.now,
  ) {
    this.recheck = setInterval(() => {
      void this.recheckMembers();
      void this.refreshFromStore();
    }, MEMBERSHIP_RECHECK_MS);
    this.recheck.unref();
  }

  async onConfigure({ instance }: { instance: Hocuspocus }): Promise<void> {
    this.instance = instance;
  }

  /** A device's token for an engagement (a document's, or a snapshot's): its context, or a refusal thrown. */
  async admit(tokenText: unknown, engagementId: string, what: string): Promise<HubContext> {
    const token = checkToken(tokenText, { publicKey: this.store.keys.publicKey, ...this.policy }, this.now());
    if (!token.ok) throw await this.refuse('refused', token.reason, null, what);
    let membership: Awaited<ReturnType<HubStore['membership']>>;
    try {
      membership = await this.store.membership(token.deviceFingerprint, engagementId);
    } catch {
      // The database is away (restarting): a transient refusal; the client asks again.
      throw refusal('The hub cannot check membership right now (its database is unavailable); try again shortly');
    }
    if (membership !== 'member') {
      const why =
        membership === 'revoked'
          ? `Device ${token.deviceFingerprint} was removed from this engagement on the hub`
          : `Device ${token.deviceFingerprint} is not a member of this engagement on the hub (ask the hub's admin: outpost hub members add)`;
      throw await this.refuse('refused', why, token.deviceFingerprint, what);
    }
    return { fingerprint: token.deviceFingerprint, deviceId: token.deviceId, name: token.name, engagementId };
  }

  async onAuthenticate(data: onAuthenticatePayload<HubContext>): Promise<Partial<HubContext>> {
    const name = parseHubDocName(data.documentName);
    if (!name) throw await this.refuse('refused', 'Not an Outpost document name', null, data.documentName);
    const context = await this.admit(data.token, name.engagementId, data.documentName);
    // The index is the hub's own: clients read it and never write it.
    if (name.docId === HUB_INDEX_DOC) data.connectionConfig.readOnly = true;
    return context;
  }

  async connected(data: connectedPayload<HubContext>): Promise<void> {
    const connection = data.connection;
    this.connections.set(connection, {
      context: data.context,
      documentName: data.documentName,
      close: () => connection.close({ code: 4403, reason: 'membership ended' }),
    });
  }

  /**
   * Awareness (who has a note open now) as the hub vouches for it: a connection speaks for one
   * awareness client only, and whatever it sends becomes `{ editing, device }` with the device the
   * hub verified by its key. Nothing else a client puts in its awareness state reaches the others,
   * and nobody can appear as another device. The index document carries no awareness.
   */
  async beforeHandleAwareness(data: beforeHandleAwarenessPayload<HubContext>): Promise<void> {
    // Relayed by another hub instance (through Redis): that instance rewrote it already.
    if (!data.connection) return;
    const entry = this.connections.get(data.connection);
    const name = parseHubDocName(data.documentName);
    if (!entry || !name || name.docId === HUB_INDEX_DOC) {
      data.states.clear();
      return;
    }
    for (const [client, state] of [...data.states]) {
      // Only states saying whether the note is open count. (Hocuspocus also decodes each update into
      // a scratch awareness whose own empty state is among these: it is dropped here too.)
      const editing = (state as { editing?: unknown } | null)?.editing;
      if (typeof editing === 'boolean' && entry.awarenessClient === undefined && !this.awarenessClaimed(client, data.documentName))
        entry.awarenessClient = client;
      if (typeof editing !== 'boolean' || client !== entry.awarenessClient) {
        data.states.delete(client);
        continue;
      }
      const { deviceId, name: deviceName, fingerprint } = entry.context;
      data.states.set(client, { editing, device: { deviceId, name: deviceName, fingerprint } });
    }
  }

  private awarenessClaimed(client: number, documentName: string): boolean {
    for (const entry of this.connections.values()) if (entry.documentName === documentName && entry.awarenessClient === client) return true;
    return false;
  }

  async onDisconnect(data: onDisconnectPayload<HubContext>): Promise<void> {
    for (const [connection, entry] of this.connections) {
      if (entry.context === data.context) this.connections.delete(connection);
    }
  }

  /** Every change a client sends is checked on a scratch copy before Hocuspocus applies it. */
  async beforeSync(data: beforeSyncPayload<HubContext>): Promise<void> {
    if (data.type === SYNC_STEP_1) return;
    const name = parseHubDocName(data.documentName);
    const context = data.context;
    if (!name || !context?.fingerprint) throw await this.refuse('refused', 'Unauthenticated change', null, data.documentName);
    const check = checkHubUpdate(name, data.document, data.payload, this.policy);
    if (!check.ok) throw await this.refuse('refused_update', check.reason, context.fingerprint, data.documentName);
    const known = this.knownAuthors.get(name.engagementId) ?? new Set<number>();
    this.knownAuthors.set(name.engagementId, known);
    const fresh = check.clients.filter((client) => !known.has(client));
    if (!fresh.length) return;
    for (const client of fresh) {
      known.add(client);
      this.queueIndex(name.engagementId).authors.set(client, context);
    }
    // A client id seen for the first time is in the index before the change is relayed: the
    // index's update goes out first, so receivers know whose change it is when it arrives.
    await this.flushIndex(name.engagementId);
  }

  /** A document changed (by a client of this instance): its entry in the engagement's index follows. */
  async onChange(data: onChangePayload<HubContext>): Promise<void> {
    const origin = data.transactionOrigin as { source?: string } | undefined;
    if (origin?.source !== 'connection') return;
    const name = parseHubDocName(data.documentName);
    if (!name || name.docId === HUB_INDEX_DOC) return;
    this.queueIndex(name.engagementId).docs.set(name.docId, {
      sv: encodeBytes(Y.encodeStateVector(data.document)),
      by: data.context?.deviceId ?? '',
    });
  }

  async onDestroy(): Promise<void> {
    clearInterval(this.recheck);
    for (const engagementId of [...this.indexTimers.keys()]) await this.flushIndex(engagementId);
  }

  private queueIndex(engagementId: string, delayMs = INDEX_FLUSH_MS) {
    let pending = this.pendingIndex.get(engagementId);
    if (!pending) {
      pending = { docs: new Map(), authors: new Map() };
      this.pendingIndex.set(engagementId, pending);
    }
    if (!this.indexTimers.has(engagementId))
      this.indexTimers.set(
        engagementId,
        setTimeout(() => void this.flushIndex(engagementId), delayMs),
      );
    return pending;
  }

  private async flushIndex(engagementId: string): Promise<void> {
    const timer = this.indexTimers.get(engagementId);
    if (timer) clearTimeout(timer);
    this.indexTimers.delete(engagementId);
    const pending = this.pendingIndex.get(engagementId);
    this.pendingIndex.delete(engagementId);
    if (!pending || !this.instance) return;
    const at = new Date(this.now()).toISOString();
    let written = false;
    try {
      const direct = await this.instance.openDirectConnection(hubDocName(engagementId, HUB_INDEX_DOC), {});
      await direct.transact((doc) => {
        const docs = indexDocsMap(doc);
        for (const [docId, entry] of pending.docs) {
          // A refresh from the database names no device: the entry keeps the last known author.
          const by = entry.by || (docs.get(docId) as { by?: string } | undefined)?.by;
          if (by) docs.set(docId, { sv: entry.sv, at, by });
        }
        const authors = indexAuthorsMap(doc);
        for (const [client, context] of pending.authors) {
          const key = String(client);
          // First come: a client id another device already sent stays that device's.
          if (!authors.has(key)) authors.set(key, { deviceId: context.deviceId, name: context.name, fingerprint: context.fingerprint });
        }
      });
      written = true;
      await direct.disconnect({ unloadImmediately: false });
    } catch (error) {
      await this.store.log('index_failed', (error as Error).message, null, hubDocName(engagementId, HUB_INDEX_DOC)).catch(() => {});
      if (written) return;
      // The index could not be loaded (its database away): keep what it owes and try again, or
      // clients would never learn of these documents. Entries queued since are newer and win.
      const queued = this.queueIndex(engagementId, INDEX_RETRY_MS);
      for (const [docId, entry] of pending.docs) if (!queued.docs.has(docId)) queued.docs.set(docId, entry);
      for (const [client, context] of pending.authors) if (!queued.authors.has(client)) queued.authors.set(client, context);
    }
  }

  private async recheckMembers(): Promise<void> {
    for (const [connection, entry] of this.connections) {
      const { fingerprint, engagementId } = entry.context;
      if ((await this.store.membership(fingerprint, engagementId).catch(() => 'member')) === 'member') continue;
      this.connections.delete(connection);
      await this.store.log('disconnected', 'Membership ended while connected', fingerprint, engagementId).catch(() => {});
      entry.close();
    }
  }

  /**
   * Brings every loaded document up to what the database holds. Each instance stores its copy
   * merged with the database's, so the database has every instance's changes; an instance that
   * missed some (its Redis away while another instance took them) gets them here, relays them to
   * its clients, and tells the index.
   */
  async refreshFromStore(): Promise<void> {
    if (!this.instance) return;
    for (const [documentName, document] of this.instance.documents) {
      const name = parseHubDocName(documentName);
      if (!name || name.docId === HUB_INDEX_DOC || document.isLoading) continue;
      const stored = await this.store.loadDocument(documentName).catch(() => null);
      if (!stored) continue;
      const before = Y.encodeStateVector(document);
      document.transact(() => Y.applyUpdate(document, stored), { source: 'local' });
      const after = Y.encodeStateVector(document);
      if (Buffer.compare(Buffer.from(before), Buffer.from(after)) !== 0)
        this.queueIndex(name.engagementId).docs.set(name.docId, { sv: encodeBytes(after), by: '' });
    }
  }

  /** Cuts off a device at once (after `outpost hub members remove` through the running hub). */
  async closeDevice(fingerprint: string): Promise<void> {
    for (const [connection, entry] of this.connections) {
      if (entry.context.fingerprint !== fingerprint) continue;
      if ((await this.store.membership(fingerprint, entry.context.engagementId)) === 'member') continue;
      this.connections.delete(connection);
      entry.close();
    }
  }

  private async refuse(event: string, reason: string, fingerprint: string | null, document: string): Promise<{ reason: string }> {
    await this.store.log(event, reason, fingerprint, document.slice(0, 120)).catch(() => {});
    return refusal(reason);
  }
}
