import type { JSONContent } from '@tiptap/core';
import { isAtOrBelow, levelRank } from '../../shared/classification';
import { OutpostError } from '../../shared/errors';
import { docIdFor, newId, uuidSchema } from '../../shared/ids';
import { appendParagraph, applyNotePatch, initNoteDoc, noteBodyJSON, readNoteMeta } from '../../shared/notes/doc';
import { markdownToNoteJSON, noteJSONToMarkdown } from '../../shared/notes/markdown';
import {
  type NoteCreate,
  type NoteFilter,
  type NoteMeta,
  type NotePatch,
  type NoteSort,
  type NoteSummary,
  noteCreateSchema,
  noteFilterSchema,
  notePatchSchema,
  type SearchHit,
  SNIPPET_START,
  SNIPPET_STOP,
} from '../../shared/notes/model';
import { defaultNoteTitle, noteTemplate } from '../../shared/notes/templates';
import { parseOrThrow } from '../../shared/validation';
import type { DocStore, NewDoc } from '../docs/doc-store';
import type { EngagementService } from '../engagements/engagement-service';
import type { Database } from '../notebook/database';
import type { DeviceIdentity } from '../notebook/identity';
import type { NotebookSettings } from '../notebook/settings';
import { NOTE_LIST_COLUMNS, type NoteListRow, rowToNoteSummary } from './note-projection';
import { noteFilterSql, toTsQuery } from './note-query';

/** How many matches of one search are ranked (the most recently updated ones). */
const RANK_CANDIDATES = 2000;

const ORDER_BY: Record<NoteSort, string> = {
  updated: 'n.pinned DESC, n.updated_at DESC, n.id',
  created: 'n.pinned DESC, n.created_at DESC, n.id',
  title: 'n.pinned DESC, lower(n.title), n.id',
};

export interface NoteCounts {
  total: number;
  byType: Record<string, number>;
  tags: Array<{ tag: string; count: number }>;
}

/**
 * Notes: each its own Y.Doc (metadata + body) through the DocStore; listed and searched from the
 * projection, which trails typing by the projection's debounce (under a second).
 */
export class NoteService {
  constructor(
    private readonly db: Database,
    private readonly docs: DocStore,
    private readonly settings: NotebookSettings,
    private readonly engagements: EngagementService,
    private readonly device: () => DeviceIdentity,
  ) {}

  async create(input: NoteCreate): Promise<NoteSummary> {
    const { docId, init } = await this.prepare(input, new Date());
    await this.docs.create(docId, init);
    return this.summary(docId.slice('note:'.length));
  }

  /** Creates many notes in one transaction (generated corpora, imports). */
  async createMany(inputs: NoteCreate[]): Promise<void> {
    const now = new Date();
    const prepared: NewDoc[] = [];
    for (const input of inputs) prepared.push(await this.prepare(input, now));
    await this.docs.createMany(prepared);
  }

  async update(id: string, patch: NotePatch): Promise<NoteSummary> {
    const parsed = parseOrThrow(notePatchSchema, patch, 'note change');
    const doc = await this.docs.open(await this.existingDocId(id));
    if (parsed.classification !== undefined) {
      const { ceiling } = await this.engagements.get(readNoteMeta(doc).engagementId);
      this.checkClassification(parsed.classification, ceiling);
    }
    applyNotePatch(doc, parsed);
    await this.docs.flush(docIdFor('note', id));
    return this.summary(id);
  }

  async meta(id: string): Promise<NoteMeta> {
    return readNoteMeta(await this.docs.open(await this.existingDocId(id)));
  }

  async summary(id: string): Promise<NoteSummary> {
    await this.docs.flush(docIdFor('note', id));
    const result = await this.db.query<NoteListRow>(`SELECT ${NOTE_LIST_COLUMNS} FROM notes n WHERE n.id = $1::uuid`, [id]);
    const row = result.rows[0];
    if (!row) throw new OutpostError('not_found', `No note with id ${id}`);
    return rowToNoteSummary(row);
  }

  async markdown(id: string): Promise<string> {
    const doc = await this.docs.open(await this.existingDocId(id));
    return noteJSONToMarkdown(noteBodyJSON(doc));
  }

  async list(filter: NoteFilter & { sort?: NoteSort; limit?: number }): Promise<{ notes: NoteSummary[]; counts: NoteCounts }> {
    const { sort, limit, ...rest } = filter;
    const parsed = parseOrThrow(noteFilterSchema, rest, 'note filter');
    const params: unknown[] = [];
    const where = noteFilterSql(parsed, params);
    params.push(Math.min(limit ?? 500, 5000));
    const rows = await this.db.query<NoteListRow>(
      `SELECT ${NOTE_LIST_COLUMNS} FROM notes n WHERE ${where} ORDER BY ${ORDER_BY[sort ?? 'updated']} LIMIT $${params.length}`,
      params,
    );
    return { notes: rows.rows.map(rowToNoteSummary), counts: await this.counts(parsed) };
  }

  /** Counts for the list's facets: by type (ignoring the type filter) and the commonest tags. */
  private async counts(filter: NoteFilter): Promise<NoteCounts> {
    const params: unknown[] = [];
    const where = noteFilterSql({ ...filter, types: undefined, tag: undefined }, params);
    const byType = await this.db.query<{ type: string; n: number }>(
      `SELECT n.type, count(*)::int AS n FROM notes n WHERE ${where} GROUP BY n.type`,
      params,
    );
    const tags = await this.db.query<{ tag: string; n: number }>(
      `SELECT t AS tag, count(*)::int AS n FROM notes n, unnest(n.tags) AS t WHERE ${where} GROUP BY t ORDER BY n DESC, t LIMIT 50`,
      params,
    );
    return {
      total: byType.rows.reduce((sum, row) => sum + row.n, 0),
      byType: Object.fromEntries(byType.rows.map((row) => [row.type, row.n])),
      tags: tags.rows.map((row) => ({ tag: row.tag, count: row.n })),
    };
  }

  /** Notes that link to `id` with [[…]]. */
  async backlinks(id: string): Promise<NoteSummary[]> {
    const rows = await this.db.query<NoteListRow>(
      `SELECT ${NOTE_LIST_COLUMNS} FROM notes n JOIN note_links l ON l.source_id = n.id WHERE l.target_id = $1::uuid ORDER BY n.updated_at DESC`,
      [id],
    );
    return rows.rows.map(rowToNoteSummary);
  }

  /** Ranked full-text search with highlighted snippets; a query that cannot be parsed finds nothing, never fails. */
  async search(query: string, filter: NoteFilter = {}, limit = 20): Promise<SearchHit[]> {
    const parsed = parseOrThrow(noteFilterSchema, filter, 'search filter');
    const tsquery = toTsQuery(query);
    if (!tsquery) return [];
    const params: unknown[] = [tsquery.value];
    const where = noteFilterSql(parsed, params);
    params.push(Math.min(Math.max(limit, 1), 100));
    const q = tsquery.sql.replace('$Q', '$1');
    // Ranking is bounded: a word found in thousands of notes ranks its most recently updated
    // RANK_CANDIDATES matches, so one common word cannot make search-as-you-type crawl.
    params.push(RANK_CANDIDATES);
    const result = await this.db.query<NoteListRow & { codename: string; rank: number; snippet: string }>(
      `SELECT ${NOTE_LIST_COLUMNS}, coalesce(e.codename, '') AS codename, top.rank,
              ts_headline('english', left(n.body, 30000), ${q},
                'StartSel=${SNIPPET_START}, StopSel=${SNIPPET_STOP}, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "') AS snippet
       FROM (
         SELECT c.id, ts_rank_cd(c.rank_vector, ${q}) AS rank, c.updated_at
         FROM (
           SELECT n.id, n.rank_vector, n.updated_at FROM notes n
           WHERE n.search @@ ${q} AND ${where}
           ORDER BY n.updated_at DESC
           LIMIT $${params.length}
         ) c
         ORDER BY rank DESC, c.updated_at DESC
         LIMIT $${params.length - 1}
       ) top
       JOIN notes n ON n.id = top.id
       LEFT JOIN engagements e ON e.id = n.engagement_id
       ORDER BY top.rank DESC, top.updated_at DESC`,
      params,
    );
    return result.rows.map((row) => ({
      note: rowToNoteSummary(row),
      engagementCodename: row.codename,
      rank: Number(row.rank),
      snippet: row.snippet,
    }));
  }

  /** Today's field log of an engagement: found by type and title, created when missing. */
  async fieldLog(engagementId: string, date: string): Promise<NoteSummary> {
    const title = `Field log ${date}`;
    const existing = await this.db.query<{ id: string }>(
      `SELECT id FROM notes WHERE engagement_id = $1::uuid AND type = 'field-log' AND title = $2 ORDER BY created_at LIMIT 1`,
      [engagementId, title],
    );
    if (existing.rows[0]) return this.summary(existing.rows[0].id);
    return this.create({ engagementId, type: 'field-log', title });
  }

  /** Appends a line to a note's body (CLI quick capture). */
  async append(id: string, text: string): Promise<void> {
    const docId = await this.existingDocId(id);
    appendParagraph(await this.docs.open(docId), text);
    await this.docs.flush(docId);
  }

  /** A note by id, or by exact title (case-insensitive) within an engagement. */
  async resolve(ref: string, engagementId?: string): Promise<string> {
    const trimmed = ref.trim();
    if (uuidSchema.safeParse(trimmed).success) {
      await this.existingDocId(trimmed);
      return trimmed;
    }
    const result = await this.db.query<{ id: string; title: string }>(
      `SELECT id, title FROM notes WHERE lower(title) = lower($1) ${engagementId ? 'AND engagement_id = $2::uuid' : ''} ORDER BY id`,
      engagementId ? [trimmed, engagementId] : [trimmed],
    );
    if (result.rows.length === 1) return (result.rows[0] as { id: string }).id;
    if (result.rows.length > 1)
      throw new OutpostError(
        'ambiguous',
        `More than one note is titled "${trimmed}"; use its id`,
        result.rows.map((r) => r.id),
      );
    throw new OutpostError('not_found', `No note with id or title "${trimmed}"`);
  }

  private async prepare(input: NoteCreate, now: Date): Promise<NewDoc> {
    const parsed = parseOrThrow(noteCreateSchema, input, 'note');
    const engagement = await this.engagements.get(parsed.engagementId);
    const classification = parsed.classification ?? (this.settings.classificationLevels[0] as string);
    this.checkClassification(classification, engagement.ceiling);
    const body: JSONContent = parsed.markdown !== undefined ? markdownToNoteJSON(parsed.markdown) : noteTemplate(parsed.type);
    const id = newId();
    const device = this.device();
    const init = {
      id,
      engagementId: parsed.engagementId,
      title: parsed.title || defaultNoteTitle(parsed.type, now),
      type: parsed.type,
      classification,
      tags: parsed.tags ?? [],
      pinned: parsed.pinned ?? false,
      createdAt: now.toISOString(),
      authorId: device.deviceId,
      authorName: device.name,
    };
    return { docId: docIdFor('note', id), init: (doc) => initNoteDoc(doc, init, body) };
  }

  private checkClassification(level: string, ceiling: string): void {
    const levels = this.settings.classificationLevels;
    if (levelRank(levels, level) < 0)
      throw new OutpostError('invalid_request', `Unknown classification level "${level}". Levels: ${levels.join(' < ')}`);
    if (!isAtOrBelow(levels, level, ceiling)) {
      throw new OutpostError('invalid_request', `A note cannot be marked ${level}: the engagement's ceiling is ${ceiling}`);
    }
  }

  private async existingDocId(id: string): Promise<string> {
    const docId = docIdFor('note', id);
    if (!uuidSchema.safeParse(id).success || !(await this.docs.exists(docId))) throw new OutpostError('not_found', `No note with id ${id}`);
    return docId;
  }
}
