import type * as Y from 'yjs';
import { isAtOrBelow } from '../../shared/classification';
import { readEngagement } from '../../shared/engagements/doc';
import { OutpostError } from '../../shared/errors';
import { docIdFor, newId } from '../../shared/ids';
import type {
  LessonSummary,
  LibraryFilter,
  LibraryResult,
  PlaybookSummary,
  ResolvedEvidence,
  RetrospectiveItem,
  SimilarPair,
} from '../../shared/lessons/calls';
import { libraryFilterSchema } from '../../shared/lessons/calls';
import { absorbLesson, addLesson, markMergedInto, readLesson, readLessons } from '../../shared/lessons/doc';
import { draftFromCard, draftFromNote } from '../../shared/lessons/drafts';
import { type Lesson, type LessonCreate, lessonCreateSchema, lessonRef, lessonRefSchema, parseLessonRef } from '../../shared/lessons/model';
import { initPlaybookDoc, readPlaybook, replaceLessonRef } from '../../shared/lessons/playbook';
import { type ScoredPair, similarPairs, similarTo } from '../../shared/lessons/similarity';
import { candidateWords, firstWords, queryLexemes, snippet } from '../../shared/lessons/snippet';
import { readMap } from '../../shared/map/doc';
import { SYSTEM_KIND_LABELS, type SystemKind } from '../../shared/map/model';
import { readCards, readStakeholders } from '../../shared/stakeholders/doc';
import { parseOrThrow } from '../../shared/validation';
import type { DocStore } from '../docs/doc-store';
import type { EngagementService } from '../engagements/engagement-service';
import type { Database } from '../notebook/database';
import type { NotebookSettings } from '../notebook/settings';
import { toTsQuery } from '../notes/note-query';
import type { NoteService } from '../notes/note-service';
import type { LessonRow } from './lesson-projection';
import { FACET_NAMES, filterAndCount, type LibraryEntry } from './library-index';
import type { PlaybookRow } from './playbook-projection';

type SummaryRow = Omit<LessonRow, 'evidence'> & {
  codename: string | null;
  client: string | null;
  snippet?: string;
  snippet_source?: string;
  query_text?: string;
};

/** Columns of a library row (every projected column but the evidence array and the texts). */
const SUMMARY_COLUMNS = `l.ref, l.doc_id, l.engagement_id::text AS engagement_id, l.lesson_id::text AS lesson_id, l.title, l.skill_area,
  l.industry, l.tags, l.applies_to, l.status, l.classification, l.author, l.created_at, l.updated_at, l.merged_into,
  l.merged_from_count, l.evidence_count, left(l.recommendation, 600) AS recommendation, left(l.what_happened, 600) AS what_happened,
  e.codename, e.client`;

/** The text a search snippet is cut from (a match in the title alone shows the recommendation's opening). */
const SNIPPET_TEXT = `left(l.recommendation || ' ' || l.what_happened || ' ' || l.root_cause || ' ' || l.what_worked || ' ' ||
  l.what_did_not || ' ' || l.context, 4000)`;

function toSummary(row: SummaryRow): LessonSummary {
  return {
    ref: row.ref,
    id: row.lesson_id,
    engagementId: row.engagement_id,
    engagementCodename: row.codename ?? '',
    engagementClient: row.client ?? '',
    title: row.title,
    skillArea: row.skill_area,
    industry: row.industry,
    tags: row.tags,
    appliesTo: row.applies_to,
    status: row.status as LessonSummary['status'],
    classification: row.classification,
    author: row.author,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    snippet: row.snippet ?? firstWords(row.recommendation || row.what_happened),
    evidenceCount: row.evidence_count,
    mergedInto: row.merged_into,
    mergedFromCount: row.merged_from_count,
  };
}

/** How the library labels an "applies to" item of the map's vocabulary. */
export function appliesToLabel(value: string): string {
  const [type, ...rest] = value.split(':');
  const name = rest.join(':');
  if (type === 'system') return SYSTEM_KIND_LABELS[name as SystemKind] ?? name;
  if (type === 'protocol') return `${name} (protocol)`;
  if (type === 'format') return `${name} (format)`;
  return value;
}

function playbookSummary(row: PlaybookRow): PlaybookSummary {
  return {
    id: row.id,
    title: row.title,
    chapters: row.chapters,
    lessons: row.lessons,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The lessons library across every engagement of the notebook. Lessons are edited in their
 * engagement's Y.Doc (shared/lessons/doc.ts); this service reads the `lessons` projection for the
 * library, search and similarity, and writes through the DocStore for merges, CLI adds and playbooks.
 */
export class LessonService {
  constructor(
    private readonly db: Database,
    private readonly docs: DocStore,
    private readonly settings: NotebookSettings,
    private readonly engagements: EngagementService,
    private readonly notes: NoteService,
  ) {
    // Lessons live in engagement docs: any change to one may change the library's entries.
    docs.onChange((_docId, kind) => {
      if (kind === 'engagement') this.entries = null;
    });
  }

  /** See `libraryEntries`. */
  private entries: Promise<{ entries: LibraryEntry[]; engagementLabels: Map<string, string> }> | null = null;

  // ---- Library -----------------------------------------------------------------------------

  /**
   * Filtered, searched and faceted lessons. Within a facet the chosen values are alternatives
   * (any of them); facets combine with AND. Each facet is counted within every other selection
   * but its own, so its values stay choosable. The year facet ignores the from/to range.
   */
  async library(input: LibraryFilter & { limit?: number; offset?: number }): Promise<LibraryResult> {
    const { limit = 100, offset = 0, ...rest } = input;
    const filter = parseOrThrow(libraryFilterSchema, rest, 'library filter');
    let matches: Map<string, number> | null = null;
    let tsquery: { sql: string; value: string } | null = null;
    if (filter.query.trim()) {
      const parsed = toTsQuery(filter.query);
      if (!parsed) return { total: 0, lessons: [], facets: emptyFacets() };
      const query = { sql: parsed.sql.replace('$Q', '$1'), value: parsed.value };
      tsquery = query;
      // The planner prefers a sequential scan once a word is in a tenth of the lessons, but that
      // reads every lesson's search vector (measured: 31 ms against 8 ms through the GIN index at
      // 5,000 lessons, for a word in 547 of them), so the index is insisted on.
      const found = await this.db.transaction(async (tx) => {
        await tx.exec('SET LOCAL enable_seqscan = off');
        return tx.query<{ ref: string; rank: number }>(
          // Ranked by the small rank_vector (migration 10), not the whole search vector.
          `SELECT ref, ts_rank_cd(rank_vector, ${query.sql}) AS rank FROM lessons WHERE search @@ ${query.sql}`,
          [query.value],
        );
      });
      matches = new Map(found.rows.map((row) => [row.ref, Number(row.rank)]));
    }
    const library = await this.libraryEntries();
    const engagementLabel = library.engagementLabels;
    const { hits, facets: counts } = filterAndCount(library.entries, filter, matches);
    const page = hits.slice(offset, offset + limit).map((hit) => hit.entry.ref);
    // Only the page is read from the database, with its snippets' source text when searching.
    const pageRows = page.length
      ? await this.db.query<SummaryRow>(
          `SELECT ${SUMMARY_COLUMNS} ${tsquery ? `, ${SNIPPET_TEXT} AS snippet_source, (${tsquery.sql})::text AS query_text` : ''}
           FROM lessons l LEFT JOIN engagements e ON e.id = l.engagement_id
           WHERE l.ref = ANY(${tsquery ? '$2' : '$1'}::text[])`,
          tsquery ? [tsquery.value, page] : [page],
        )
      : { rows: [] as SummaryRow[] };
    if (tsquery) await this.cutSnippets(pageRows.rows);
    const byRef = new Map(pageRows.rows.map((row) => [row.ref, row]));
    const facets = emptyFacets();
    for (const name of FACET_NAMES) {
      for (const [value, count] of counts[name]) {
        const label = name === 'appliesTo' ? appliesToLabel(value) : name === 'engagement' ? (engagementLabel.get(value) ?? value) : value;
        facets[name].push({ value, label, count });
      }
      facets[name].sort((a, b) =>
        name === 'year'
          ? b.value.localeCompare(a.value)
          : b.count - a.count || a.label.localeCompare(b.label, 'en', { sensitivity: 'base' }),
      );
    }
    const lessons = page.flatMap((ref) => {
      const row = byRef.get(ref);
      return row ? [toSummary(row)] : [];
    });
    return { total: hits.length, lessons, facets };
  }

  /**
   * Marks the page's matches (shared/lessons/snippet.ts): Postgres gives the query's lexemes and
   * those of the page's words that could match them, in one query; the fragments are cut here.
   */
  private async cutSnippets(rows: SummaryRow[]): Promise<void> {
    const lexemes = queryLexemes(rows[0]?.query_text ?? '');
    const sources = rows.map((row) => row.snippet_source ?? '');
    const words = candidateWords(sources, lexemes);
    const stems = new Map<string, string[]>();
    if (words.length) {
      const result = await this.db.query<{ word: string; lexemes: string[] }>(
        `SELECT word, tsvector_to_array(to_tsvector('english', word)) AS lexemes FROM unnest($1::text[]) AS word`,
        [words],
      );
      for (const row of result.rows) stems.set(row.word, row.lexemes);
    }
    for (const row of rows) row.snippet = snippet(row.snippet_source ?? '', lexemes, (word) => stems.get(word));
  }

  /**
   * The library's facet fields of every lesson, kept in memory until an engagement doc (where
   * lessons live) changes: filtering and counting them is then a millisecond's work.
   */
  private libraryEntries(): Promise<{ entries: LibraryEntry[]; engagementLabels: Map<string, string> }> {
    if (!this.entries) {
      const engagements = this.db.query<{ id: string; codename: string; client: string }>(
        'SELECT id::text AS id, codename, client FROM engagements',
      );
      const lessons = this.db.query<{
        ref: string;
        skill_area: string;
        applies_to: string[];
        industry: string;
        tags: string[];
        engagement_id: string;
        created_at: string;
        status: string;
        merged: boolean;
      }>(
        `SELECT ref, skill_area, applies_to, industry, tags, engagement_id::text AS engagement_id, created_at, status,
                  merged_into IS NOT NULL AS merged FROM lessons`,
      );
      const loading = Promise.all([lessons, engagements]).then(([result, labels]) => ({
        engagementLabels: new Map(labels.rows.map((e) => [e.id, e.codename || e.client || e.id])),
        entries: result.rows.map((row) => ({
          ref: row.ref,
          skillArea: row.skill_area,
          appliesTo: row.applies_to,
          industry: row.industry,
          tags: row.tags,
          engagementId: row.engagement_id,
          createdAt: row.created_at,
          status: row.status,
          merged: row.merged,
        })),
      }));
      this.entries = loading;
      loading.catch(() => {
        if (this.entries === loading) this.entries = null;
      });
    }
    return this.entries;
  }

  /** Summaries with resolved evidence; refs not in the library come back in `missing`. */
  async get(refs: string[]): Promise<{ lessons: Array<LessonSummary & { evidence: ResolvedEvidence[] }>; missing: string[] }> {
    const wanted = [...new Set(refs.map((ref) => parseOrThrow(lessonRefSchema, ref, 'lesson reference')))];
    const rows = await this.db.query<SummaryRow & { evidence: LessonRow['evidence'] }>(
      `SELECT ${SUMMARY_COLUMNS}, l.evidence FROM lessons l LEFT JOIN engagements e ON e.id = l.engagement_id WHERE l.ref = ANY($1::text[])`,
      [wanted],
    );
    const byRef = new Map(rows.rows.map((row) => [row.ref, row]));
    const resolved = await this.resolveEvidence(rows.rows.flatMap((row) => row.evidence));
    const lessons = wanted.flatMap((ref) => {
      const row = byRef.get(ref);
      return row ? [{ ...toSummary(row), evidence: row.evidence.map((e) => resolved(e)) }] : [];
    });
    return { lessons, missing: wanted.filter((ref) => !byRef.has(ref)) };
  }

  /**
   * Resolves evidence links: a note this notebook does not hold (withheld by a capped bundle, or
   * never received) is `withheld` and nothing of it is read; a system, integration or card no
   * longer in its engagement's doc is `missing`; the rest is `ok` with its current title.
   */
  private async resolveEvidence(links: LessonRow['evidence']): Promise<(link: LessonRow['evidence'][number]) => ResolvedEvidence> {
    const noteIds = [...new Set(links.filter((l) => l.kind === 'note').map((l) => l.id))];
    const notes = new Map<string, string>();
    const noteDocs = new Set<string>();
    if (noteIds.length) {
      const present = await this.db.query<{ doc_id: string }>('SELECT doc_id FROM docs WHERE doc_id = ANY($1::text[])', [
        noteIds.map((id) => docIdFor('note', id)),
      ]);
      for (const row of present.rows) noteDocs.add(row.doc_id.slice('note:'.length));
      const titles = await this.db.query<{ id: string; title: string }>(
        'SELECT id::text AS id, title FROM notes WHERE id = ANY($1::uuid[])',
        [[...noteDocs]],
      );
      for (const row of titles.rows) notes.set(row.id, row.title);
    }
    const engagementIds = [...new Set(links.filter((l) => l.kind !== 'note').map((l) => l.engagementId))];
    const maps = new Map<string, { systems: Map<string, string>; integrations: Map<string, string>; cards: Map<string, string> } | null>();
    for (const engagementId of engagementIds) {
      const doc = await this.docs.currentCopy(docIdFor('engagement', engagementId));
      if (!doc) {
        maps.set(engagementId, null);
        continue;
      }
      try {
        const { map } = readMap(doc);
        const names = new Map(map.systems.map((s) => [s.id, s.name]));
        maps.set(engagementId, {
          systems: names,
          integrations: new Map(map.integrations.map((i) => [i.id, i.label || `${names.get(i.from) ?? '?'} → ${names.get(i.to) ?? '?'}`])),
          cards: new Map(readCards(doc).cards.map((c) => [c.id, c.title])),
        });
      } finally {
        doc.destroy();
      }
    }
    return (link) => {
      const base = { kind: link.kind, engagementId: link.engagementId, id: link.id, label: link.label };
      if (link.kind === 'note') {
        if (!noteDocs.has(link.id)) return { ...base, state: 'withheld', href: null };
        return {
          ...base,
          label: notes.get(link.id) || link.label,
          state: 'ok',
          href: `#/engagements/${link.engagementId}/notes/${link.id}`,
        };
      }
      const engagement = maps.get(link.engagementId);
      if (!engagement) return { ...base, state: 'withheld', href: null };
      const found = link.kind === 'system' ? engagement.systems : link.kind === 'integration' ? engagement.integrations : engagement.cards;
      const title = found.get(link.id);
      if (title === undefined) return { ...base, state: 'missing', href: null };
      const href =
        link.kind === 'system'
          ? `#/engagements/${link.engagementId}/map/${link.id}`
          : link.kind === 'integration'
            ? `#/engagements/${link.engagementId}/map`
            : `#/engagements/${link.engagementId}/stakeholders`;
      return { ...base, label: title || link.label, state: 'ok', href };
    };
  }

  private async summaries(refs: string[]): Promise<Map<string, LessonSummary>> {
    if (!refs.length) return new Map();
    const rows = await this.db.query<SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM lessons l LEFT JOIN engagements e ON e.id = l.engagement_id WHERE l.ref = ANY($1::text[])`,
      [refs],
    );
    return new Map(rows.rows.map((row) => [row.ref, toSummary(row)]));
  }

  // ---- Similar lessons ---------------------------------------------------------------------

  /**
   * Likely duplicates by trigram similarity (pg_trgm's definition) of the title and the
   * recommendation's opening (the projected `similarity_text`): pairs over the whole library, each
   * once, or the lessons similar to `ref`; merged lessons are left out. Computed here with a prefix
   * filter (shared/lessons/similarity.ts), not by pg_trgm in the database: measured in PGlite,
   * `a.similarity_text % b.similarity_text` over 1,000 lessons took 90 s, and a lateral join on a GIN
   * trigram index over 5,000 took over 6 minutes (lessons share most trigrams, so the index returns
   * nearly every row). The extension is therefore not loaded.
   */
  async similar(options: { ref?: string | undefined; threshold?: number; limit?: number } = {}): Promise<{ pairs: SimilarPair[] }> {
    const threshold = options.threshold ?? 0.45;
    if (!(threshold >= 0.1 && threshold <= 1)) throw new OutpostError('invalid_request', 'The similarity threshold is between 0.1 and 1');
    const limit = Math.min(Math.max(options.limit ?? 200, 1), 1_000);
    const ref = options.ref === undefined ? undefined : parseOrThrow(lessonRefSchema, options.ref, 'lesson reference');
    const texts = await this.db.query<{ ref: string; text: string }>(
      'SELECT ref, similarity_text AS text FROM lessons WHERE merged_into IS NULL ORDER BY ref',
    );
    let found: ScoredPair[];
    if (ref) {
      const own = texts.rows.find((row) => row.ref === ref);
      if (!own) {
        if (!(await this.summaries([ref])).has(ref)) throw new OutpostError('not_found', `No lesson ${ref} in the library`);
        return { pairs: [] };
      }
      found = similarTo(
        own.text,
        texts.rows.filter((row) => row.ref !== ref),
        threshold,
        limit,
      ).map((match) => ({ a: ref, b: match.ref, score: match.score }));
    } else found = similarPairs(texts.rows, threshold, limit);
    const summaries = await this.summaries([...new Set(found.flatMap((p) => [p.a, p.b]))]);
    return {
      pairs: found.flatMap((pair) => {
        const a = summaries.get(pair.a);
        const b = summaries.get(pair.b);
        return a && b ? [{ a, b, score: Math.round(pair.score * 1000) / 1000 }] : [];
      }),
    };
  }

  // ---- Merge -------------------------------------------------------------------------------

  /**
   * Merges duplicates into `survivor`. Everything is checked before anything changes. Then the
   * survivor absorbs every evidence link, tag and "applies to" item; each playbook that names an
   * absorbed lesson names the survivor instead; each absorbed lesson is marked merged — in every
   * document involved at once, committed in one database transaction (DocStore.changeTogether):
   * a crash or a failed write leaves none of it on disk. Every step is idempotent, so running the
   * same merge again changes nothing more.
   */
  async merge(survivorRef: string, absorbedRefs: string[]): Promise<LessonSummary> {
    const survivor = parseOrThrow(lessonRefSchema, survivorRef, 'lesson reference');
    const absorbed = absorbedRefs.map((ref) => parseOrThrow(lessonRefSchema, ref, 'lesson reference'));
    if (!absorbed.length) throw new OutpostError('invalid_request', 'Name at least one lesson to merge into the survivor');
    if (new Set(absorbed).size !== absorbed.length)
      throw new OutpostError('invalid_request', 'A lesson is named twice among those to merge');
    if (absorbed.includes(survivor)) throw new OutpostError('invalid_request', 'The surviving lesson cannot also be merged into itself');
    const docs = new Map<string, Y.Doc>();
    const load = async (ref: string): Promise<{ doc: Y.Doc; lesson: Lesson }> => {
      const { engagementId, lessonId } = parseLessonRef(ref);
      const docId = docIdFor('engagement', engagementId);
      let doc = docs.get(docId);
      if (!doc) {
        if (!(await this.docs.exists(docId)))
          throw new OutpostError('not_found', `No lesson ${ref}: its engagement is not in this notebook`);
        doc = await this.docs.open(docId);
        docs.set(docId, doc);
      }
      try {
        return { doc, lesson: readLesson(doc, engagementId, lessonId) };
      } catch (error) {
        if (error instanceof OutpostError && error.code === 'not_found')
          throw new OutpostError('not_found', `No lesson ${ref} in this notebook`);
        throw error;
      }
    };
    const target = await load(survivor);
    if (target.lesson.mergedInto) {
      throw new OutpostError(
        'invalid_request',
        `"${target.lesson.title}" was itself merged into ${target.lesson.mergedInto}; merge into that one`,
      );
    }
    const others: Array<{ ref: string; doc: Y.Doc; lesson: Lesson }> = [];
    for (const ref of absorbed) {
      const item = await load(ref);
      if (item.lesson.mergedInto && item.lesson.mergedInto !== survivor) {
        throw new OutpostError('invalid_request', `"${item.lesson.title}" (${ref}) was already merged into ${item.lesson.mergedInto}`);
      }
      others.push({ ref, ...item });
    }
    const evidenceTotal = new Set([
      ...target.lesson.evidence.map((e) => `${e.kind}:${e.engagementId}:${e.id}`),
      ...others.flatMap((o) => o.lesson.evidence.map((e) => `${e.kind}:${e.engagementId}:${e.id}`)),
    ]).size;
    if (evidenceTotal > 200 - others.length) {
      throw new OutpostError('invalid_request', 'Merged, the lesson would hold more than 200 evidence links; remove some first');
    }
    const playbooks: Array<{ docId: string; doc: Y.Doc }> = [];
    for (const docId of await this.docs.listDocIds('playbook')) {
      const doc = await this.docs.open(docId);
      const placed = new Set(readPlaybook(doc).chapters.flatMap((c) => c.lessons));
      if (absorbed.some((ref) => placed.has(ref))) playbooks.push({ docId, doc });
    }
    // Checked; now every change, all documents committed together.
    await this.docs.changeTogether([...docs.keys(), ...playbooks.map((p) => p.docId)], () => {
      for (const other of others) absorbLesson(target.doc, target.lesson.id, other.lesson, other.ref);
      for (const { doc } of playbooks) for (const ref of absorbed) replaceLessonRef(doc, ref, survivor);
      for (const other of others) markMergedInto(other.doc, other.lesson.id, survivor);
    });
    // The library reads the projections: write the ones the change owes now.
    for (const docId of docs.keys()) await this.docs.flush(docId);
    const summary = (await this.summaries([survivor])).get(survivor);
    if (!summary) throw new OutpostError('internal', 'The merged lesson is not in the library');
    return summary;
  }

  // ---- Capture -----------------------------------------------------------------------------

  /** Adds a lesson to an engagement (the CLI; the app edits its replica). Its own marking may not exceed the ceiling. */
  async add(engagementId: string, input: LessonCreate): Promise<LessonSummary> {
    const parsed = parseOrThrow(lessonCreateSchema, input, 'lesson');
    const engagement = await this.engagements.get(engagementId);
    if (parsed.classification) this.checkClassification(parsed.classification, engagement.ceiling);
    const docId = docIdFor('engagement', engagementId);
    const doc = await this.docs.open(docId);
    const id = addLesson(doc, parsed);
    await this.docs.flush(docId);
    const summary = (await this.summaries([`${engagementId}:${id}`])).get(`${engagementId}:${id}`);
    if (!summary) throw new OutpostError('internal', 'The new lesson is not in the library');
    return summary;
  }

  /** The refs of the lessons not merged into another, from the engagement docs: one engagement's, or every one's (archived too). */
  async refs(engagementId?: string): Promise<string[]> {
    const ids = engagementId ? [engagementId] : (await this.engagements.list({ includeArchived: true })).map((e) => e.id);
    const refs: string[] = [];
    for (const id of ids)
      for (const lesson of readLessons(await this.engagementDoc(id), id).lessons)
        if (!lesson.mergedInto) refs.push(lessonRef(id, lesson.id));
    return refs;
  }

  checkClassification(level: string, ceiling: string): void {
    const levels = this.settings.classificationLevels;
    if (!levels.includes(level))
      throw new OutpostError('invalid_request', `Unknown classification level ${level}; levels are ${levels.join(', ')}`);
    if (!isAtOrBelow(levels, level, ceiling)) {
      throw new OutpostError('invalid_request', `A lesson cannot be marked ${level}: its engagement's ceiling is ${ceiling}`);
    }
  }

  /** "Turn into lesson": a draft from a note (via its Markdown) or a translation card; writes nothing. */
  async draft(source: { kind: 'note' | 'card'; engagementId: string; id: string }): Promise<LessonCreate> {
    if (source.kind === 'note') {
      const meta = await this.notes.meta(source.id);
      if (meta.engagementId !== source.engagementId) throw new OutpostError('not_found', 'This note belongs to another engagement');
      return { ...draftFromNote(meta, await this.notes.markdown(source.id)), classification: meta.classification };
    }
    const doc = await this.engagementDoc(source.engagementId);
    const card = readCards(doc).cards.find((c) => c.id === source.id);
    if (!card) throw new OutpostError('not_found', 'This translation card no longer exists');
    return draftFromCard(source.engagementId, card, readStakeholders(doc).stakeholders);
  }

  /** The retrospective's items: incident and decision notes and cards delivered to someone, oldest first, each with a draft. */
  async retrospective(engagementId: string): Promise<RetrospectiveItem[]> {
    const doc = await this.engagementDoc(engagementId);
    const { engagement } = readEngagement(doc);
    const notes = await this.db.query<{
      id: string;
      title: string;
      type: 'incident' | 'decision';
      classification: string;
      created_at: string;
    }>(
      `SELECT id::text AS id, title, type, classification, created_at FROM notes
       WHERE engagement_id = $1::uuid AND type IN ('incident', 'decision') ORDER BY created_at, id`,
      [engagementId],
    );
    const items: RetrospectiveItem[] = [];
    for (const note of notes.rows) {
      const draft = await this.draft({ kind: 'note', engagementId, id: note.id });
      items.push({
        key: `note:${note.id}`,
        kind: note.type,
        title: note.title || 'Untitled note',
        date: note.created_at,
        classification: note.classification,
        draft: parseOrThrow(lessonCreateSchema, draft, 'draft'),
      });
    }
    const stakeholders = readStakeholders(doc).stakeholders;
    for (const card of readCards(doc).cards) {
      const delivered = card.renderings.filter((r) => r.status === 'delivered');
      if (!delivered.length) continue;
      const date =
        delivered
          .map((r) => r.deliveredAt ?? r.updatedAt)
          .sort()
          .at(-1) ?? card.createdAt;
      items.push({
        key: `card:${card.id}`,
        kind: 'brief',
        title: card.title,
        date,
        classification: engagement.ceiling,
        draft: parseOrThrow(lessonCreateSchema, draftFromCard(engagementId, card, stakeholders), 'draft'),
      });
    }
    // A delivery is recorded as a day: it sorts after that day's notes.
    const sortKey = (date: string) => (date.length === 10 ? `${date}T23:59:59.999Z` : date);
    return items.sort((a, b) => sortKey(a.date).localeCompare(sortKey(b.date)) || a.key.localeCompare(b.key));
  }

  private async engagementDoc(engagementId: string): Promise<Y.Doc> {
    await this.engagements.get(engagementId);
    return this.docs.open(docIdFor('engagement', engagementId));
  }

  // ---- Playbooks ---------------------------------------------------------------------------

  async playbooks(): Promise<PlaybookSummary[]> {
    const rows = await this.db.query<PlaybookRow>(
      'SELECT id::text AS id, doc_id, title, chapters, lessons, created_at, updated_at FROM playbooks ORDER BY lower(title), id',
    );
    return rows.rows.map(playbookSummary);
  }

  async createPlaybook(title: string): Promise<PlaybookSummary> {
    const id = newId();
    await this.docs.create(docIdFor('playbook', id), (doc) => initPlaybookDoc(doc, id, title, new Date().toISOString()));
    const rows = await this.db.query<PlaybookRow>(
      'SELECT id::text AS id, doc_id, title, chapters, lessons, created_at, updated_at FROM playbooks WHERE id = $1::uuid',
      [id],
    );
    const row = rows.rows[0];
    if (!row) throw new OutpostError('internal', 'The new playbook is not listed');
    return playbookSummary(row);
  }
}

function emptyFacets(): LibraryResult['facets'] {
  return { skillArea: [], appliesTo: [], industry: [], tag: [], engagement: [], year: [] };
}
