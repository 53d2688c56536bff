import type * as Y from 'yjs';
import { parseDocId } from '../../shared/ids';
import { readPlaybook } from '../../shared/lessons/playbook';
import type { DocLogInfo, Projection, Queryable } from '../docs/projection';
import type { Database } from '../notebook/database';

export interface PlaybookRow {
  id: string;
  doc_id: string;
  title: string;
  chapters: number;
  lessons: number;
  created_at: string;
  updated_at: string;
}

const COLUMNS = ['id', 'doc_id', 'title', 'chapters', 'lessons', 'created_at', 'updated_at'] as const satisfies ReadonlyArray<
  keyof PlaybookRow
>;

/** Playbooks (each its own doc): the list of playbooks with their size. */
export const playbookProjection: Projection<PlaybookRow> = {
  kind: 'playbook',
  table: 'playbooks',

  compute(docId: string, doc: Y.Doc, log: DocLogInfo): PlaybookRow {
    const playbook = readPlaybook(doc);
    return {
      id: parseDocId(docId).id,
      doc_id: docId,
      title: playbook.title,
      chapters: playbook.chapters.length,
      lessons: playbook.chapters.reduce((sum, chapter) => sum + chapter.lessons.length, 0),
      created_at: playbook.createdAt,
      updated_at: log.updatedAt,
    };
  },

  async write(tx: Queryable, row: PlaybookRow): Promise<void> {
    const placeholders = COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
    const updates = COLUMNS.filter((c) => c !== 'id')
      .map((c) => `${c} = EXCLUDED.${c}`)
      .join(', ');
    await tx.query(
      `INSERT INTO playbooks (${COLUMNS.join(', ')}) VALUES (${placeholders}) ON CONFLICT (id) DO UPDATE SET ${updates}`,
      COLUMNS.map((c) => row[c]),
    );
  },

  async clear(tx: Queryable): Promise<void> {
    await tx.query('DELETE FROM playbooks');
  },

  async readAll(db: Queryable | Database): Promise<PlaybookRow[]> {
    const result = await db.query<PlaybookRow>(
      `SELECT ${COLUMNS.map((c) => (c === 'id' ? 'id::text AS id' : c)).join(', ')} FROM playbooks ORDER BY id`,
    );
    return result.rows;
  },
};
