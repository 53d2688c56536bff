import { isAtOrBelow, levelRank } from '../../shared/classification';
import { OutpostError } from '../../shared/errors';
import { docIdFor, newId, uuidSchema } from '../../shared/ids';
import { type CaptureEntry, captureBlocks, pickCaptureEngagement } from '../../shared/notes/capture';
import {
  appendBlocks,
  appendParagraph,
  applyNotePatch,
  type BodyLink,
  initNoteDocFrom,
  linksInOrder,
  noteBodyJSON,
  readNoteMeta,
} from '../../shared/notes/doc';
import { noteJSONToMarkdown } from '../../shared/notes/markdown';
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
import type { BuiltDoc, DocStore, NewDoc } from '../docs/doc-store';
import type { EngagementService } from '../engagements/engagement-service';
import type { Database } from '../notebook/database';
import type { DeviceIdentity } from '../notebook/identity';
import type { NotebookSettings } from '../notebook/settings';
import type { NoteSpec } from './bulk-protocol';
import { bulkWorker } from './bulk-worker-client';
import { NOTE_LIST_COLUMNS, type NoteListRow, rowToNoteSummary } from './note-projection';
import { noteFilterSql, toTsQuery } from './note-query';

/** How many body matches of one search are ranked (the most recently updated ones). */
const RANK_CANDIDATES = 500;
/** How many notes whose title or tags match are ranked besides (the most recently updated ones). */
const TITLE_CANDIDATES = 100;
/** Snippets are cut from this many characters of the body, starting a little before the first hit. */
const SNIPPET_WINDOW = 3000;
const SNIPPET_LEAD = 400;

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

/** createMany builds notes in parts of this many, every other part on the bulk worker. */
const BUILD_PART = 100;

/** A note to create, as the document store builds it (Markdown parsed when the document is built). */
const newDocOf = (spec: NoteSpec): NewDoc => ({ docId: spec.docId, init: (doc) => initNoteDocFrom(doc, spec) });

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
    const { docId, init } = newDocOf(await this.specFor(input, new Date()));
    await this.docs.create(docId, init);
    return this.summary(docId.slice('note:'.length));
  }

  /** Creates many notes in one transaction (generated corpora, imports). */
  async createMany(inputs: NoteCreate[]): Promise<void> {
    const now = new Date();
    const specs: NoteSpec[] = [];
    // Each engagement is read once for the lot (thousands of notes share a few engagements).
    const ceilings = new Map<string, Promise<string>>();
    for (const input of inputs) specs.push(await this.specFor(input, now, ceilings));
    // Every other part is built on the bulk worker (Markdown parsed, first update, rows with their
    // search vectors) while this thread builds the rest; a part the worker declines is built here.
    const arrivedAt = new Date().toISOString();
    const tables = this.docs.projectionTables('note');
    const here: NoteSpec[] = [];
    const elsewhere: Array<Promise<BuiltDoc[] | NewDoc[]>> = [];
    for (let start = 0, part = 0; start < specs.length; start += BUILD_PART, part++) {
      const slice = specs.slice(start, start + BUILD_PART);
      if (part % 2 === 1 && bulkWorker.ready)
        elsewhere.push(bulkWorker.buildNotes(slice, tables, arrivedAt).then((built) => built ?? slice.map(newDocOf)));
      else here.push(...slice);
    }
    await this.docs.createMany(here.map(newDocOf), { arrivedAt, elsewhere });
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
    return (await this.markdownWithLinks(id)).markdown;
  }

  /** The body as Markdown and its `[[links]]` in the same order. */
  async markdownWithLinks(id: string): Promise<{ markdown: string; links: BodyLink[] }> {
    const doc = await this.docs.open(await this.existingDocId(id));
    const json = noteBodyJSON(doc);
    return { markdown: noteJSONToMarkdown(json), links: linksInOrder(json) };
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

  /**
   * Ranked full-text search with highlighted snippets; a query that cannot be parsed finds nothing,
   * never fails. How it stays fast when a word is in most notes:
   * - candidates come from the GIN indexes only (bitmap scans; the planner, without autovacuum
   *   statistics, would otherwise walk notes by date and read every note's large search vector):
   *   the RANK_CANDIDATES most recently updated matches, plus every note whose title or tags match
   *   (so a note named after the word is never lost to the cap);
   * - they are ranked by the small `rank_vector` (title, tags, opening of the body);
   * - a phrase is looked up as all its words (exact in the index), and the phrase itself is then
   *   checked against the full vector in rank order, only until `limit` notes are found (through
   *   ts_match_vq, the function behind @@, so that the planner cannot turn the check into a scan
   *   of every note that has the words);
   * - snippets are cut from a window around the first occurrence of a word, not the whole body.
   */
  async search(query: string, filter: NoteFilter = {}, limit = 20): Promise<SearchHit[]> {
    const parsed = parseOrThrow(noteFilterSchema, filter, 'search filter');
    const tsquery = toTsQuery(query);
    if (!tsquery) return [];
    const params: unknown[] = [tsquery.value];
    const where = noteFilterSql(parsed, params);
    params.push(Math.min(Math.max(limit, 1), 100));
    const limitParam = `$${params.length}`;
    params.push(RANK_CANDIDATES);
    const candidatesParam = `$${params.length}`;
    params.push(tsquery.anchor);
    const anchorParam = `$${params.length}`;
    const q = tsquery.sql.replace('$Q', '$1');
    // All the words of a phrase; a query with an exclusion keeps its exact form (relaxing a
    // negated phrase would drop notes that should match).
    const words = tsquery.phrase ? `regexp_replace((${q})::text, '<(-|[0-9]+)>', '&', 'g')::tsquery` : q;
    return this.db.transaction(async (tx) => {
      await tx.exec('SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off');
      const result = await tx.query<NoteListRow & { codename: string; rank: number; snippet: string }>(
        `WITH query AS MATERIALIZED (SELECT ${q} AS q, ${words} AS words),
         candidates AS (
           (SELECT n.id FROM notes n, query WHERE n.search @@ query.words AND ${where} ORDER BY n.updated_ms DESC LIMIT ${candidatesParam})
           UNION
           (SELECT n.id FROM notes n, query WHERE n.head_vector @@ query.words AND ${where} ORDER BY n.updated_ms DESC LIMIT ${TITLE_CANDIDATES})
         ),
         ranked AS MATERIALIZED (
           SELECT n.id, ts_rank_cd(n.rank_vector, query.words) AS rank, n.updated_ms
           FROM candidates c JOIN notes n ON n.id = c.id, query
           ORDER BY rank DESC, n.updated_ms DESC
         ),
         top AS (
           SELECT r.id, r.rank, r.updated_ms FROM ranked r
           ${tsquery.phrase ? 'JOIN notes n ON n.id = r.id, query WHERE ts_match_vq(n.search, query.q)' : ''}
           LIMIT ${limitParam}
         )
         SELECT ${NOTE_LIST_COLUMNS}, coalesce(e.codename, '') AS codename, top.rank,
                ts_headline('english',
                  substr(n.body, greatest(1, strpos(lower(left(n.body, 400000)), ${anchorParam}) - ${SNIPPET_LEAD}), ${SNIPPET_WINDOW}),
                  query.q,
                  'StartSel=${SNIPPET_START}, StopSel=${SNIPPET_STOP}, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "') AS snippet
         FROM top JOIN notes n ON n.id = top.id CROSS JOIN query
         LEFT JOIN engagements e ON e.id = n.engagement_id
         ORDER BY top.rank DESC, top.updated_ms DESC`,
        params,
      );
      return result.rows.map((row) => ({
        note: rowToNoteSummary(row),
        engagementCodename: row.codename,
        rank: Number(row.rank),
        snippet: row.snippet,
      }));
    });
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

  /**
   * Quick capture: the entry's blocks at the end of today's field log of the engagement (else the
   * one last shown, else the latest active one), as one edit. Returns the field log.
   */
  async capture(request: { engagementId?: string | undefined; date: string; time: string; entry: CaptureEntry }): Promise<NoteSummary> {
    const engagementId =
      request.engagementId ??
      pickCaptureEngagement(await this.engagements.list({ includeArchived: false }), this.settings.lastShownEngagement);
    if (!engagementId)
      throw new OutpostError(
        'not_found',
        'No open engagement to log to: open or create one in the app, or name one with --engagement (outpost log).',
      );
    const log = await this.fieldLog(engagementId, request.date);
    const docId = await this.existingDocId(log.id);
    appendBlocks(await this.docs.open(docId), captureBlocks(request.entry, request.time));
    await this.docs.flush(docId);
    return this.summary(log.id);
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

  /** What a new note will hold, checked against its engagement's ceiling. */
  private async specFor(input: NoteCreate, now: Date, ceilings = new Map<string, Promise<string>>()): Promise<NoteSpec> {
    const parsed = parseOrThrow(noteCreateSchema, input, 'note');
    let ceiling = ceilings.get(parsed.engagementId);
    if (!ceiling) {
      ceiling = this.engagements.get(parsed.engagementId).then((engagement) => engagement.ceiling);
      ceilings.set(parsed.engagementId, ceiling);
    }
    const classification = parsed.classification ?? (this.settings.classificationLevels[0] as string);
    this.checkClassification(classification, await ceiling);
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
    return {
      docId: docIdFor('note', id),
      init,
      body: parsed.markdown !== undefined ? { markdown: parsed.markdown } : { json: noteTemplate(parsed.type) },
    };
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
