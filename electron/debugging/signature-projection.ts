import type * as Y from 'yjs';
import type { LogKind } from '../../shared/debugging/kinds';
import { noteDebugFacts } from '../../shared/debugging/note-signatures';
import { parseDocId } from '../../shared/ids';
import { noteBody, readNoteMeta } from '../../shared/notes/doc';
import type { DocLogInfo, Projection, Queryable } from '../docs/projection';
import type { Database } from '../notebook/database';

export interface SignatureRow {
  doc_id: string;
  note_id: string;
  engagement_id: string;
  block_index: number;
  ordinal: number;
  kind: LogKind;
  template_id: string;
  template: string;
  exception_type: string;
  frames: string[];
  frames_key: string;
  tokens: string[];
  bands: number[];
  lines: number;
  classification: string;
  resolution: string;
  created_at: string;
  updated_at: string;
}

/** All the signatures of one note doc. */
export interface NoteSignaturesRow {
  doc_id: string;
  signatures: SignatureRow[];
}

const COLUMN_TYPES = {
  doc_id: 'text',
  note_id: 'uuid',
  engagement_id: 'uuid',
  block_index: 'integer',
  ordinal: 'integer',
  kind: 'text',
  template_id: 'text',
  template: 'text',
  exception_type: 'text',
  frames: 'text[]',
  frames_key: 'text',
  tokens: 'text[]',
  bands: 'integer[]',
  lines: 'integer',
  classification: 'text',
  resolution: 'text',
  created_at: 'text',
  updated_at: 'text',
} as const satisfies Record<keyof SignatureRow, string>;

export const SIGNATURE_COLUMNS = Object.keys(COLUMN_TYPES) as Array<keyof SignatureRow>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Replaces the docs' rows in two statements, one DELETE and one INSERT of every signature (as a
 * JSON record set): most notes have no signature at all, so a batch rarely inserts much.
 */
async function replaceSignatures(tx: Queryable, rows: NoteSignaturesRow[]): Promise<void> {
  await tx.query('DELETE FROM error_signatures WHERE doc_id = ANY($1::text[])', [rows.map((r) => r.doc_id)]);
  const signatures = rows.flatMap((r) => r.signatures);
  if (!signatures.length) return;
  const columns = SIGNATURE_COLUMNS.join(', ');
  const record = SIGNATURE_COLUMNS.map((c) => `${c} ${COLUMN_TYPES[c]}`).join(', ');
  await tx.query(`INSERT INTO error_signatures (${columns}) SELECT ${columns} FROM jsonb_to_recordset($1::jsonb) AS r(${record})`, [
    JSON.stringify(signatures),
  ]);
}

/**
 * Error signatures of note docs (shared/debugging): one row per signature of a log block, and
 * of an incident note's prose, for "seen before" across every engagement. A second projection
 * of note docs beside the notes table; debounced like it, since mining a long log block on every
 * keystroke would tax typing.
 */
export const signatureProjection: Projection<NoteSignaturesRow> = {
  kind: 'note',
  table: 'error_signatures',
  debounceMs: 400,

  tableRows(row: NoteSignaturesRow): number {
    return row.signatures.length;
  },

  compute(docId: string, doc: Y.Doc, log: DocLogInfo): NoteSignaturesRow {
    const noteId = parseDocId(docId).id;
    const meta = readNoteMeta(doc);
    if (!UUID.test(noteId) || !UUID.test(meta.engagementId)) return { doc_id: docId, signatures: [] };
    const facts = noteDebugFacts(noteBody(doc), { incident: meta.type === 'incident' });
    const ordinals = new Map<number, number>();
    const signatures = facts.signatures.map((s): SignatureRow => {
      const ordinal = ordinals.get(s.blockIndex) ?? 0;
      ordinals.set(s.blockIndex, ordinal + 1);
      return {
        doc_id: docId,
        note_id: noteId,
        engagement_id: meta.engagementId,
        block_index: s.blockIndex,
        ordinal,
        kind: s.kind,
        template_id: s.templateId,
        template: s.template,
        exception_type: s.exceptionType,
        frames: s.frames,
        frames_key: s.framesKey,
        tokens: s.tokens,
        bands: s.bands,
        lines: s.lines,
        classification: meta.classification,
        resolution: facts.resolution,
        created_at: meta.createdAt,
        updated_at: log.updatedAt,
      };
    });
    return { doc_id: docId, signatures };
  },

  async write(tx: Queryable, row: NoteSignaturesRow): Promise<void> {
    await replaceSignatures(tx, [row]);
  },

  writeMany: replaceSignatures,

  async clear(tx: Queryable): Promise<void> {
    await tx.query('DELETE FROM error_signatures');
  },

  /** Grouped by note doc, every note doc included (one without signatures has none). */
  async readAll(db: Queryable | Database): Promise<NoteSignaturesRow[]> {
    const docs = await db.query<{ doc_id: string }>(
      `SELECT doc_id FROM docs WHERE kind = 'note' UNION SELECT DISTINCT doc_id FROM error_signatures ORDER BY doc_id`,
    );
    const rows = await db.query<SignatureRow>(
      `SELECT ${SIGNATURE_COLUMNS.map((c) => (c === 'note_id' || c === 'engagement_id' ? `${c}::text AS ${c}` : c)).join(', ')}
       FROM error_signatures ORDER BY doc_id, block_index, ordinal`,
    );
    const grouped = new Map<string, SignatureRow[]>(docs.rows.map((d) => [d.doc_id, []]));
    for (const signature of rows.rows) grouped.get(signature.doc_id)?.push(signature);
    return [...grouped].map(([doc_id, signatures]) => ({ doc_id, signatures }));
  },
};
