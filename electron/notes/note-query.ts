import type { NoteFilter } from '../../shared/notes/model';

/** Builds the WHERE clause for note filters, with numbered parameters from `params`. */
export function noteFilterSql(filter: NoteFilter, params: unknown[]): string {
  const where: string[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (filter.engagementId) add((p) => `n.engagement_id = ${p}::uuid`, filter.engagementId);
  if (filter.types?.length) add((p) => `n.type = ANY(${p}::text[])`, filter.types);
  if (filter.tag) add((p) => `${p} = ANY(n.tags)`, filter.tag.toLowerCase());
  if (filter.classification) add((p) => `n.classification = ${p}`, filter.classification);
  if (filter.from) add((p) => `n.updated_at >= ${p}`, filter.from);
  // `to` is a whole day: everything before the next midnight.
  if (filter.to) add((p) => `n.updated_at < (${p}::date + 1)::text`, filter.to);
  return where.length ? where.join(' AND ') : 'TRUE';
}

export interface TextQuery {
  /** SQL producing the tsquery from parameter `$Q`. */
  sql: string;
  /** The value bound to `$Q`. */
  value: string;
  /** A phrase without exclusions: candidates may be found by its words, then checked as a phrase. */
  phrase: boolean;
  /** A word to look for in the body (lower case) to centre the snippet on. */
  anchor: string;
}

/**
 * Turns what a person typed into a tsquery, without ever failing:
 * - plain words: every word must match, the last one as a prefix (search as you type);
 * - quotes, `or`, or a leading `-`: Postgres' own web-search syntax;
 * - nothing searchable (only operators or punctuation): null, and the caller returns no hits.
 * Words are reduced to letters and digits, so nothing typed can break the tsquery syntax.
 */
export function toTsQuery(input: string): TextQuery | null {
  const text = input.normalize('NFKC').trim().slice(0, 500);
  const excludes = /(^|\s)-\S/.test(text);
  const usesOperators = /["]|\sor\s/i.test(text) || excludes;
  const words = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (!words.length) return null;
  const anchor = snippetAnchor(text) ?? (words[0] as string).toLowerCase();
  if (usesOperators) return { sql: `websearch_to_tsquery('english', $Q)`, value: text, phrase: text.includes('"') && !excludes, anchor };
  const terms = words.slice(0, 32).map((word, i, all) => `'${word.toLowerCase()}'${i === all.length - 1 ? ':*' : ''}`);
  return { sql: `to_tsquery('english', $Q)`, value: terms.join(' & '), phrase: false, anchor };
}

/** The first word that is not excluded or an operator, lower case, without a plural `s`. */
function snippetAnchor(text: string): string | null {
  for (const token of text.split(/\s+/)) {
    if (token.startsWith('-') || token.toLowerCase() === 'or') continue;
    const word = token.match(/[\p{L}\p{N}]+/u)?.[0]?.toLowerCase();
    if (word) return word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word;
  }
  return null;
}
