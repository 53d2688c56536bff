import type * as Y from 'yjs';
import { readEngagement } from '../../shared/engagements/doc';
import { parseDocId } from '../../shared/ids';
import { readLessons } from '../../shared/lessons/doc';
import { type Evidence, type Lesson, lessonRef } from '../../shared/lessons/model';
import type { DocLogInfo, Projection, Queryable } from '../docs/projection';
import type { Database } from '../notebook/database';

export interface LessonRow {
  ref: string;
  doc_id: string;
  engagement_id: string;
  lesson_id: string;
  title: string;
  skill_area: string;
  industry: string;
  tags: string[];
  applies_to: string[];
  status: string;
  /** Effective: the lesson's own marking, else the engagement's ceiling. */
  classification: string;
  author: string;
  created_at: string;
  updated_at: string;
  merged_into: string | null;
  merged_from_count: number;
  evidence_count: number;
  evidence: Evidence[];
  context: string;
  what_happened: string;
  root_cause: string;
  what_worked: string;
  what_did_not: string;
  recommendation: string;
}

/** All the lessons of one engagement doc. */
export interface EngagementLessonsRow {
  doc_id: string;
  lessons: LessonRow[];
}

export const LESSON_COLUMNS = [
  'ref',
  'doc_id',
  'engagement_id',
  'lesson_id',
  'title',
  'skill_area',
  'industry',
  'tags',
  'applies_to',
  'status',
  'classification',
  'author',
  'created_at',
  'updated_at',
  'merged_into',
  'merged_from_count',
  'evidence_count',
  'evidence',
  'context',
  'what_happened',
  'root_cause',
  'what_worked',
  'what_did_not',
  'recommendation',
] as const satisfies ReadonlyArray<keyof LessonRow>;

const COLUMN_TYPES: Record<(typeof LESSON_COLUMNS)[number], string> = {
  ref: 'text',
  doc_id: 'text',
  engagement_id: 'uuid',
  lesson_id: 'uuid',
  title: 'text',
  skill_area: 'text',
  industry: 'text',
  tags: 'text[]',
  applies_to: 'text[]',
  status: 'text',
  classification: 'text',
  author: 'text',
  created_at: 'text',
  updated_at: 'text',
  merged_into: 'text',
  merged_from_count: 'integer',
  evidence_count: 'integer',
  evidence: 'jsonb',
  context: 'text',
  what_happened: 'text',
  root_cause: 'text',
  what_worked: 'text',
  what_did_not: 'text',
  recommendation: 'text',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function lessonToRow(docId: string, lesson: Lesson, ceiling: string, updatedAt: string): LessonRow {
  return {
    ref: lessonRef(lesson.engagementId, lesson.id),
    doc_id: docId,
    engagement_id: lesson.engagementId,
    lesson_id: lesson.id,
    title: lesson.title,
    skill_area: lesson.skillArea,
    industry: lesson.industry,
    tags: lesson.tags,
    applies_to: lesson.appliesTo,
    status: lesson.status,
    classification: lesson.classification || ceiling,
    author: lesson.author,
    created_at: lesson.createdAt,
    updated_at: updatedAt,
    merged_into: lesson.mergedInto,
    merged_from_count: lesson.mergedFrom.length,
    evidence_count: lesson.evidence.length,
    evidence: lesson.evidence.map((e) => ({ kind: e.kind, engagementId: e.engagementId, id: e.id, label: e.label })),
    context: lesson.context,
    what_happened: lesson.whatHappened,
    root_cause: lesson.rootCause,
    what_worked: lesson.whatWorked,
    what_did_not: lesson.whatDidNot,
    recommendation: lesson.recommendation,
  };
}

/**
 * Lessons live in the engagement doc (they travel with it, under its ceiling); this projection
 * writes one row per lesson for the library across engagements: facets, full-text search and
 * trigram similarity. The engagement's own row is another projection of the same doc.
 */
export const lessonProjection: Projection<EngagementLessonsRow> = {
  kind: 'engagement',
  table: 'lessons',
  // Lesson texts are typed into the engagement doc: recomputing every lesson's row (and its search
  // vector) per keystroke would tax typing. The engagement row itself stays immediate.
  debounceMs: 400,

  tableRows(row: EngagementLessonsRow): number {
    return row.lessons.length;
  },

  compute(docId: string, doc: Y.Doc, log: DocLogInfo): EngagementLessonsRow {
    const engagementId = parseDocId(docId).id;
    if (!UUID.test(engagementId)) return { doc_id: docId, lessons: [] };
    const { engagement } = readEngagement(doc);
    const lessons = readLessons(doc, engagementId)
      .lessons.filter((lesson) => UUID.test(lesson.id))
      .map((lesson) => lessonToRow(docId, lesson, engagement.ceiling, log.updatedAt))
      .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
    return { doc_id: docId, lessons };
  },

  /** Replaces the doc's rows: one DELETE and one INSERT of every lesson (as a JSON record set). */
  async write(tx: Queryable, row: EngagementLessonsRow): Promise<void> {
    await tx.query('DELETE FROM lessons WHERE doc_id = $1', [row.doc_id]);
    if (!row.lessons.length) return;
    const columns = LESSON_COLUMNS.join(', ');
    const record = LESSON_COLUMNS.map((c) => `${c} ${COLUMN_TYPES[c]}`).join(', ');
    await tx.query(`INSERT INTO lessons (${columns}) SELECT ${columns} FROM jsonb_to_recordset($1::jsonb) AS r(${record})`, [
      JSON.stringify(row.lessons),
    ]);
  },

  async clear(tx: Queryable): Promise<void> {
    await tx.query('DELETE FROM lessons');
  },

  /** Grouped by engagement doc, every engagement doc included (one without lessons has none). */
  async readAll(db: Queryable | Database): Promise<EngagementLessonsRow[]> {
    const docs = await db.query<{ doc_id: string }>(
      `SELECT doc_id FROM docs WHERE kind = 'engagement' UNION SELECT DISTINCT doc_id FROM lessons ORDER BY doc_id`,
    );
    const rows = await db.query<LessonRow>(
      `SELECT ${LESSON_COLUMNS.map((c) => (c === 'engagement_id' || c === 'lesson_id' ? `${c}::text AS ${c}` : c)).join(', ')}
       FROM lessons ORDER BY ref COLLATE "C"`,
    );
    const grouped = new Map<string, LessonRow[]>(docs.rows.map((d) => [d.doc_id, []]));
    for (const lesson of rows.rows) grouped.get(lesson.doc_id)?.push(lesson);
    return [...grouped].map(([doc_id, lessons]) => ({ doc_id, lessons }));
  },
};
