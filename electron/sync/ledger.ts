import { mergeStateVectors } from '../../shared/sync/state-vectors';
import type { Queryable } from '../docs/projection';
import type { Database } from '../notebook/database';

export interface LedgerEntry {
  bundleId: string;
  direction: 'sent' | 'received';
  peerDeviceId: string | null;
  peerName: string;
  createdAt: string;
  recordedAt: string;
  engagementIds: string[];
  maxClassification: string | null;
  delta: string;
  docs: number;
  changedDocs: number;
  attachments: number;
  bytes: number;
  fileName: string;
}

interface LedgerRow {
  bundle_id: string;
  direction: 'sent' | 'received';
  peer_device_id: string | null;
  peer_name: string;
  created_at: Date;
  recorded_at: Date;
  engagement_ids: string[];
  max_classification: string | null;
  delta: string;
  docs: number;
  changed_docs: number;
  attachments: number;
  bytes: string | number;
  file_name: string;
}

const toEntry = (row: LedgerRow): LedgerEntry => ({
  bundleId: row.bundle_id,
  direction: row.direction,
  peerDeviceId: row.peer_device_id,
  peerName: row.peer_name,
  createdAt: new Date(row.created_at).toISOString(),
  recordedAt: new Date(row.recorded_at).toISOString(),
  engagementIds: row.engagement_ids,
  maxClassification: row.max_classification,
  delta: row.delta,
  docs: row.docs,
  changedDocs: row.changed_docs,
  attachments: row.attachments,
  bytes: Number(row.bytes),
  fileName: row.file_name,
});

/** What a peer is known to hold of one document. */
export interface PeerDocState {
  stateVector: Uint8Array;
  /** Our snapshot when we last sent this document to the peer. */
  sentSnapshot: Uint8Array | null;
}

/** The record of bundles sent and received, and what each peer is known to hold. */
export class Ledger {
  constructor(private readonly db: Database) {}

  async list(): Promise<LedgerEntry[]> {
    const result = await this.db.query<LedgerRow>('SELECT * FROM bundle_ledger ORDER BY recorded_at DESC, bundle_id');
    return result.rows.map(toEntry);
  }

  async find(bundleId: string, direction: 'sent' | 'received'): Promise<LedgerEntry | null> {
    const result = await this.db.query<LedgerRow>('SELECT * FROM bundle_ledger WHERE bundle_id = $1 AND direction = $2', [
      bundleId,
      direction,
    ]);
    return result.rows[0] ? toEntry(result.rows[0]) : null;
  }

  /** Records a bundle; a bundle already recorded in this direction is left as first recorded. */
  async record(tx: Queryable, entry: Omit<LedgerEntry, 'recordedAt'>): Promise<void> {
    await tx.query(
      `INSERT INTO bundle_ledger (bundle_id, direction, peer_device_id, peer_name, created_at, engagement_ids, max_classification,
                                  delta, docs, changed_docs, attachments, bytes, file_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (bundle_id, direction) DO NOTHING`,
      [
        entry.bundleId,
        entry.direction,
        entry.peerDeviceId,
        entry.peerName,
        entry.createdAt,
        entry.engagementIds,
        entry.maxClassification,
        entry.delta,
        entry.docs,
        entry.changedDocs,
        entry.attachments,
        entry.bytes,
        entry.fileName,
      ],
    );
  }

  async peerState(peerDeviceId: string): Promise<Map<string, PeerDocState>> {
    const result = await this.db.query<{ doc_id: string; state_vector: Uint8Array; sent_snapshot: Uint8Array | null }>(
      'SELECT doc_id, state_vector, sent_snapshot FROM peer_state WHERE peer_device_id = $1',
      [peerDeviceId],
    );
    return new Map(result.rows.map((row) => [row.doc_id, { stateVector: row.state_vector, sentSnapshot: row.sent_snapshot }]));
  }

  /**
   * Adds to what a peer holds: state vectors are merged (they never shrink); `sentSnapshot`,
   * when given, replaces the snapshot we last sent.
   */
  async notePeerHas(
    tx: Queryable,
    peerDeviceId: string,
    docs: Array<{ docId: string; stateVector: Uint8Array; sentSnapshot?: Uint8Array }>,
  ): Promise<void> {
    if (!docs.length) return;
    const known = await tx.query<{ doc_id: string; state_vector: Uint8Array }>(
      'SELECT doc_id, state_vector FROM peer_state WHERE peer_device_id = $1 AND doc_id = ANY($2::text[])',
      [peerDeviceId, docs.map((d) => d.docId)],
    );
    const before = new Map(known.rows.map((row) => [row.doc_id, row.state_vector]));
    const changed: Array<{ docId: string; stateVector: Uint8Array; sentSnapshot: Uint8Array | null }> = [];
    for (const doc of docs) {
      const previous = before.get(doc.docId);
      const stateVector = previous ? mergeStateVectors(previous, doc.stateVector) : doc.stateVector;
      // Nothing new about this document (a re-imported bundle): leave the row as it is.
      if (previous && !doc.sentSnapshot && sameBytes(previous, stateVector)) continue;
      changed.push({ docId: doc.docId, stateVector, sentSnapshot: doc.sentSnapshot ?? null });
    }
    for (let start = 0; start < changed.length; start += PEER_STATE_BATCH) {
      const batch = changed.slice(start, start + PEER_STATE_BATCH);
      await tx.query(
        `INSERT INTO peer_state (peer_device_id, doc_id, state_vector, sent_snapshot)
         SELECT $1, d, v, s FROM unnest($2::text[], $3::bytea[], $4::bytea[]) AS t(d, v, s)
         ON CONFLICT (peer_device_id, doc_id) DO UPDATE
           SET state_vector = EXCLUDED.state_vector, sent_snapshot = coalesce(EXCLUDED.sent_snapshot, peer_state.sent_snapshot), updated_at = now()`,
        [peerDeviceId, batch.map((d) => d.docId), batch.map((d) => d.stateVector), batch.map((d) => d.sentSnapshot)],
      );
    }
  }
}

/** Peer state rows go to the database in statements of this many documents. */
const PEER_STATE_BATCH = 500;

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
