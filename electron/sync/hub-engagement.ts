import * as Y from 'yjs';
import { z } from 'zod';
import { base64Schema, decodeBytes } from '../../shared/bytes';
import { isAtOrBelow, levelRank } from '../../shared/classification';
import { readEngagement } from '../../shared/engagements/doc';
import { OutpostError } from '../../shared/errors';
import { HUB_INDEX_DOC, hubDocName } from '../../shared/hub/auth';
import {
  type HubAuthor,
  type HubIndexEntry,
  hubAuthorSchema,
  readAuthor,
  readAuthors,
  readIndexDocs,
  stateVectorCovers,
} from '../../shared/hub/index-doc';
import { docIdFor, docIdSchema, newId, parseDocId } from '../../shared/ids';
import { readNoteMeta } from '../../shared/notes/doc';
import type { HubEditor } from '../../shared/sync/hub-calls';
import type { DocStore, ImportedDoc, IncomingUpdate } from '../docs/doc-store';
import type { Database } from '../notebook/database';
import type { ConflictStore } from './conflict-store';
import { HubDocLink, isEmptyUpdate } from './hub-doc-link';
import type { HubSession } from './hub-session';

/** At most this many documents are being attached (authenticated and first-synced) at once. */
const ATTACH_AT_ONCE = 48;
/** Changes arriving from the hub are imported together when they come this close. */
const IMPORT_GATHER_MS = 25;
/**
 * A document the hub refused is asked for again after this long: a refusal may be passing (the
 * hub's database restarting, a membership added since); one that stands costs a round trip.
 */
const RETRY_REFUSED_MS = 5_000;
/** More documents than this missing here: they come in one snapshot, not a provider each. */
const SNAPSHOT_FROM = 20;

const snapshotSchema = z.strictObject({
  docs: z.array(z.strictObject({ docId: z.string().max(100), state: base64Schema, by: z.string().max(100).optional() })).max(200_000),
  /** The index's authors (each checked on its own: one malformed entry is skipped, not the snapshot). */
  authors: z.array(z.unknown()).max(100_000).default([]),
});

type Facts =
  | { kind: 'note'; engagementId: string; classification: string; label: string }
  | { kind: 'engagement'; engagementId: string; ceiling: string; label: string };

export interface EngagementHubState {
  engagementId: string;
  /** Documents with changes not yet on the hub, or the hub's not yet here. */
  waiting: number;
  /** Notes marked above the hub's ceiling: never sent. */
  withheld: number;
  /** Documents the hub or this notebook refused, with why. */
  refused: Array<{ docId: string; reason: string }>;
  /** Documents received through the hub since the sync started. */
  received: number;
  /** Other devices the hub has seen writing to this engagement. */
  teammates: Array<{ name: string; fingerprint: string }>;
}

/**
 * One engagement synced through a hub. Its index document (read-only, written by the hub) tells
 * which documents the hub holds and their state vectors; a document whose state differs from this
 * notebook's is attached (a provider on the shared socket), synced both ways by Yjs' own state
 * vector exchange, and detached again when idle. The engagement document stays attached. What
 * arrives is imported like a bundle (same checks, attribution to its device, the field review);
 * what changes here is sent, except notes marked above the hub's ceiling, which never leave.
 */
export class EngagementHubSync {
  private index: HubDocLink;
  private readonly retryTimer: ReturnType<typeof setInterval>;
  private readonly links = new Map<string, HubDocLink>();
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly incoming = new Map<string, Uint8Array[]>();
  private importTimer: ReturnType<typeof setTimeout> | null = null;
  private importing: Promise<void> = Promise.resolve();
  private reconcileTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly withheld = new Set<string>();
  private readonly refused = new Map<string, { reason: string; at: number }>();
  /** How often each document was refused (a document synced since is forgotten here). */
  private readonly retried = new Map<string, number>();
  /** The documents that received something from the hub since the sync started. */
  private readonly receivedDocs = new Set<string>();
  private stopped = false;
  private snapshotTried = false;
  /**
   * Documents just imported from the hub: the notebook tells of them again once their projections
   * are written, which is not a local change to send back.
   */
  private readonly arrived = new Set<string>();
  /** Notes a window of this notebook has open in its editor: attached while they are, and announced. */
  private readonly editing = new Set<string>();
  private reconciling: Promise<void> | null = null;
  private reconcileAgain = false;
  /** When the latest import from the hub committed (performance.now()). */
  lastArrival = 0;

  constructor(
    readonly engagementId: string,
    private readonly session: HubSession,
    private readonly store: { db: Database; docs: DocStore; conflicts: ConflictStore; levels: () => readonly string[]; deviceId: string },
    private readonly onState: () => void,
    private readonly onEditors: (docId: string, editors: HubEditor[]) => void = () => {},
  ) {
    this.index = this.attachIndex();
    this.retryTimer = setInterval(() => this.retryRefused(), RETRY_REFUSED_MS);
    this.retryTimer.unref?.();
    // Joining (the engagement is not here yet): the snapshot is asked for at once, while the index
    // is still on its way. Comparisons with the index wait until it has landed.
    this.exclusive(async () => {
      if (!(await this.store.docs.exists(this.engagementDocId))) await this.joinFromSnapshot(null);
    });
  }

  private attachIndex(): HubDocLink {
    return new HubDocLink(
      this.session,
      hubDocName(this.engagementId, HUB_INDEX_DOC),
      HUB_INDEX_DOC,
      null,
      {
        onRemote: () => this.scheduleReconcile(),
        onSettled: () => this.scheduleReconcile(),
        onRefused: (_link, reason) => this.refuse(HUB_INDEX_DOC, reason),
        onIdle: () => {},
      },
      true,
    );
  }

  private refuse(docId: string, reason: string): void {
    this.retried.set(docId, (this.retried.get(docId) ?? 0) + 1);
    this.refused.set(docId, { reason, at: Date.now() });
    this.onState();
  }

  /** Asks again for what the hub refused a while ago. */
  private retryRefused(): void {
    if (this.stopped || !this.refused.size) return;
    // Backing off: 5 s, 10 s, 20 s … up to 5 minutes for a refusal that stands.
    const due = [...this.refused]
      .filter(([docId, r]) => Date.now() - r.at >= Math.min(RETRY_REFUSED_MS * 2 ** ((this.retried.get(docId) ?? 1) - 1), 300_000))
      .map(([docId]) => docId);
    for (const docId of due) this.refused.delete(docId);
    if (due.includes(HUB_INDEX_DOC)) {
      this.index.destroy();
      this.index = this.attachIndex();
    }
    for (const docId of due) if (docId !== HUB_INDEX_DOC) this.enqueue(docId);
    this.onState();
  }

  get engagementDocId(): string {
    return docIdFor('engagement', this.engagementId);
  }

  state(): EngagementHubState {
    // Waiting: changes not yet acknowledged by the hub, or documents not yet compared with it (a
    // link that is only offline, with nothing to send, is not waiting for anything).
    const unsettled = [...this.links.values()].filter((l) => l.pending).length;
    return {
      engagementId: this.engagementId,
      waiting: unsettled + this.queue.length + this.incoming.size,
      withheld: this.withheld.size,
      refused: [...this.refused].map(([docId, r]) => ({ docId, reason: r.reason })),
      received: this.receivedDocs.size,
      teammates: readAuthors(this.index.replica)
        .filter((a) => a.deviceId !== this.store.deviceId)
        .map((a) => ({ name: a.name, fingerprint: a.fingerprint }))
        .sort((a, b) => a.name.localeCompare(b.name))
        .slice(0, 200),
    };
  }

  /** A document of this notebook changed (typed, imported, created): send what the hub lacks. */
  async localChange(docId: string, typed = false): Promise<void> {
    if (this.stopped) return;
    if (!typed && this.arrived.delete(docId)) return;
    if (!(await this.mayLeave(docId))) return;
    const link = this.links.get(docId);
    if (!link) return this.enqueue(docId);
    const diff = await this.store.docs.diffSince(docId, link.stateVector());
    if (diff && !isEmptyUpdate(diff.update)) link.push(diff.update, (l) => this.detach(l));
    this.onState();
  }

  /**
   * A note is open in an editor here, or no longer is: the hub's other clients are told (awareness),
   * and the note stays attached meanwhile. Returns who else has it open now.
   */
  setEditing(docId: string, editing: boolean): HubEditor[] {
    if (editing) this.editing.add(docId);
    else this.editing.delete(docId);
    const link = this.links.get(docId);
    if (link) link.setEditing(editing);
    else if (editing) this.enqueue(docId);
    return link?.editors() ?? [];
  }

  /** Whether a document may be sent to this hub: notes marked above its ceiling never are. */
  private async mayLeave(docId: string): Promise<boolean> {
    if (parseDocId(docId).kind !== 'note') return true;
    const policy = this.session.policy;
    const classification = await this.store.docs.read(docId, (doc) => readNoteMeta(doc).classification);
    if (classification === null) return true;
    if (policy && isAtOrBelow(policy.levels, classification, policy.ceiling)) {
      this.withheld.delete(docId);
      return true;
    }
    // Re-marked above the ceiling (or the hub's ceiling is unknown yet): stop syncing it at once.
    this.withheld.add(docId);
    const link = this.links.get(docId);
    if (link) this.detach(link);
    this.onState();
    return false;
  }

  private scheduleReconcile(): void {
    if (this.reconcileTimer || this.stopped) return;
    this.reconcileTimer = setTimeout(() => {
      this.reconcileTimer = null;
      this.exclusive(() => this.reconcile());
    }, 40);
  }

  /**
   * Runs a comparison (or the first join) unless one is under way: one asked for meanwhile runs
   * after it (a snapshot import may take a while).
   */
  private exclusive(task: () => Promise<void>): void {
    if (this.reconciling) {
      this.reconcileAgain = true;
      return;
    }
    this.reconciling = task()
      .catch((error) => {
        this.refuse(HUB_INDEX_DOC, `Could not compare with the hub: ${(error as Error).message}`);
      })
      .finally(() => {
        this.reconciling = null;
        if (this.reconcileAgain) {
          this.reconcileAgain = false;
          this.scheduleReconcile();
        }
      });
  }

  /** Compares the hub's index with this notebook and attaches every document that differs. */
  private async reconcile(): Promise<void> {
    if (this.stopped) return;
    const entries = readIndexDocs(this.index.replica);
    if (!this.snapshotTried && entries.size > SNAPSHOT_FROM) {
      const present = await this.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM docs WHERE doc_id = ANY($1::text[])', [
        [...entries.keys()],
      ]);
      if (entries.size - (present.rows[0]?.n ?? 0) > SNAPSHOT_FROM) await this.joinFromSnapshot(entries);
    }
    const haveEngagement = await this.store.docs.exists(this.engagementDocId);
    // A notebook joining an engagement gets the engagement first: its notes are checked against it.
    if (!haveEngagement) {
      if (entries.has(this.engagementDocId)) this.enqueue(this.engagementDocId);
      return;
    }
    this.enqueue(this.engagementDocId);
    const notes = await this.store.db.query<{ doc_id: string; classification: string }>(
      'SELECT doc_id, classification FROM notes WHERE engagement_id = $1::uuid',
      [this.engagementId],
    );
    const local = new Map(notes.rows.map((r) => [r.doc_id, r.classification]));
    const ids = [...new Set([...local.keys(), ...[...entries.keys()].filter((id) => id.startsWith('note:'))])].filter(
      (id) => !this.links.has(id) && !this.queued.has(id) && !this.refused.has(id),
    );
    const vectors = await this.store.docs.stateVectors(ids.filter((id) => local.has(id)));
    const policy = this.session.policy;
    for (const docId of ids) {
      const hub = entries.get(docId);
      const mine = vectors.get(docId);
      const marking = local.get(docId);
      if (marking !== undefined && !(policy && isAtOrBelow(policy.levels, marking, policy.ceiling))) {
        this.withheld.add(docId);
        continue;
      }
      if (differs(mine, hub)) this.enqueue(docId);
    }
    this.onState();
  }

  /**
   * Joining (or catching up on) many documents: one snapshot request and bulk imports instead of a
   * provider per document. Anything it does not bring (a refusal, a hub that does not answer) the
   * providers bring after, as they would have anyway.
   */
  private async joinFromSnapshot(entries: Map<string, HubIndexEntry> | null): Promise<void> {
    if (this.snapshotTried) return;
    let docs: Array<{ docId: string; state: string; by?: string }>;
    const names = new Map<string, HubAuthor>();
    try {
      const token = await this.session.token();
      const response = await fetch(`${this.session.url.http}/snapshot/${this.engagementId}`, {
        headers: { Authorization: `Outpost ${token}` },
        redirect: 'error',
        signal: AbortSignal.timeout(300_000),
      });
      // Asked once the hub has answered: a hub not reachable yet (joining offline) is asked again
      // when its index arrives, rather than leaving thousands of documents to a provider each.
      this.snapshotTried = true;
      if (!response.ok) return;
      const snapshot = snapshotSchema.parse(await response.json());
      docs = snapshot.docs;
      for (const entry of snapshot.authors) {
        const author = hubAuthorSchema.safeParse(entry);
        if (author.success) names.set(author.data.deviceId, author.data);
      }
    } catch {
      return;
    }
    const mine = (docId: string) => docIdSchema.safeParse(docId).success && !docId.startsWith('playbook:');
    const incoming = docs.filter((d) => mine(d.docId)).map((d) => ({ docId: d.docId, update: decodeBytes(d.state), by: d.by }));
    const hubItself = `hub:${this.session.pinned.replace(/ /g, '')}`;
    const authorOf = (doc: (typeof incoming)[number]) => doc.by ?? entries?.get(doc.docId)?.by ?? hubItself;
    // The engagement first: its notes are checked against its ceiling.
    const engagement = incoming.filter((d) => d.docId === this.engagementDocId);
    const notes = incoming.filter((d) => d.docId !== this.engagementDocId);
    const byAuthor = new Map<string, IncomingUpdate[]>();
    for (const doc of notes) {
      const author = authorOf(doc);
      byAuthor.set(author, [...(byAuthor.get(author) ?? []), { docId: doc.docId, update: doc.update }]);
    }
    const batches: Array<[string, IncomingUpdate[]]> = engagement.map((doc) => [authorOf(doc), [{ docId: doc.docId, update: doc.update }]]);
    // One import per author: one transaction, and one projection catch-up after it (batches let the
    // catch-up of one hold up the next import).
    for (const [author, list] of byAuthor) batches.push([author, list]);
    for (const [author, batch] of batches) {
      if (this.stopped) return;
      await this.importFrom(author, batch, names).catch(() => {
        // Refused as a batch (one note this notebook may not hold): the providers bring the rest one by one.
      });
    }
  }

  private enqueue(docId: string): void {
    if (this.stopped || this.links.has(docId) || this.queued.has(docId) || this.withheld.has(docId)) return;
    this.queued.add(docId);
    this.queue.push(docId);
    void this.pump();
  }

  /** Attaches queued documents while fewer than ATTACH_AT_ONCE are still settling. */
  private async pump(): Promise<void> {
    while (!this.stopped && this.queue.length) {
      const settling = [...this.links.values()].filter((l) => !l.settled).length;
      if (settling >= ATTACH_AT_ONCE) return;
      const docId = this.queue.shift() as string;
      this.queued.delete(docId);
      if (this.links.has(docId) || !(await this.mayLeave(docId))) continue;
      const current = await this.store.docs.diffSince(docId);
      if (this.stopped || this.links.has(docId)) continue;
      const link = new HubDocLink(
        this.session,
        hubDocName(this.engagementId, docId),
        docId,
        current?.update ?? null,
        {
          onRemote: (id, update) => this.receive(id, update),
          onSettled: (l) => {
            this.retried.delete(l.docId);
            this.onState();
            void this.pump();
          },
          onRefused: (l, reason) => {
            this.refuse(l.docId, reason);
            this.detach(l);
          },
          onIdle: (l) => this.detach(l),
          onEditors: (l) => {
            if (this.links.get(l.docId) === l) this.onEditors(l.docId, l.editors());
          },
        },
        docId === this.engagementDocId,
      );
      this.links.set(docId, link);
      if (this.editing.has(docId)) link.setEditing(true);
    }
    this.onState();
  }

  private detach(link: HubDocLink): void {
    if (this.links.get(link.docId) === link) {
      this.links.delete(link.docId);
      if (link.editors().length) this.onEditors(link.docId, []);
    }
    link.destroy();
    this.onState();
    void this.pump();
  }

  private receive(docId: string, update: Uint8Array): void {
    const list = this.incoming.get(docId);
    if (list) list.push(update);
    else this.incoming.set(docId, [update]);
    this.importTimer ??= setTimeout(() => {
      this.importTimer = null;
      this.importing = this.importing.then(() => this.importIncoming());
    }, IMPORT_GATHER_MS);
  }

  /** Imports what arrived, grouped by the device that wrote it; a refused document does not block the others. */
  private async importIncoming(): Promise<void> {
    const batch = [...this.incoming];
    this.incoming.clear();
    const byAuthor = new Map<string, IncomingUpdate[]>();
    for (const [docId, updates] of batch) {
      const update = updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates);
      const author = this.authorOf(docId, update);
      const list = byAuthor.get(author) ?? [];
      list.push({ docId, update });
      byAuthor.set(author, list);
    }
    // The engagement lands before its notes (they are checked against its ceiling).
    for (const [author, updates] of byAuthor) {
      updates.sort((a, b) => Number(b.docId.startsWith('engagement:')) - Number(a.docId.startsWith('engagement:')));
      try {
        await this.importFrom(author, updates);
      } catch {
        for (const one of updates) {
          try {
            await this.importFrom(author, [one]);
          } catch (error) {
            this.refuse(one.docId, (error as Error).message);
            const link = this.links.get(one.docId);
            if (link) this.detach(link);
          }
        }
      }
    }
    this.scheduleReconcile();
    this.onState();
  }

  /** The device that wrote an update, as the hub's index names its Yjs client ids (most of its changes). */
  private authorOf(docId: string, update: Uint8Array): string {
    const counts = new Map<string, number>();
    try {
      const meta = Y.parseUpdateMeta(update);
      for (const [client, to] of meta.to) {
        const author = readAuthor(this.index.replica, client);
        if (!author) continue;
        counts.set(author.deviceId, (counts.get(author.deviceId) ?? 0) + (to - (meta.from.get(client) ?? 0)) + 1);
      }
    } catch {}
    const best = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    const entry: HubIndexEntry | undefined = readIndexDocs(this.index.replica).get(docId);
    // Unknown (the hub named nobody): attributed to the hub itself, never to this device.
    return best ?? entry?.by ?? `hub:${this.session.pinned.replace(/ /g, '')}`;
  }

  private async importFrom(author: string, updates: IncomingUpdate[], names?: Map<string, HubAuthor>): Promise<void> {
    const hubFingerprint = this.session.pinned;
    const authorInfo = (names?.get(author) ??
      [...this.index.replica.getMap('authors').values()].find((a) => (a as { deviceId?: string })?.deviceId === author)) as
      | { name?: string; fingerprint?: string }
      | undefined;
    const results = await this.store.docs.importUpdates(
      updates,
      { deviceId: author, bundleId: null, viaHub: hubFingerprint },
      {
        describe: readFacts,
        check: (docs) => this.checkArrived(docs),
        record: async (tx, docs) => {
          if (docs.some((d) => d.conflicts.length))
            await this.store.conflicts.record(tx, { bundleId: newId(), peerName: `${authorInfo?.name ?? 'a device'} (team hub)` }, docs);
          if (authorInfo?.name && author !== this.store.deviceId)
            await tx.query(
              `INSERT INTO hub_devices (device_id, name, fingerprint) VALUES ($1, $2, $3)
               ON CONFLICT (device_id) DO UPDATE SET name = EXCLUDED.name, fingerprint = EXCLUDED.fingerprint, seen_at = now()`,
              [author, authorInfo.name, authorInfo.fingerprint ?? ''],
            );
        },
      },
    );
    for (const r of results) if (r.changed) this.arrived.add(r.docId);
    for (const r of results) if (r.changed) this.receivedDocs.add(r.docId);
    this.lastArrival = performance.now();
  }

  /** The notebook's own rules for what arrives: the same as for a bundle. */
  private async checkArrived(docs: ImportedDoc<Facts>[]): Promise<void> {
    const levels = this.store.levels();
    let ceiling: string | null = null;
    for (const { facts } of docs) {
      if (facts.kind !== 'engagement') continue;
      if (facts.engagementId !== this.engagementId) throw new OutpostError('hub_refused', 'The hub sent another engagement under this one');
      if (levelRank(levels, facts.ceiling) < 0)
        throw new OutpostError(
          'bundle_classification',
          `Engagement ${facts.label} is marked up to ${facts.ceiling}, a level this notebook does not hold`,
        );
      ceiling = facts.ceiling;
    }
    for (const { facts, waiting } of docs) {
      if (facts.kind !== 'note') continue;
      if (!facts.engagementId && waiting) continue;
      if (facts.engagementId !== this.engagementId)
        throw new OutpostError('hub_refused', `Note “${facts.label}” belongs to another engagement`);
      ceiling ??= await this.store.docs.read(this.engagementDocId, (doc) => readEngagement(doc).engagement.ceiling);
      if (!ceiling || !isAtOrBelow(levels, facts.classification, ceiling))
        throw new OutpostError(
          'bundle_classification',
          `Note “${facts.label}” is marked ${facts.classification || '(unmarked)'}, which this notebook cannot hold under the engagement's ceiling ${ceiling}`,
        );
    }
  }

  /** Everything queued or in flight reached the hub and what it sent was imported (tests, `hub status`). */
  get idle(): boolean {
    return !this.queue.length && !this.incoming.size && !this.importTimer && [...this.links.values()].every((l) => l.settled);
  }

  async drained(): Promise<void> {
    await this.importing;
  }

  /** Stops syncing; resolves when an import already under way has landed. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.retryTimer);
    if (this.reconcileTimer) clearTimeout(this.reconcileTimer);
    if (this.importTimer) clearTimeout(this.importTimer);
    for (const link of this.links.values()) link.destroy();
    this.links.clear();
    this.index.destroy();
    await this.importing.catch(() => {});
  }
}

function differs(mine: Uint8Array | undefined, hub: (HubIndexEntry & { stateVector: Map<number, number> }) | undefined): boolean {
  if (!mine || !hub) return true;
  const local = Y.decodeStateVector(mine);
  return !stateVectorCovers(local, hub.stateVector) || !stateVectorCovers(hub.stateVector, local);
}

function readFacts(_docId: string, kind: string, merged: Y.Doc): Facts {
  if (kind === 'note') {
    const meta = readNoteMeta(merged);
    return { kind: 'note', engagementId: meta.engagementId, classification: meta.classification, label: meta.title };
  }
  const { engagement } = readEngagement(merged);
  return { kind: 'engagement', engagementId: engagement.id, ceiling: engagement.ceiling, label: engagement.codename };
}
