import type { LibraryFilter } from '../../shared/lessons/calls';

/** What the library filters and counts on, for one lesson (a row of the `lessons` projection). */
export interface LibraryEntry {
  ref: string;
  skillArea: string;
  appliesTo: string[];
  industry: string;
  tags: string[];
  engagementId: string;
  createdAt: string;
  status: string;
  merged: boolean;
}

export type FacetName = 'skillArea' | 'appliesTo' | 'industry' | 'tag' | 'engagement' | 'year';
export const FACET_NAMES: readonly FacetName[] = ['skillArea', 'appliesTo', 'industry', 'tag', 'engagement', 'year'];

type ParsedFilter = Omit<LibraryFilter, 'query'> & { includeMerged?: boolean };

/** The day after a YYYY-MM-DD date, as YYYY-MM-DD (the "to" bound is inclusive of its whole day). */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The library's facets and filters over the whole library in memory: a few thousand small entries
 * filter and count in a millisecond or two, where the same in SQL (one pass per facet, each
 * counted without its own selection) cost tens of milliseconds in PGlite. Full-text matching stays
 * in the database; its refs come in as `matches`.
 */
export function filterAndCount(
  entries: readonly LibraryEntry[],
  filter: ParsedFilter,
  matches: ReadonlyMap<string, number> | null,
): { hits: Array<{ entry: LibraryEntry; rank: number }>; facets: Record<FacetName, Map<string, number>> } {
  const oneOf = (values: readonly string[] | undefined) => (values?.length ? new Set(values) : null);
  const skill = oneOf(filter.skillAreas);
  const applies = oneOf(filter.appliesTo);
  const industry = oneOf(filter.industries);
  const tags = oneOf(filter.tags?.map((t) => t.toLowerCase()));
  const engagements = oneOf(filter.engagementIds);
  const from = filter.from ?? null;
  const before = filter.to ? nextDay(filter.to) : null;
  const tests: Record<FacetName, (e: LibraryEntry) => boolean> = {
    skillArea: (e) => !skill || skill.has(e.skillArea),
    appliesTo: (e) => !applies || e.appliesTo.some((a) => applies.has(a)),
    industry: (e) => !industry || industry.has(e.industry),
    tag: (e) => !tags || e.tags.some((t) => tags.has(t)),
    engagement: (e) => !engagements || engagements.has(e.engagementId),
    year: (e) => (!from || e.createdAt >= from) && (!before || e.createdAt < before),
  };
  const facets = Object.fromEntries(FACET_NAMES.map((n) => [n, new Map<string, number>()])) as Record<FacetName, Map<string, number>>;
  const bump = (facet: FacetName, value: string) => facets[facet].set(value, (facets[facet].get(value) ?? 0) + 1);
  const hits: Array<{ entry: LibraryEntry; rank: number }> = [];
  for (const entry of entries) {
    if (entry.merged && !filter.includeMerged) continue;
    if (filter.status && entry.status !== filter.status) continue;
    const rank = matches ? matches.get(entry.ref) : 0;
    if (rank === undefined) continue;
    const failed = FACET_NAMES.filter((name) => !tests[name](entry));
    if (failed.length > 1) continue;
    // Counted in a facet when every other facet's selection holds (its own may not).
    const countIn = (name: FacetName) => failed.length === 0 || failed[0] === name;
    if (countIn('skillArea')) bump('skillArea', entry.skillArea);
    if (countIn('appliesTo')) for (const a of entry.appliesTo) bump('appliesTo', a);
    if (countIn('industry') && entry.industry) bump('industry', entry.industry);
    if (countIn('tag')) for (const t of entry.tags) bump('tag', t);
    if (countIn('engagement')) bump('engagement', entry.engagementId);
    if (countIn('year') && entry.createdAt.slice(0, 4)) bump('year', entry.createdAt.slice(0, 4));
    if (failed.length === 0) hits.push({ entry, rank });
  }
  hits.sort(
    (a, b) =>
      b.rank - a.rank ||
      (a.entry.createdAt < b.entry.createdAt ? 1 : a.entry.createdAt > b.entry.createdAt ? -1 : 0) ||
      (a.entry.ref < b.entry.ref ? -1 : a.entry.ref > b.entry.ref ? 1 : 0),
  );
  return { hits, facets };
}
