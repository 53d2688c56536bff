import { z } from 'zod';
import { uuidSchema } from '../ids';
import { EVIDENCE_KINDS, LESSON_STATUSES, lessonCreateSchema, lessonRefSchema } from './model';

/**
 * The lessons library's contract calls (spread into shared/api/contract.ts). Lessons, outcome
 * metrics, the retrospective's decisions and playbooks are edited in the renderer's replica of
 * their Y.Doc (engagement:<id>, playbook:<id>) with the functions of shared/lessons/doc.ts and
 * playbook.ts; these calls are what needs the whole notebook: the library across engagements
 * (facets, full-text search), similar-lesson detection and merging across docs, drafts from notes
 * the renderer has not opened, and the playbook list.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date as YYYY-MM-DD');
const facetValues = (max: number) => z.array(z.string().trim().min(1).max(120)).max(max);

export const libraryFilterSchema = z.strictObject({
  /** Full-text query (web-search syntax as in note search: words, "phrase", or, -exclude). */
  query: z.string().max(500).default(''),
  skillAreas: facetValues(50).optional(),
  /** Map vocabulary items: system:<kind>, protocol:<name>, format:<name>. */
  appliesTo: facetValues(50).optional(),
  industries: facetValues(50).optional(),
  tags: facetValues(50).optional(),
  engagementIds: z.array(uuidSchema).max(500).optional(),
  status: z.enum(LESSON_STATUSES).optional(),
  /** Lesson creation date range, inclusive. */
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** Lessons merged into another are hidden unless asked for. */
  includeMerged: z.boolean().default(false),
});
export type LibraryFilter = z.input<typeof libraryFilterSchema>;

export const lessonSummarySchema = z.strictObject({
  ref: z.string(),
  id: z.string(),
  engagementId: z.string(),
  /** The engagement's codename and client, as the library labels it. */
  engagementCodename: z.string(),
  engagementClient: z.string(),
  title: z.string(),
  skillArea: z.string(),
  industry: z.string(),
  tags: z.array(z.string()),
  appliesTo: z.array(z.string()),
  status: z.enum(LESSON_STATUSES),
  /** The effective marking (the engagement's ceiling when the lesson has none of its own). */
  classification: z.string(),
  author: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The recommendation's first words (or a search snippet with matches between « and »). */
  snippet: z.string(),
  evidenceCount: z.number().int(),
  mergedInto: z.string().nullable(),
  mergedFromCount: z.number().int(),
});
export type LessonSummary = z.infer<typeof lessonSummarySchema>;

const facetSchema = z.array(z.strictObject({ value: z.string(), label: z.string(), count: z.number().int() }));

export const libraryResultSchema = z.strictObject({
  total: z.number().int(),
  lessons: z.array(lessonSummarySchema),
  /** Counts within the current filter, per facet (each facet counted without its own selection). */
  facets: z.strictObject({
    skillArea: facetSchema,
    appliesTo: facetSchema,
    industry: facetSchema,
    tag: facetSchema,
    engagement: facetSchema,
    year: facetSchema,
  }),
});
export type LibraryResult = z.infer<typeof libraryResultSchema>;

/** An evidence link as the library shows it: resolved to what it points at, or withheld / gone. */
export const resolvedEvidenceSchema = z.strictObject({
  kind: z.enum(EVIDENCE_KINDS),
  engagementId: z.string(),
  id: z.string(),
  /** The label stored with the link; the target's current title when it can be shown. */
  label: z.string(),
  /** `withheld`: the target (a note above the reader's cap, or not in this notebook) is never dereferenced. */
  state: z.enum(['ok', 'withheld', 'missing']),
  /** The in-app route to open it (`#/engagements/E/notes/N`, …), when state is ok. */
  href: z.string().nullable(),
});
export type ResolvedEvidence = z.infer<typeof resolvedEvidenceSchema>;

export const similarPairSchema = z.strictObject({
  a: lessonSummarySchema,
  b: lessonSummarySchema,
  /** 0..1, trigram similarity of title and recommendation. */
  score: z.number(),
});
export type SimilarPair = z.infer<typeof similarPairSchema>;

export const playbookSummarySchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  chapters: z.number().int(),
  lessons: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PlaybookSummary = z.infer<typeof playbookSummarySchema>;

const draftSourceSchema = z.strictObject({ kind: z.enum(['note', 'card']), engagementId: uuidSchema, id: uuidSchema });

export const retrospectiveItemSchema = z.strictObject({
  /** `note:<id>` or `card:<id>`: the key the retrospective's decisions use. */
  key: z.string(),
  kind: z.enum(['incident', 'decision', 'brief']),
  title: z.string(),
  date: z.string(),
  /** Incidents and decisions: the note's marking. */
  classification: z.string(),
  draft: lessonCreateSchema,
});
export type RetrospectiveItem = z.infer<typeof retrospectiveItemSchema>;

export const lessonCalls = {
  /** The lead's library: every lesson in the notebook, filtered, searched and faceted. */
  'lessons.library': {
    request: libraryFilterSchema.extend({
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).max(100_000).default(0),
    }),
    response: libraryResultSchema,
  },
  /** Summaries and resolved evidence of lessons by ref (the playbook and merge views); unknown refs come back in `missing`. */
  'lessons.get': {
    request: z.strictObject({ refs: z.array(lessonRefSchema).min(1).max(2_000) }),
    response: z.strictObject({
      lessons: z.array(lessonSummarySchema.extend({ evidence: z.array(resolvedEvidenceSchema) })),
      missing: z.array(z.string()),
    }),
  },
  /**
   * Similar lessons (likely duplicates from different engineers): pairs above `threshold` across
   * the whole library, or the lessons similar to one `ref`. Merged lessons are left out.
   */
  'lessons.similar': {
    request: z.strictObject({
      ref: lessonRefSchema.optional(),
      threshold: z.number().min(0.1).max(1).default(0.45),
      limit: z.number().int().min(1).max(1_000).default(200),
    }),
    response: z.strictObject({ pairs: z.array(similarPairSchema) }),
  },
  /**
   * Merges duplicates into `survivor`: the survivor keeps every evidence link, tag and "applies to"
   * item of the others, which are marked merged (kept in their engagement, hidden from the library)
   * and replaced by the survivor in every playbook. All docs change in one transaction.
   */
  'lessons.merge': {
    request: z.strictObject({ survivor: lessonRefSchema, absorbed: z.array(lessonRefSchema).min(1).max(50) }),
    response: lessonSummarySchema,
  },
  /** "Turn into lesson": a draft from an incident (or any) note or a translation card; writes nothing. */
  'lessons.draft': { request: z.strictObject({ source: draftSourceSchema }), response: z.strictObject({ draft: lessonCreateSchema }) },
  /**
   * The end-of-engagement retrospective's items: the engagement's incidents, decision records and
   * delivered translation cards (briefs), each with a drafted lesson; decisions are in the doc.
   */
  'lessons.retrospective': {
    request: z.strictObject({ engagementId: uuidSchema }),
    response: z.strictObject({ items: z.array(retrospectiveItemSchema) }),
  },
  /**
   * Adds a lesson to an engagement (the command line; the app edits its replica). Its own marking
   * may not exceed the engagement's ceiling; the author is this device's name unless given.
   */
  'lessons.add': {
    request: z.strictObject({ engagementId: uuidSchema, lesson: lessonCreateSchema }),
    response: lessonSummarySchema,
  },
  /**
   * The refs of every lesson not merged into another, read from the engagement docs (archived
   * engagements included): of one engagement, or of the whole notebook.
   */
  'lessons.refs': {
    request: z.strictObject({ engagementId: uuidSchema.optional() }),
    response: z.strictObject({ refs: z.array(z.string()) }),
  },
  /** Playbooks of the notebook (each its own doc, playbook:<id>, edited in the renderer's replica). */
  'playbooks.list': { request: z.strictObject({}), response: z.strictObject({ playbooks: z.array(playbookSummarySchema) }) },
  'playbooks.create': {
    request: z.strictObject({ title: z.string().trim().min(1, 'Give the playbook a title').max(200) }),
    response: playbookSummarySchema,
  },
} as const;

export const lessonEvents = {
  /** Playbook projections changed (an edit in another window, an import, a merge): playbook lists refresh. */
  'playbooks.changed': z.strictObject({ ids: z.array(z.string()) }),
} satisfies Record<string, z.ZodType>;
