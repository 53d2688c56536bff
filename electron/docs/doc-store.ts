import * as Y from 'yjs';
import { OutpostError } from '../../shared/errors';
import { type DocKind, parseDocId } from '../../shared/ids';
import { concurrentFieldSets, type FieldConflict, overwrittenHeads } from '../../shared/sync/field-conflicts';
import { copyRows } from '../notebook/binary-copy';
import type { Database } from '../notebook/database';
import { type ComputedRows, type Projection, prepareRows, type Queryable, writeComputed } from './projection';

/** A debounced projection waits at most this long after the first change it owes. */
const MAX_PROJECTION_DELAY_MS = 2_000;

/** After this many log rows past the last snapshot, a new snapshot is written. */
const SNAPSHOT_EVERY = 200;

export type DocChangeListener = (docId: string, kind: DocKind) => void;

interface LiveDoc {
  docId: string;
  kind: DocKind;
  doc: Y.Doc;
  pending: Uint8Array[];
  /** The doc's queue of disk work; settles when everything queued so far is done (or has failed). */
  written: Promise<void>;
  scheduled: boolean;
  lastError: unknown;
  sinceSnapshot: number;
  /** Arrival time of the newest logged update (what `updated_at` in projections shows). */
  updatedAt: string;
  /** A debounced projection is owed for changes already logged. */
  projectionDue: ReturnType<typeof setTimeout> | null;
  /** When the owed projection was first deferred: continuous typing must not defer it forever. */
  projectionOwedSince: number;
}

/**
 * The transaction origin of updates applied to live documents after an import committed: they
 * are already in the log, so the store does not write them again (renderers still receive them).
 */
export const IMPORTED = Symbol('imported from a bundle');

/** Reads what an import needs from a merged document; `before` is the document as it was here (null: new). */
export type Describe<T> = (docId: string, kind: DocKind, merged: Y.Doc, before: Y.Doc | null) => T;

/** One document's incoming update in an import. */
export interface IncomingUpdate {
  docId: string;
  update: Uint8Array;
}

/** What an import did (or would do) to one document, with what `describe` read from the merge. */
export interface ImportedDoc<T = unknown> {
  docId: string;
  kind: DocKind;
  /** The document did not exist here before. */
  created: boolean;
  /** The update added something (content or deletions) this notebook did not have. */
  changed: boolean;
  /** Part of the update waits for earlier changes this notebook has not received yet. */
  waiting: boolean;
  /** What the caller's `describe` read from the merged document (for previews and checks). */
  facts: T;
  /** Fields set concurrently here and in the bundle, where one value overwrote the other. */
  conflicts: Array<FieldConflict & { overwrittenHere: boolean }>;
}

/** Import writes go to the database in statements of this many documents. */
const IMPORT_WRITE_BATCH = 200;

/** An import reports its progress (and yields to the event loop) every this many documents. */
const PROGRESS_EVERY = 100;

/** The projection catch-up writes this many documents per transaction. */
const CATCH_UP_BATCH = 100;

/** From this many documents at once, a write warms up what bulk writes use (`Projection.warmUp`). */
const BULK_WARM_UP = 50;

/** The catch-up takes this many batches from the backlog at a time, reading each while the previous one's search vectors are made. */
const CATCH_UP_AHEAD = 10;

/** A document read from the log, with the newest log row it includes. */
interface LoadedDoc {
  doc: Y.Doc;
  updatedAt: string;
  lastSeq: number;
}

/** Owed projections computed for a batch of the backlog, ready to be written. */
interface OwedBatch {
  owed: Array<{ doc_id: string; kind: DocKind }>;
  computed: ComputedRows[];
  /** For documents read from the log: the newest row read (a document whose log grew since is read again). */
  lastSeq: Map<string, number>;
}

/** A new document for `createMany`: its id and the function that writes its first content. */
export interface NewDoc {
  docId: string;
  init: (doc: Y.Doc) => void;
}

/**
 * A new document built elsewhere (the bulk worker): its first update, and its row for each
 * projection of its kind (in `projectionTables` order), computed for the arrival time `createMany` is given.
 */
export interface BuiltDoc {
  docId: string;
  update: Uint8Array;
  rows: Array<{ doc_id: string }>;
}

/**
 * The one path between Yjs documents and disk. The main process keeps a live Y.Doc per open
 * document; every update to it, whatever its origin (a renderer replica, the CLI, an import),
 * is appended to `doc_updates` and its projection is rewritten in the same transaction, so the
 * log and the projections never disagree. Updates that arrive together are written together.
 */
export class DocStore {
  private readonly live = new Map<string, LiveDoc>();
  private readonly loading = new Map<string, Promise<LiveDoc>>();
  private readonly listeners = new Set<DocChangeListener>();
  private readonly loggedListeners = new Set<DocChangeListener>();
  /** The projections of each kind of document (an engagement has its row and its lessons' rows). */
  private readonly projections: Map<DocKind, Projection[]>;
  /** The running projection catch-up, if any (see `catchUpProjections`). */
  private catchingUp: Promise<void> | null = null;
  private catchUpAgain = false;
  private catchUpError: unknown = null;

  constructor(
    private readonly db: Database,
    private readonly deviceId: string,
    projections: Projection[],
  ) {
    this.projections = new Map();
    for (const p of projections) this.projections.set(p.kind, [...(this.projections.get(p.kind) ?? []), p]);
  }

  /** Called after each committed write, with the document that changed. */
  onChange(listener: DocChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Called as soon as a live document's updates are committed to the log, before its (possibly
   * debounced) projections: for transports that relay changes while someone types (the team hub).
   */
  onLogged(listener: DocChangeListener): () => void {
    this.loggedListeners.add(listener);
    return () => this.loggedListeners.delete(listener);
  }

  /** Creates a document whose first update is written by `init`; it is on disk when this resolves. */
  async create(docId: string, init: (doc: Y.Doc) => void): Promise<Y.Doc> {
    const { kind } = parseDocId(docId);
    if (this.live.has(docId) || (await this.exists(docId))) throw new OutpostError('conflict', `Document ${docId} already exists`);
    const doc = new Y.Doc({ gc: true });
    init(doc);
    const update = Y.encodeStateAsUpdate(doc);
    const updatedAt = await this.db.transaction(async (tx) => {
      await tx.query('INSERT INTO docs (doc_id, kind) VALUES ($1, $2)', [docId, kind]);
      const at = await this.appendUpdate(tx, docId, update);
      await this.project(tx, docId, kind, doc, at);
      return at;
    });
    this.attach(docId, kind, doc, 1, updatedAt);
    this.emit(docId, kind);
    return doc;
  }

  /**
   * Creates many documents in one transaction (imports, generated corpora): all or none. The
   * documents are not kept live; they load on first open.
   */
  async createMany(
    docs: NewDoc[],
    options: {
      /** The arrival time the log rows and projections carry (what built documents' rows were computed with). */
      arrivedAt?: string;
      /** Documents being built elsewhere, each part either built (`BuiltDoc`) or handed back to build here. */
      elsewhere?: Array<Promise<BuiltDoc[] | NewDoc[]>>;
    } = {},
  ): Promise<void> {
    this.expectBulk(docs.length);
    // One arrival time for all: the log rows and the projections agree on it.
    const arrivedAt = options.arrivedAt ?? new Date().toISOString();
    const built: Array<{ docId: string; kind: DocKind; update: Uint8Array }> = [];
    const computed: ComputedRows[] = [];
    const buildHere = async (newDocs: NewDoc[]) => {
      for (let start = 0; start < newDocs.length; start += CATCH_UP_BATCH) {
        const chunk = newDocs.slice(start, start + CATCH_UP_BATCH).map(({ docId, init }) => {
          const doc = new Y.Doc({ gc: true, guid: docId });
          init(doc);
          return { docId, kind: parseDocId(docId).kind, doc, updatedAt: arrivedAt };
        });
        // Each chunk's projections are computed (their search vectors made on the worker) while the next chunk is built.
        computed.push(...this.computeRows(chunk));
        for (const { docId, kind, doc } of chunk) {
          built.push({ docId, kind, update: Y.encodeStateAsUpdate(doc) });
          doc.destroy();
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await buildHere(docs);
    for (const part of options.elsewhere ?? []) {
      const done = await part;
      if (done.some((doc) => 'init' in doc)) await buildHere(done as NewDoc[]);
      else this.acceptBuilt(done as BuiltDoc[], built, computed);
    }
    if (!built.length) return;
    await this.db.transaction(async (tx) => {
      await tx.query('INSERT INTO docs (doc_id, kind) SELECT * FROM unnest($1::text[], $2::text[])', [
        built.map((b) => b.docId),
        built.map((b) => b.kind),
      ]);
      await copyRows(
        tx,
        'doc_updates',
        ['doc_id', 'data', 'device_id', 'received_at'],
        built.map((b) => [{ text: b.docId }, { bytea: b.update }, { text: this.deviceId }, { timestamptz: arrivedAt }]),
      );
      await writeComputed(tx, computed);
    });
    for (const { docId, kind } of built) this.emit(docId, kind);
  }

  /**
   * Applies updates from a bundle, all or nothing. Every update is first merged into a scratch
   * copy of its document, one document at a time (an update Yjs cannot read fails the whole
   * import before anything is written); `describe` reads what the caller needs from each merge,
   * then the copy is dropped, so memory stays near the size of the bundle. `check` may then refuse
   * by throwing; only then is one transaction written: new documents, the updates (attributed to
   * `source`), the documents' places in the projection backlog, and whatever `record` adds
   * (ledger, attachments). Live documents receive the updates after the commit, and the
   * projections (lists, search) catch up in the background: they are derived from the log, and a
   * crash before they are written leaves the backlog for the next open. With `dryRun` nothing is
   * written.
   */
  async importUpdates<T>(
    incoming: IncomingUpdate[],
    /**
     * Who wrote the updates: a bundle's device and id, this device and no bundle (a file import), or
     * a device whose changes a team hub relayed (`viaHub`: the hub's key fingerprint).
     */
    source: { deviceId: string; bundleId: string | null; viaHub?: string },
    hooks: {
      describe: Describe<T>;
      check?: (docs: ImportedDoc<T>[]) => void | Promise<void>;
      record?: (tx: Queryable, docs: ImportedDoc<T>[]) => Promise<void>;
      dryRun?: boolean;
      /** Told how far the merge and the writes are, document by document. */
      progress?: (phase: 'merging' | 'writing', done: number, total: number) => void;
    },
  ): Promise<ImportedDoc<T>[]> {
    const byDoc = new Map<string, Uint8Array[]>();
    for (const { docId, update } of incoming) {
      const updates = byDoc.get(docId);
      if (updates) updates.push(update);
      else byDoc.set(docId, [update]);
    }
    // One arrival time for the whole import: the log rows and the projections agree on it.
    const arrivedAt = new Date().toISOString();
    if (!hooks.dryRun) this.expectBulk(byDoc.size);
    const existing = await this.existing([...byDoc.keys()]);
    const docs: ImportedDoc<T>[] = [];
    for (const [docId, updates] of byDoc) {
      if (docs.length % PROGRESS_EVERY === 0) {
        hooks.progress?.('merging', docs.length, byDoc.size);
        // Let the event loop breathe (progress events, other connections) during a long merge.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const { kind } = parseDocId(docId);
      docs.push(
        existing.has(docId) || this.live.has(docId)
          ? await this.mergeIntoExisting(docId, kind, updates, hooks.describe)
          : this.mergeIntoNew(docId, kind, updates, hooks.describe),
      );
    }
    await hooks.check?.(docs);
    if (hooks.dryRun) return docs;
    const written = docs.filter((item) => item.changed || item.created);
    await this.db.transaction(async (tx) => {
      for (let start = 0; start < written.length; start += IMPORT_WRITE_BATCH) {
        hooks.progress?.('writing', start, written.length);
        const batch = written.slice(start, start + IMPORT_WRITE_BATCH);
        const created = batch.filter((item) => item.created);
        if (created.length)
          await tx.query('INSERT INTO docs (doc_id, kind) SELECT * FROM unnest($1::text[], $2::text[])', [
            created.map((i) => i.docId),
            created.map((i) => i.kind),
          ]);
        await copyRows(
          tx,
          'doc_updates',
          ['doc_id', 'data', 'device_id', 'bundle_id', 'received_at', 'via_hub'],
          batch.map((i) => [
            { text: i.docId },
            { bytea: mergedUpdate(byDoc.get(i.docId) ?? []) },
            { text: source.deviceId },
            source.bundleId ? { uuid: source.bundleId } : null,
            { timestamptz: arrivedAt },
            source.viaHub ? { text: source.viaHub } : null,
          ]),
        );
        const projected = batch.filter((i) => this.projections.has(i.kind)).map((i) => i.docId);
        if (projected.length) await this.addToBacklog(tx, projected);
      }
      await hooks.record?.(tx, docs);
    });
    for (const item of written) {
      const live = this.live.get(item.docId);
      if (!live) continue;
      Y.transact(
        live.doc,
        () => {
          for (const update of byDoc.get(item.docId) ?? []) Y.applyUpdate(live.doc, update, IMPORTED);
        },
        IMPORTED,
      );
      live.sinceSnapshot++;
      live.updatedAt = arrivedAt;
    }
    // Lists learn of each document once its projection is written.
    void this.catchUpProjections();
    return docs;
  }

  /** A document this notebook does not have: nothing here can conflict with it, so no history is kept. */
  private mergeIntoNew<T>(docId: string, kind: DocKind, updates: Uint8Array[], describe: Describe<T>) {
    const merged = new Y.Doc({ gc: true, guid: docId });
    try {
      applyIncoming(merged, docId, updates);
      const waiting = !!(merged.store.pendingStructs || merged.store.pendingDs);
      return { docId, kind, created: true, changed: true, waiting, facts: describe(docId, kind, merged, null), conflicts: [] };
    } finally {
      merged.destroy();
    }
  }

  private async mergeIntoExisting<T>(docId: string, kind: DocKind, updates: Uint8Array[], describe: Describe<T>): Promise<ImportedDoc<T>> {
    const current = await this.currentCopy(docId);
    // Without garbage collection, values a concurrent set overwrites stay readable for review.
    const merged = new Y.Doc({ gc: false, guid: docId });
    if (current) Y.applyUpdate(merged, Y.encodeStateAsUpdate(current));
    try {
      const beforeSnapshot = Y.snapshot(merged);
      const beforeVector = Y.decodeStateVector(Y.encodeStateVector(merged));
      const beforeHeads = overwrittenHeads(merged);
      applyIncoming(merged, docId, updates);
      // What builds on changes this notebook lacks (a bundle imported before an earlier one)
      // is kept by Yjs as pending: stored in the log, it shows once the missing part arrives.
      const waiting = !!(merged.store.pendingStructs || merged.store.pendingDs);
      const changed = waiting || !Y.equalSnapshots(beforeSnapshot, Y.snapshot(merged));
      const conflicts = changed
        ? concurrentFieldSets(merged, beforeHeads).map((c) => ({
            ...c,
            overwrittenHere: c.overwrittenClock < (beforeVector.get(c.overwrittenClient) ?? 0),
          }))
        : [];
      return { docId, kind, created: !current, changed, waiting, facts: describe(docId, kind, merged, current), conflicts };
    } finally {
      merged.destroy();
      current?.destroy();
    }
  }

  /** The tables of the projections of `kind`, in the order a `BuiltDoc`'s rows follow. */
  projectionTables(kind: DocKind): string[] {
    return (this.projections.get(kind) ?? []).map((projection) => projection.table);
  }

  /** Takes documents built elsewhere: their updates to log, their rows per projection to write. */
  private acceptBuilt(
    docs: BuiltDoc[],
    built: Array<{ docId: string; kind: DocKind; update: Uint8Array }>,
    computed: ComputedRows[],
  ): void {
    const byKind = new Map<DocKind, BuiltDoc[]>();
    for (const doc of docs) {
      const { kind } = parseDocId(doc.docId);
      const ofKind = byKind.get(kind);
      if (ofKind) ofKind.push(doc);
      else byKind.set(kind, [doc]);
      built.push({ docId: doc.docId, kind, update: doc.update });
    }
    for (const [kind, ofKind] of byKind) {
      const projections = this.projections.get(kind) ?? [];
      if (ofKind.some((doc) => doc.rows.length !== projections.length || doc.rows.some((row) => row.doc_id !== doc.docId)))
        throw new OutpostError('internal', `Documents built elsewhere do not carry the rows of this notebook's ${kind} projections`);
      for (const [i, projection] of projections.entries())
        computed.push({ projection, rows: Promise.resolve(ofKind.map((doc) => doc.rows[i] as { doc_id: string })) });
    }
  }

  /**
   * Many documents are about to be written: helpers that bulk writes use (the search-vector worker)
   * start now, so they are ready when the projections are computed.
   */
  private expectBulk(count: number): void {
    if (count < BULK_WARM_UP) return;
    for (const projections of this.projections.values()) for (const projection of projections) projection.warmUp?.();
  }

  /** Which of `docIds` this notebook has. */
  private async existing(docIds: string[]): Promise<Set<string>> {
    const result = await this.db.query<{ doc_id: string }>('SELECT doc_id FROM docs WHERE doc_id = ANY($1::text[])', [docIds]);
    return new Set(result.rows.map((row) => row.doc_id));
  }

  private async addToBacklog(tx: Queryable, docIds: string[]): Promise<void> {
    await tx.query('INSERT INTO projection_backlog (doc_id) SELECT unnest($1::text[]) ON CONFLICT (doc_id) DO NOTHING', [docIds]);
  }

  /**
   * Writes every projection the backlog owes, a batch of documents per transaction (engagements
   * first: notes and lists look them up), telling listeners of each document once it is written.
   * One catch-up runs at a time; calling again while it runs returns the same run, which goes
   * round once more for what arrived meanwhile. Never rejects: a failure is kept and `flush`
   * reports it.
   */
  catchUpProjections(): Promise<void> {
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return this.catchingUp;
    }
    this.catchingUp = (async () => {
      try {
        do {
          this.catchUpAgain = false;
          await this.drainBacklog();
        } while (this.catchUpAgain);
        this.catchUpError = null;
      } catch (error) {
        this.catchUpError = new OutpostError(
          'internal',
          `Could not bring lists and search up to date with the notebook's documents: ${(error as Error).message}`,
        );
      } finally {
        this.catchingUp = null;
      }
    })();
    return this.catchingUp;
  }

  private async drainBacklog(): Promise<void> {
    for (;;) {
      const owed = await this.db.query<{ doc_id: string; kind: DocKind }>(
        `SELECT b.doc_id, d.kind FROM projection_backlog b JOIN docs d USING (doc_id)
         ORDER BY (d.kind = 'engagement') DESC, b.since, b.doc_id LIMIT $1`,
        [CATCH_UP_BATCH * CATCH_UP_AHEAD],
      );
      if (!owed.rows.length) return;
      const batches: Array<typeof owed.rows> = [];
      for (let start = 0; start < owed.rows.length; start += CATCH_UP_BATCH) batches.push(owed.rows.slice(start, start + CATCH_UP_BATCH));
      let current = await this.computeOwed(batches[0] ?? []);
      for (let i = 0; i < batches.length; i++) {
        // The next batch is read and computed while this one's search vectors are made on the worker.
        const next = batches[i + 1];
        const upcoming = next ? this.computeOwed(next) : null;
        upcoming?.catch(() => {});
        await this.writeOwed(current);
        if (upcoming) current = await upcoming;
        // PGlite answers through promises only: without a turn of the event loop, nothing else
        // (the vector worker's answers, other connections, timers) would run until the backlog is empty.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  /**
   * Reads a batch of owed documents from the log and computes their projections. Documents open
   * live are left to `writeOwed`, which computes them inside its transaction: an edit logged in
   * between would otherwise lose its place in the backlog to a projection that predates it.
   */
  private async computeOwed(owed: Array<{ doc_id: string; kind: DocKind }>): Promise<OwedBatch> {
    const stored = owed.map((row) => row.doc_id).filter((id) => !this.live.has(id));
    // One transaction: the three reads see the same log (a snapshot may be written meanwhile).
    const fromLog = await this.db.transaction((tx) => this.loadManyFromLog(stored, tx));
    const computed = this.computeRows(
      owed.flatMap(({ doc_id: docId, kind }) => {
        const loaded = fromLog.get(docId);
        return loaded ? [{ docId, kind, doc: loaded.doc, updatedAt: loaded.updatedAt }] : [];
      }),
    );
    for (const { doc } of fromLog.values()) doc.destroy();
    return { owed, computed, lastSeq: new Map([...fromLog].map(([docId, { lastSeq }]) => [docId, lastSeq])) };
  }

  /** Writes a computed batch and takes it off the backlog, but for documents whose log grew since they were read. */
  private async writeOwed({ owed, computed, lastSeq }: OwedBatch): Promise<void> {
    const written = await this.db.transaction(async (tx) => {
      const grown = await tx.query<{ doc_id: string }>(
        `SELECT DISTINCT u.doc_id FROM unnest($1::text[], $2::bigint[]) AS t(doc_id, seq)
         JOIN doc_updates u ON u.doc_id = t.doc_id AND u.seq > t.seq`,
        [[...lastSeq.keys()], [...lastSeq.values()]],
      );
      const grew = new Set(grown.rows.map((row) => row.doc_id));
      // Documents open live now (also those opened since they were read) are written as they are now.
      const open = owed.filter((row) => this.live.has(row.doc_id));
      const openIds = new Set(open.map((row) => row.doc_id));
      const fromLog = computed.map(({ projection, rows }) => ({
        projection,
        rows: rows.then((list) => list.filter((row) => !grew.has(row.doc_id) && !openIds.has(row.doc_id))),
      }));
      const fromLive = this.computeRows(
        open.flatMap(({ doc_id: docId, kind }) => {
          const live = this.live.get(docId);
          return live ? [{ docId, kind, doc: live.doc, updatedAt: live.updatedAt }] : [];
        }),
      );
      await writeComputed(tx, [...fromLog, ...fromLive]);
      // A document whose log grew since it was read stays owed: the next round reads it again.
      const done = owed.filter((row) => openIds.has(row.doc_id) || !grew.has(row.doc_id));
      await tx.query('DELETE FROM projection_backlog WHERE doc_id = ANY($1::text[])', [done.map((row) => row.doc_id)]);
      return done;
    });
    for (const { doc_id: docId, kind } of written) this.emit(docId, kind);
  }

  /** A detached copy of a document's current state (live, with unsaved edits, or from disk), or null. */
  async currentCopy(docId: string): Promise<Y.Doc | null> {
    const live = this.live.get(docId);
    if (live) {
      const copy = new Y.Doc({ gc: true });
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(live.doc));
      return copy;
    }
    if (!(await this.exists(docId))) return null;
    return (await this.loadFromLog(docId)).doc;
  }

  /**
   * What this notebook has of `docId` beyond `stateVector` (a peer's), and its own state vector;
   * null when the notebook does not have the document. Reads the live copy when there is one.
   */
  async diffSince(docId: string, stateVector?: Uint8Array): Promise<{ update: Uint8Array; stateVector: Uint8Array } | null> {
    const live = this.live.get(docId);
    if (live) return { update: Y.encodeStateAsUpdate(live.doc, stateVector), stateVector: Y.encodeStateVector(live.doc) };
    const copy = await this.currentCopy(docId);
    if (!copy) return null;
    try {
      return { update: Y.encodeStateAsUpdate(copy, stateVector), stateVector: Y.encodeStateVector(copy) };
    } finally {
      copy.destroy();
    }
  }

  /** Reads a document with `read` (the live copy where open, else a copy from disk); null when absent. */
  async read<T>(docId: string, read: (doc: Y.Doc) => T): Promise<T | null> {
    const live = this.live.get(docId);
    if (live) return read(live.doc);
    if (!(await this.exists(docId))) return null;
    const { doc } = await this.loadFromLog(docId);
    try {
      return read(doc);
    } finally {
      doc.destroy();
    }
  }

  /** The state vectors of many documents (live copies where open), loaded a batch at a time. */
  async stateVectors(docIds: string[]): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    const stored: string[] = [];
    for (const docId of docIds) {
      const live = this.live.get(docId);
      if (live) out.set(docId, Y.encodeStateVector(live.doc));
      else stored.push(docId);
    }
    for (let start = 0; start < stored.length; start += CATCH_UP_BATCH) {
      const loaded = await this.loadManyFromLog(stored.slice(start, start + CATCH_UP_BATCH));
      for (const [docId, { doc }] of loaded) {
        out.set(docId, Y.encodeStateVector(doc));
        doc.destroy();
      }
    }
    return out;
  }

  async exists(docId: string): Promise<boolean> {
    // A live document is on disk (it was created or loaded there): no query for it.
    if (this.live.has(docId)) return true;
    const result = await this.db.query('SELECT 1 FROM docs WHERE doc_id = $1', [docId]);
    return result.rows.length > 0;
  }

  /** `db` may be an open transaction: inside one, every query must go through it. */
  async listDocIds(kind?: DocKind, db: Queryable | Database = this.db): Promise<string[]> {
    const result = kind
      ? await db.query<{ doc_id: string }>('SELECT doc_id FROM docs WHERE kind = $1 ORDER BY doc_id', [kind])
      : await db.query<{ doc_id: string }>('SELECT doc_id FROM docs ORDER BY doc_id');
    return result.rows.map((row) => row.doc_id);
  }

  /** The live document (loaded from disk on first use). Edits to it are persisted automatically. */
  async open(docId: string): Promise<Y.Doc> {
    const live = this.live.get(docId);
    if (live) return live.doc;
    let loading = this.loading.get(docId);
    if (!loading) {
      loading = this.loadLive(docId).finally(() => this.loading.delete(docId));
      this.loading.set(docId, loading);
    }
    return (await loading).doc;
  }

  /**
   * Resolves when every update queued for `docId` (or for all docs) is committed and, unless
   * `projections: false`, every owed projection is written; rejects if a write failed.
   */
  async flush(docId?: string, options: { projections?: boolean } = {}): Promise<void> {
    const targets = docId ? [this.live.get(docId)].filter((d): d is LiveDoc => !!d) : [...this.live.values()];
    // A write that is still queued may owe a projection once it lands: go round until none is owed.
    for (let round = 0; round < 3; round++) {
      await Promise.all(targets.map((live) => live.written));
      const owed = options.projections === false ? [] : targets.filter((live) => live.projectionDue);
      if (!owed.length) break;
      for (const live of owed) this.projectSoon(live, 0);
    }
    for (const live of targets) {
      if (live.lastError) throw live.lastError;
    }
    if (options.projections === false) return;
    if (docId) {
      // One document's projection is written now if the backlog still owes it, rather than waiting
      // for a catch-up that may be working through thousands of imported documents.
      await this.projectOwed(docId);
      return;
    }
    await this.catchingUp;
    if (this.catchUpError) throw this.catchUpError;
  }

  /**
   * Applies `change` to several documents and commits what it did to all of them in one
   * transaction: after a crash or a failed write, none of it is on disk (a merge of lessons kept in
   * different engagements' docs). Each document's earlier writes land first; `change` must be
   * synchronous. On failure the live copies are dropped (they hold what the disk lacks) and the
   * error is thrown.
   */
  async changeTogether(docIds: string[], change: () => void): Promise<void> {
    const lives: LiveDoc[] = [];
    for (const docId of new Set(docIds)) {
      await this.open(docId);
      const live = this.live.get(docId);
      if (!live) throw new OutpostError('internal', `Document ${docId} is not open`);
      lives.push(live);
    }
    // A task at the end of each document's queue holds it while the combined write runs: writes
    // queued earlier land first, and ones queued meanwhile wait for it.
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held = lives.map(
      (live) =>
        new Promise<void>((reached) => {
          live.written = live.written.then(() => {
            reached();
            return gate;
          });
        }),
    );
    try {
      await Promise.all(held);
      for (const live of lives) {
        if (this.live.get(live.docId) !== live)
          throw new OutpostError('internal', `Could not save changes to ${live.docId}: an earlier write failed`);
      }
      let times: string[];
      try {
        change();
        // What `change` did (and anything that arrived since the last write) is pending; the writes
        // scheduled for it will find nothing left to do.
        const batches = lives.map((live) => ({ live, batch: live.pending.splice(0) }));
        times = await this.db.transaction(async (tx) => {
          const at: string[] = [];
          for (const { live, batch } of batches) at.push(batch.length ? await this.logUpdates(tx, live, batch) : '');
          return at;
        });
      } catch (error) {
        // Nothing of it is on disk; the live copies may hold part of it, so they go.
        for (const live of lives) this.dropLive(live, error);
        throw new OutpostError('internal', `Could not save the changes to ${lives.length} documents together: ${(error as Error).message}`);
      }
      for (const [i, live] of lives.entries()) {
        if (!times[i]) continue;
        live.updatedAt = times[i] as string;
        await this.afterLogged(live);
      }
    } finally {
      release();
    }
  }

  /** Writes the projections of `docId` if the backlog owes them (the catch-up may write them again: idempotent). */
  private async projectOwed(docId: string): Promise<void> {
    const owed = await this.db.query<{ kind: DocKind }>(
      'SELECT d.kind FROM projection_backlog b JOIN docs d USING (doc_id) WHERE b.doc_id = $1',
      [docId],
    );
    const kind = owed.rows[0]?.kind;
    if (!kind) return;
    await this.db.transaction(async (tx) => {
      const live = this.live.get(docId);
      const loaded = live ? { doc: live.doc, updatedAt: live.updatedAt } : await this.loadFromLog(docId, tx);
      try {
        await this.project(tx, docId, kind, loaded.doc, loaded.updatedAt);
      } finally {
        if (!live) loaded.doc.destroy();
      }
      await tx.query('DELETE FROM projection_backlog WHERE doc_id = $1', [docId]);
    });
    this.emit(docId, kind);
  }

  /** Replays a document from the update log into a fresh Y.Doc, ignoring the live copy. */
  async loadFromLog(docId: string, db: Queryable | Database = this.db): Promise<{ doc: Y.Doc; updatedAt: string; rows: number }> {
    const docRow = await db.query('SELECT kind FROM docs WHERE doc_id = $1', [docId]);
    if (!docRow.rows.length) throw new OutpostError('not_found', `No document ${docId} in this notebook`);
    const snapshot = await db.query<{ state: Uint8Array; upto_seq: string | number }>(
      'SELECT state, upto_seq FROM doc_snapshots WHERE doc_id = $1',
      [docId],
    );
    const uptoSeq = snapshot.rows[0] ? Number(snapshot.rows[0].upto_seq) : 0;
    const updates = await db.query<{ data: Uint8Array }>('SELECT data FROM doc_updates WHERE doc_id = $1 AND seq > $2 ORDER BY seq', [
      docId,
      uptoSeq,
    ]);
    const last = await db.query<{ received_at: Date }>('SELECT max(received_at) AS received_at FROM doc_updates WHERE doc_id = $1', [
      docId,
    ]);
    const doc = new Y.Doc({ gc: true });
    Y.transact(doc, () => {
      if (snapshot.rows[0]) Y.applyUpdate(doc, snapshot.rows[0].state);
      for (const row of updates.rows) Y.applyUpdate(doc, row.data);
    });
    const receivedAt = last.rows[0]?.received_at;
    return { doc, updatedAt: receivedAt ? new Date(receivedAt).toISOString() : '', rows: updates.rows.length };
  }

  /**
   * `loadFromLog` for many documents in three queries (the catch-up and rebuilds load hundreds at
   * a time). Documents that do not exist are left out of the result.
   */
  async loadManyFromLog(docIds: string[], db: Queryable | Database = this.db): Promise<Map<string, LoadedDoc>> {
    const loaded = new Map<string, LoadedDoc>();
    if (!docIds.length) return loaded;
    const snapshots = await db.query<{ doc_id: string; state: Uint8Array }>(
      'SELECT doc_id, state FROM doc_snapshots WHERE doc_id = ANY($1::text[])',
      [docIds],
    );
    const updates = await db.query<{ doc_id: string; data: Uint8Array }>(
      `SELECT u.doc_id, u.data FROM doc_updates u LEFT JOIN doc_snapshots s USING (doc_id)
       WHERE u.doc_id = ANY($1::text[]) AND u.seq > coalesce(s.upto_seq, 0) ORDER BY u.doc_id, u.seq`,
      [docIds],
    );
    const last = await db.query<{ doc_id: string; received_at: Date; seq: string | number }>(
      'SELECT doc_id, max(received_at) AS received_at, max(seq) AS seq FROM doc_updates WHERE doc_id = ANY($1::text[]) GROUP BY doc_id',
      [docIds],
    );
    const parts = new Map<string, Uint8Array[]>();
    for (const row of snapshots.rows) parts.set(row.doc_id, [row.state]);
    for (const row of updates.rows) {
      const list = parts.get(row.doc_id);
      if (list) list.push(row.data);
      else parts.set(row.doc_id, [row.data]);
    }
    const newest = new Map(last.rows.map((row) => [row.doc_id, row]));
    for (const [docId, list] of parts) {
      // A guid of its own spares Yjs drawing a random one (a measurable cost by the thousand).
      const doc = new Y.Doc({ gc: true, guid: docId });
      Y.transact(doc, () => {
        for (const part of list) Y.applyUpdate(doc, part);
      });
      const row = newest.get(docId);
      loaded.set(docId, {
        doc,
        updatedAt: row?.received_at ? new Date(row.received_at).toISOString() : '',
        lastSeq: Number(row?.seq ?? 0),
      });
    }
    return loaded;
  }

  /** Writes what is pending and forgets every live document. */
  async close(): Promise<void> {
    await this.flush().catch(() => {});
    for (const live of this.live.values()) live.doc.destroy();
    this.live.clear();
  }

  private async loadLive(docId: string): Promise<LiveDoc> {
    const { kind } = parseDocId(docId);
    const { doc, rows, updatedAt } = await this.loadFromLog(docId);
    return this.attach(docId, kind, doc, rows, updatedAt);
  }

  private attach(docId: string, kind: DocKind, doc: Y.Doc, sinceSnapshot: number, updatedAt: string): LiveDoc {
    const live: LiveDoc = {
      docId,
      kind,
      doc,
      pending: [],
      written: Promise.resolve(),
      scheduled: false,
      lastError: null,
      sinceSnapshot,
      updatedAt,
      projectionDue: null,
      projectionOwedSince: 0,
    };
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === IMPORTED) return;
      live.pending.push(update);
      this.schedule(live);
    });
    this.live.set(docId, live);
    return live;
  }

  /** Runs `task` after everything already queued for this doc; a failure drops the live copy. */
  private enqueue(live: LiveDoc, task: () => Promise<void>): void {
    live.written = live.written.then(async () => {
      if (this.live.get(live.docId) !== live) return;
      try {
        await task();
        live.lastError = null;
      } catch (error) {
        this.dropLive(live, error);
      }
    });
  }

  /**
   * A write failed: the live copy may hold updates the disk lacks, so it is dropped, and the next
   * open reloads from disk (the replicas, which still hold those updates, send them again).
   */
  private dropLive(live: LiveDoc, error: unknown): void {
    live.lastError = new OutpostError('internal', `Could not save changes to ${live.docId}: ${(error as Error).message}`);
    if (live.projectionDue) clearTimeout(live.projectionDue);
    if (this.live.get(live.docId) === live) this.live.delete(live.docId);
    live.doc.destroy();
  }

  private schedule(live: LiveDoc): void {
    if (live.scheduled) return;
    live.scheduled = true;
    this.enqueue(live, async () => {
      // Updates arriving in the same tick join this batch.
      await Promise.resolve();
      live.scheduled = false;
      const batch = live.pending.splice(0);
      if (!batch.length) return;
      await this.writeBatch(live, batch);
    });
  }

  private async writeBatch(live: LiveDoc, batch: Uint8Array[]): Promise<void> {
    live.updatedAt = await this.db.transaction((tx) => this.logUpdates(tx, live, batch));
    await this.afterLogged(live);
  }

  /** Appends a live doc's updates to the log and writes its immediate projections; returns the arrival time. */
  private async logUpdates(tx: Queryable, live: LiveDoc, batch: Uint8Array[]): Promise<string> {
    const update = batch.length === 1 ? (batch[0] as Uint8Array) : Y.mergeUpdates(batch);
    const projections = this.projections.get(live.kind) ?? [];
    const at = await this.appendUpdate(tx, live.docId, update);
    // A deferred projection is owed from now on: on disk, so a crash before it runs is caught up.
    if (projections.some((p) => p.debounceMs !== undefined)) await this.addToBacklog(tx, [live.docId]);
    for (const projection of projections) {
      if (projection.debounceMs === undefined) await projection.write(tx, projection.compute(live.docId, live.doc, { updatedAt: at }));
    }
    return at;
  }

  /** After a live doc's updates are committed: a snapshot when the log is long, lists told, deferred projections armed. */
  private async afterLogged(live: LiveDoc): Promise<void> {
    for (const listener of this.loggedListeners) listener(live.docId, live.kind);
    const projections = this.projections.get(live.kind) ?? [];
    const debounces = projections.flatMap((p) => (p.debounceMs === undefined ? [] : [p.debounceMs]));
    const deferred = debounces.length > 0;
    live.sinceSnapshot++;
    if (live.sinceSnapshot >= SNAPSHOT_EVERY) {
      await this.writeSnapshot(live.docId);
      live.sinceSnapshot = 0;
    }
    // Immediate projections are written: lists may show the change now; deferred ones say so again later.
    if (deferred && debounces.length < projections.length) this.emit(live.docId, live.kind);
    if (deferred) this.projectSoon(live, Math.min(...debounces));
    else this.emit(live.docId, live.kind);
  }

  /**
   * (Re)arms the debounced projection of a live doc; `delayMs` 0 queues it now. While changes keep
   * coming it still runs at least every MAX_PROJECTION_DELAY_MS.
   */
  private projectSoon(live: LiveDoc, delayMs: number): void {
    if (live.projectionDue) clearTimeout(live.projectionDue);
    const now = Date.now();
    if (!live.projectionOwedSince) live.projectionOwedSince = now;
    if (now - live.projectionOwedSince + delayMs > MAX_PROJECTION_DELAY_MS)
      delayMs = Math.max(0, MAX_PROJECTION_DELAY_MS - (now - live.projectionOwedSince));
    const run = () => {
      live.projectionDue = null;
      live.projectionOwedSince = 0;
      this.enqueue(live, async () => {
        await this.db.transaction(async (tx) => {
          await this.project(tx, live.docId, live.kind, live.doc, live.updatedAt);
          await tx.query('DELETE FROM projection_backlog WHERE doc_id = $1', [live.docId]);
        });
        this.emit(live.docId, live.kind);
      });
    };
    if (delayMs <= 0) {
      run();
      return;
    }
    live.projectionDue = setTimeout(run, delayMs);
  }

  private async appendUpdate(tx: Queryable, docId: string, update: Uint8Array): Promise<string> {
    const result = await tx.query<{ received_at: Date }>(
      'INSERT INTO doc_updates (doc_id, data, device_id) VALUES ($1, $2, $3) RETURNING received_at',
      [docId, update, this.deviceId],
    );
    return new Date(result.rows[0]?.received_at ?? Date.now()).toISOString();
  }

  private async project(tx: Queryable, docId: string, kind: DocKind, doc: Y.Doc, updatedAt: string): Promise<void> {
    for (const projection of this.projections.get(kind) ?? []) await projection.write(tx, projection.compute(docId, doc, { updatedAt }));
  }

  /**
   * Computes many documents' projections, each projection's rows together, and starts their
   * preparation (`prepareMany`: the notes' search vectors, on a worker); `writeComputed` writes them.
   */
  private computeRows(docs: Array<{ docId: string; kind: DocKind; doc: Y.Doc; updatedAt: string }>): ComputedRows[] {
    const computed: ComputedRows[] = [];
    for (const kind of new Set(docs.map((d) => d.kind))) {
      const ofKind = docs.filter((d) => d.kind === kind);
      for (const projection of this.projections.get(kind) ?? [])
        computed.push(
          prepareRows(
            projection,
            ofKind.map((d) => projection.compute(d.docId, d.doc, { updatedAt: d.updatedAt })),
          ),
        );
    }
    return computed;
  }

  /**
   * Folds the log up to its newest row into a snapshot. Log rows are kept (they are the history
   * later features show); the snapshot only spares replaying them on open.
   */
  private async writeSnapshot(docId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const snapshot = await tx.query<{ state: Uint8Array; upto_seq: string | number }>(
        'SELECT state, upto_seq FROM doc_snapshots WHERE doc_id = $1',
        [docId],
      );
      const from = snapshot.rows[0] ? Number(snapshot.rows[0].upto_seq) : 0;
      const rows = await tx.query<{ seq: string | number; data: Uint8Array }>(
        'SELECT seq, data FROM doc_updates WHERE doc_id = $1 AND seq > $2 ORDER BY seq',
        [docId, from],
      );
      const lastRow = rows.rows[rows.rows.length - 1];
      if (!lastRow) return;
      const parts = rows.rows.map((row) => row.data);
      if (snapshot.rows[0]) parts.unshift(snapshot.rows[0].state);
      await tx.query(
        `INSERT INTO doc_snapshots (doc_id, state, upto_seq, created_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (doc_id) DO UPDATE SET state = EXCLUDED.state, upto_seq = EXCLUDED.upto_seq, created_at = now()`,
        [docId, Y.mergeUpdates(parts), Number(lastRow.seq)],
      );
    });
  }

  private emit(docId: string, kind: DocKind): void {
    for (const listener of this.listeners) listener(docId, kind);
  }
}

/** Applies a bundle's updates for one document as one transaction; an unreadable one fails the import. */
function applyIncoming(doc: Y.Doc, docId: string, updates: Uint8Array[]): void {
  try {
    Y.transact(doc, () => {
      for (const update of updates) Y.applyUpdate(doc, update);
    });
  } catch (error) {
    throw new OutpostError('bundle_invalid', `The bundle's update for ${docId} cannot be read: ${(error as Error).message}`);
  }
}

function mergedUpdate(updates: Uint8Array[]): Uint8Array {
  return updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates);
}
