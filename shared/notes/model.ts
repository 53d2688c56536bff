import { z } from 'zod';
import { levelNameSchema } from '../classification';
import { uuidSchema } from '../ids';

/** What an FDE writes on site. A type gives a starting structure (see templates.ts), not a cage. */
export const NOTE_TYPES = ['field-log', 'incident', 'decision', 'integration-contract', 'meeting', 'runbook', 'general'] as const;
export type NoteType = (typeof NOTE_TYPES)[number];

export const NOTE_TYPE_LABELS: Record<NoteType, string> = {
  'field-log': 'Field log',
  incident: 'Incident / debug session',
  decision: 'Decision record',
  'integration-contract': 'Integration contract',
  meeting: 'Meeting',
  runbook: 'Runbook',
  general: 'Note',
};

export const NOTE_LIMITS = {
  title: 300,
  tag: 50,
  tags: 50,
} as const;

export const noteTitleSchema = z.string().trim().max(NOTE_LIMITS.title, `A title is at most ${NOTE_LIMITS.title} characters`);

/** Tags are case-insensitive words or short phrases: stored lower-case, trimmed, no commas. */
export const tagSchema = z
  .string()
  .trim()
  .min(1, 'A tag cannot be empty')
  .max(NOTE_LIMITS.tag, `A tag is at most ${NOTE_LIMITS.tag} characters`)
  .regex(/^[^,#\n\r\t]+$/u, 'A tag cannot contain commas, # or line breaks')
  .transform((tag) => tag.toLowerCase());

export const tagsSchema = z
  .array(tagSchema)
  .max(NOTE_LIMITS.tags, `At most ${NOTE_LIMITS.tags} tags`)
  .transform((tags) => [...new Set(tags)]);

export const noteTypeSchema = z.enum(NOTE_TYPES, { error: `Type is one of ${NOTE_TYPES.join(', ')}` });

export const noteMetaFieldSchemas = {
  title: noteTitleSchema,
  type: noteTypeSchema,
  classification: levelNameSchema,
  pinned: z.boolean(),
  tags: tagsSchema,
};

export const notePatchSchema = z
  .strictObject(noteMetaFieldSchemas)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Nothing to change');
export type NotePatch = z.input<typeof notePatchSchema>;

export const noteCreateSchema = z.strictObject({
  engagementId: uuidSchema,
  type: noteTypeSchema,
  title: noteTitleSchema.optional(),
  tags: tagsSchema.optional(),
  classification: levelNameSchema.optional(),
  pinned: z.boolean().optional(),
  /** Markdown body; when absent, the type's template is used. */
  markdown: z.string().max(5_000_000, 'A Markdown body is at most 5 MB').optional(),
});
export type NoteCreate = z.input<typeof noteCreateSchema>;

export interface NoteMeta {
  id: string;
  engagementId: string;
  title: string;
  type: NoteType;
  classification: string;
  tags: string[];
  pinned: boolean;
  createdAt: string;
  authorId: string;
  authorName: string;
}

export const noteSummarySchema = z.strictObject({
  id: z.string(),
  engagementId: z.string(),
  title: z.string(),
  type: z.enum(NOTE_TYPES),
  classification: z.string(),
  tags: z.array(z.string()),
  pinned: z.boolean(),
  authorName: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  words: z.number().int(),
});
export type NoteSummary = z.infer<typeof noteSummarySchema>;

export const NOTE_SORTS = ['updated', 'created', 'title'] as const;
export type NoteSort = (typeof NOTE_SORTS)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date as YYYY-MM-DD');

/** Filters shared by the note list and search. */
export const noteFilterSchema = z.strictObject({
  engagementId: uuidSchema.optional(),
  types: z.array(noteTypeSchema).max(NOTE_TYPES.length).optional(),
  tag: tagSchema.optional(),
  classification: levelNameSchema.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export type NoteFilter = z.input<typeof noteFilterSchema>;

export const searchHitSchema = z.strictObject({
  note: noteSummarySchema,
  engagementCodename: z.string(),
  rank: z.number(),
  /** Snippet with matches between \u0001 and \u0002 (rendered as <mark>, never as HTML). */
  snippet: z.string(),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

export const SNIPPET_START = '\u0001';
export const SNIPPET_STOP = '\u0002';
