import { isAtOrBelow } from '../../shared/classification';
import type { SeenBeforeLesson, SeenBeforeMatch, SeenBeforeResult } from '../../shared/debugging/calls';
import { describeSignature, extractSignatures, type Signature } from '../../shared/debugging/signatures';
import { jaccard, NEAR_THRESHOLD } from '../../shared/debugging/similarity';
import { OutpostError } from '../../shared/errors';
import type { Database } from '../notebook/database';
import type { SignatureRow } from './signature-projection';

/** Candidate rows read for near matches before exact scoring (the band index keeps this small). */
const NEAR_CANDIDATES = 500;

/** A stored signature with its note's title and engagement's codename, as a shown match needs it. */
type Row = Omit<SignatureRow, 'kind' | 'bands' | 'lines'> & { title: string; codename: string };

/** What ranking needs of a stored signature; the rest is read for the shown matches only. */
type Candidate = Pick<
  SignatureRow,
  'doc_id' | 'block_index' | 'ordinal' | 'note_id' | 'template_id' | 'tokens' | 'frames_key' | 'classification' | 'updated_at'
>;

const CANDIDATE = `SELECT s.doc_id, s.block_index, s.ordinal, s.note_id::text AS note_id, s.template_id, s.tokens, s.frames_key,
       s.classification, s.updated_at FROM error_signatures s`;

const SELECT = `SELECT s.doc_id, s.block_index, s.ordinal, s.note_id::text AS note_id, s.engagement_id::text AS engagement_id, s.template_id, s.template,
       s.exception_type, s.frames, s.frames_key, s.tokens, s.classification, s.resolution, s.created_at,
       s.updated_at, n.title, e.codename
  FROM error_signatures s JOIN notes n ON n.id = s.note_id JOIN engagements e ON e.id = s.engagement_id`;

/**
 * "Seen this before?": the error signatures of a text (shared/debugging), looked up in the
 * error_signatures projection of every note — the same template first, then similar templates
 * (rows sharing a MinHash band, scored by word overlap) and the same crash site (exception type
 * and top frames). One entry per note, its best match. Notes marked above the ceiling are only
 * counted per level: their title, text and engagement never leave this function.
 */
export class SeenBefore {
  constructor(
    private readonly db: Database,
    private readonly levels: () => readonly string[],
  ) {}

  async lookup(request: {
    text?: string | undefined;
    noteId?: string | undefined;
    engagementId?: string | undefined;
    limit: number;
  }): Promise<SeenBeforeResult> {
    const ceiling = await this.ceilingFor(request.engagementId);
    const signatures = request.noteId ? await this.signaturesOf(request.noteId) : extractSignatures(request.text ?? '');
    const exclude = request.noteId ?? '';
    const result: SeenBeforeResult = {
      ceiling,
      signatures: signatures.map((s) => ({ kind: s.kind, signature: describeSignature(s), lines: s.lines })),
      matches: [],
      lessons: [],
      withheld: [],
    };
    if (!signatures.length) return result;

    const best = new Map<string, { row: Candidate; match: 'exact' | 'near'; similarity: number }>();
    const offer = (row: Candidate, match: 'exact' | 'near', similarity: number) => {
      if (row.note_id === exclude) return;
      const current = best.get(row.note_id);
      const better =
        !current || (match === 'exact' && current.match === 'near') || (match === current.match && similarity > current.similarity);
      if (better) best.set(row.note_id, { row, match, similarity });
    };

    const ids = [...new Set(signatures.map((s) => s.templateId))];
    const exact = await this.db.query<Candidate>(`${CANDIDATE} WHERE s.template_id = ANY($1::text[])`, [ids]);
    for (const row of exact.rows) offer(row, 'exact', 1);

    // Near: rows sharing a band (or the crash site), those sharing the most bands first.
    const bands = [...new Set(signatures.flatMap((s) => s.bands))];
    const sites = [...new Set(signatures.map((s) => s.framesKey).filter(Boolean))];
    const near = await this.db.query<Candidate>(
      `${CANDIDATE} WHERE s.template_id <> ALL($1::text[]) AND (s.bands && $2::integer[] OR s.frames_key = ANY($3::text[]))
       ORDER BY s.frames_key = ANY($3::text[]) DESC, (SELECT count(*) FROM unnest(s.bands) AS b WHERE b = ANY($2::integer[])) DESC
       LIMIT ${NEAR_CANDIDATES}`,
      [ids, bands, sites],
    );
    for (const row of near.rows) {
      const similarity = Math.max(...signatures.map((s) => nearness(s, row)));
      if (similarity >= NEAR_THRESHOLD) offer(row, 'near', similarity);
    }

    const levels = this.levels();
    const withheld = new Map<string, number>();
    const ranked = [...best.values()].sort(
      (a, b) =>
        Number(b.match === 'exact') - Number(a.match === 'exact') ||
        b.similarity - a.similarity ||
        b.row.updated_at.localeCompare(a.row.updated_at),
    );
    const shown: typeof ranked = [];
    for (const entry of ranked) {
      if (!isAtOrBelow(levels, entry.row.classification, ceiling)) {
        withheld.set(entry.row.classification, (withheld.get(entry.row.classification) ?? 0) + 1);
        continue;
      }
      if (shown.length < request.limit) shown.push(entry);
    }
    // Titles, engagements, templates and resolutions of the shown matches only.
    const details = shown.length
      ? await this.db.query<Row>(
          `${SELECT} WHERE (s.doc_id, s.block_index, s.ordinal) IN (SELECT * FROM unnest($1::text[], $2::integer[], $3::integer[]))`,
          [shown.map((e) => e.row.doc_id), shown.map((e) => e.row.block_index), shown.map((e) => e.row.ordinal)],
        )
      : { rows: [] as Row[] };
    const byKey = new Map(details.rows.map((r) => [`${r.doc_id}|${r.block_index}|${r.ordinal}`, r]));
    for (const { row, match, similarity } of shown) {
      const full = byKey.get(`${row.doc_id}|${row.block_index}|${row.ordinal}`);
      if (full) result.matches.push(toMatch(full, match, similarity));
    }
    result.lessons = await this.lessonsCiting(ranked, exclude, ceiling, withheld, request.limit);
    result.withheld = [...withheld]
      .map(([level, count]) => ({ level, count }))
      .sort((a, b) => levels.indexOf(a.level) - levels.indexOf(b.level));
    return result;
  }

  /**
   * Lessons (not merged into another) whose evidence is one of the matching notes, best match
   * first; those above the ceiling are only counted, like notes.
   */
  private async lessonsCiting(
    ranked: Array<{ row: Candidate; match: 'exact' | 'near' }>,
    exclude: string,
    ceiling: string,
    withheld: Map<string, number>,
    limit: number,
  ): Promise<SeenBeforeLesson[]> {
    if (!ranked.length) return [];
    const levels = this.levels();
    const rank = new Map(
      ranked.map((entry, index) => [
        entry.row.note_id,
        { index, match: entry.match, visible: isAtOrBelow(levels, entry.row.classification, ceiling) },
      ]),
    );
    const rows = await this.db.query<{
      lesson_id: string;
      title: string;
      engagement_id: string;
      codename: string;
      classification: string;
      recommendation: string;
      note_id: string;
    }>(
      `SELECT DISTINCT ON (l.lesson_id, ev->>'id') l.lesson_id::text AS lesson_id, l.title, l.engagement_id::text AS engagement_id,
              coalesce(e.codename, '') AS codename, l.classification, l.recommendation, ev->>'id' AS note_id
       FROM lessons l CROSS JOIN LATERAL jsonb_array_elements(l.evidence) AS ev
       LEFT JOIN engagements e ON e.id = l.engagement_id
       WHERE l.merged_into IS NULL AND ev->>'kind' = 'note' AND ev->>'id' = ANY($1::text[])`,
      [[...rank.keys()].filter((id) => id !== exclude)],
    );
    const best = new Map<string, (typeof rows.rows)[number]>();
    for (const row of rows.rows) {
      const current = best.get(row.lesson_id);
      if (!current || (rank.get(row.note_id)?.index ?? 0) < (rank.get(current.note_id)?.index ?? 0)) best.set(row.lesson_id, row);
    }
    const lessons: SeenBeforeLesson[] = [];
    for (const row of [...best.values()].sort((a, b) => (rank.get(a.note_id)?.index ?? 0) - (rank.get(b.note_id)?.index ?? 0))) {
      if (!isAtOrBelow(levels, row.classification, ceiling)) {
        withheld.set(row.classification, (withheld.get(row.classification) ?? 0) + 1);
        continue;
      }
      if (lessons.length >= limit) continue;
      lessons.push({
        lessonId: row.lesson_id,
        title: row.title,
        engagementId: row.engagement_id,
        codename: row.codename,
        classification: row.classification,
        recommendation: row.recommendation,
        // A cited note above the ceiling is not named, not even by its id.
        noteId: rank.get(row.note_id)?.visible ? row.note_id : '',
        match: rank.get(row.note_id)?.match ?? 'near',
      });
    }
    return lessons;
  }

  /** A note's signatures as the projection stored them. */
  private async signaturesOf(noteId: string): Promise<Signature[]> {
    const rows = await this.db.query<SignatureRow>(
      `SELECT kind, template_id, template, exception_type, frames, frames_key, tokens, bands, lines
         FROM error_signatures WHERE note_id = $1::uuid ORDER BY block_index, ordinal`,
      [noteId],
    );
    return rows.rows.map((r) => ({
      kind: r.kind,
      templateId: r.template_id,
      template: r.template,
      exceptionType: r.exception_type,
      frames: r.frames,
      framesKey: r.frames_key,
      tokens: r.tokens,
      bands: r.bands,
      lines: r.lines,
    }));
  }

  /** The engagement's ceiling; without one, the lowest level, so nothing leaks by default. */
  private async ceilingFor(engagementId: string | undefined): Promise<string> {
    if (!engagementId) return this.levels()[0] as string;
    const rows = await this.db.query<{ ceiling: string }>('SELECT ceiling FROM engagements WHERE id = $1::uuid', [engagementId]);
    const ceiling = rows.rows[0]?.ceiling;
    if (!ceiling) throw new OutpostError('not_found', `No engagement with id ${engagementId}`);
    return ceiling;
  }
}

/** How near a stored signature is to one of the text's: word overlap, or 0.9 for the same crash site. */
function nearness(signature: Signature, row: Candidate): number {
  const words = jaccard(signature.tokens, row.tokens);
  const sameSite = signature.framesKey !== '' && signature.framesKey === row.frames_key ? 0.9 : 0;
  return Math.max(words, sameSite);
}

function toMatch(row: Row, match: 'exact' | 'near', similarity: number): SeenBeforeMatch {
  return {
    noteId: row.note_id,
    title: row.title,
    engagementId: row.engagement_id,
    codename: row.codename,
    classification: row.classification,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    match,
    similarity: Math.round(similarity * 100) / 100,
    signature: describeSignature({ exceptionType: row.exception_type, template: row.template, frames: row.frames }),
    resolution: row.resolution,
  };
}
