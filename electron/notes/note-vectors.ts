/**
 * The notes' three search vectors, as SQL over a note's title, tags and body. One definition for
 * every place that computes them: a single note's projection (in the notebook's database), and
 * bulk writes (on the search-vector worker's own database, handing back their text form). They
 * were generated columns until migration 15; the text form reads back into the same vector.
 */

/** The same function the notebook's schema has (migration 2), for the worker's database. */
export const JOIN_TAGS_FUNCTION_SQL = `CREATE FUNCTION outpost_join_tags(text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string($1, ' ') $$`;

/** The body is indexed up to this many characters (a tsvector holds at most 1 MB); snippets use all of it. */
const SEARCH_BODY_CHARS = 400_000;
/** Matches are ranked by title, tags and this much of the body's opening (small enough to stay inline). */
const RANK_BODY_CHARS = 1_500;

const head = (title: string, tags: string) =>
  `setweight(to_tsvector('english', ${title}), 'A') || setweight(to_tsvector('english', outpost_join_tags(${tags})), 'B')`;

/** SQL for each vector column of `notes`, given SQL expressions for the title, tags and body. */
export function noteVectorSql(title: string, tags: string, body: string): { search: string; rank_vector: string; head_vector: string } {
  return {
    search: `${head(title, tags)} || setweight(to_tsvector('english', left(${body}, ${SEARCH_BODY_CHARS})), 'C')`,
    rank_vector: `${head(title, tags)} || setweight(to_tsvector('english', left(${body}, ${RANK_BODY_CHARS})), 'C')`,
    head_vector: head(title, tags),
  };
}

/** The vector columns in the order the worker hands them back. */
export const NOTE_VECTOR_COLUMNS = ['search', 'rank_vector', 'head_vector'] as const;

/** One note's vectors in their text form (`tsvector::text`). */
export type NoteVectors = [search: string, rank: string, head: string];
