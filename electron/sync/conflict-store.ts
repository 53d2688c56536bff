import * as Y from 'yjs';
import { OutpostError } from '../../shared/errors';
import type { DocKind } from '../../shared/ids';
import type { FieldConflict } from '../../shared/sync/field-conflicts';
import type { DocStore } from '../docs/doc-store';
import type { Queryable } from '../docs/projection';
import type { Database } from '../notebook/database';

export interface ConflictRecord {
  id: number;
  docId: string;
  /** Note title or engagement codename, as listed now. */
  label: string;
  path: string;
  kept: unknown;
  overwritten: unknown;
  /** This notebook's value was the one overwritten (else the bundle's was). */
  overwrittenHere: boolean;
  peerName: string;
  bundleId: string;
  detectedAt: string;
  resolvedAt: string | null;
  resolution: 'kept' | 'restored' | null;
}

interface Row {
  id: string | number;
  doc_id: string;
  label: string | null;
  path: string;
  kept: unknown;
  overwritten: unknown;
  overwritten_here: boolean;
  peer_name: string;
  bundle_id: string;
  detected_at: Date;
  resolved_at: Date | null;
  resolution: 'kept' | 'restored' | null;
}

/**
 * Fields two devices set concurrently, found when a bundle is imported: listed until someone picks
 * the value that stays. Keeping the shown value only closes the entry; restoring the other value
 * is a new edit of the document, so it reaches the other devices like any edit.
 */
export class ConflictStore {
  constructor(
    private readonly db: Database,
    private readonly docs: DocStore,
  ) {}

  async record(
    tx: Queryable,
    source: { bundleId: string; peerName: string },
    docs: Array<{ docId: string; kind: DocKind; conflicts: Array<FieldConflict & { overwrittenHere: boolean }> }>,
  ): Promise<number> {
    let count = 0;
    for (const doc of docs) {
      for (const conflict of doc.conflicts) {
        await tx.query(
          `INSERT INTO field_conflicts (doc_id, path, kept, overwritten, overwritten_here, bundle_id, peer_name)
           VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7)`,
          [
            doc.docId,
            conflict.path,
            JSON.stringify(conflict.kept ?? null),
            JSON.stringify(conflict.overwritten ?? null),
            conflict.overwrittenHere,
            source.bundleId,
            source.peerName,
          ],
        );
        count++;
      }
    }
    return count;
  }

  async list(options: { includeResolved?: boolean } = {}): Promise<ConflictRecord[]> {
    const result = await this.db.query<Row>(
      `SELECT c.*, coalesce(n.title, e.codename) AS label
       FROM field_conflicts c
       LEFT JOIN notes n ON n.doc_id = c.doc_id
       LEFT JOIN engagements e ON e.doc_id = c.doc_id
       ${options.includeResolved ? '' : 'WHERE c.resolved_at IS NULL'}
       ORDER BY c.detected_at DESC, c.id`,
    );
    return result.rows.map((row) => ({
      id: Number(row.id),
      docId: row.doc_id,
      label: row.label ?? row.doc_id,
      path: row.path,
      kept: row.kept,
      overwritten: row.overwritten,
      overwrittenHere: row.overwritten_here,
      peerName: row.peer_name,
      bundleId: row.bundle_id,
      detectedAt: new Date(row.detected_at).toISOString(),
      resolvedAt: row.resolved_at ? new Date(row.resolved_at).toISOString() : null,
      resolution: row.resolution,
    }));
  }

  /** `kept`: the shown value stays. `restored`: the overwritten value is set again (a new edit). */
  async resolve(id: number, choice: 'kept' | 'restored'): Promise<ConflictRecord> {
    const conflict = (await this.list({ includeResolved: true })).find((c) => c.id === id);
    if (!conflict) throw new OutpostError('not_found', `No conflict #${id}`);
    if (conflict.resolvedAt)
      throw new OutpostError('conflict', `Conflict #${id} was already resolved on ${conflict.resolvedAt.slice(0, 10)}`);
    if (choice === 'restored') {
      const value = conflict.overwritten;
      if (value !== null && typeof value === 'object')
        throw new OutpostError('invalid_request', 'That value is a whole structure, not a field; edit it by hand instead');
      const doc = await this.docs.open(conflict.docId);
      const [root, ...rest] = conflict.path.split('.');
      const key = rest.pop();
      let map: Y.Map<unknown> = doc.getMap(root as string);
      for (const part of rest) {
        const next = map.get(part);
        if (!(next instanceof Y.Map))
          throw new OutpostError('not_found', `The field ${conflict.path} no longer exists (it was removed since)`);
        map = next;
      }
      if (key === undefined) throw new OutpostError('internal', `Malformed field path ${conflict.path}`);
      map.set(key, value);
      await this.docs.flush(conflict.docId);
    }
    await this.db.query('UPDATE field_conflicts SET resolved_at = now(), resolution = $2 WHERE id = $1', [id, choice]);
    return (await this.list({ includeResolved: true })).find((c) => c.id === id) as ConflictRecord;
  }
}
