import { z } from 'zod';
import { levelNameSchema } from '../classification';
import { uuidSchema } from '../ids';
import { EXPORT_FORMATS } from './export-format';
import { lessonRefSchema } from './model';
import { FINDING_KINDS, REDACTION_CATEGORIES, REDACTION_LIMITS, redactionOverridesSchema } from './redaction';

/**
 * The sanitized export's contract calls (spread into shared/api/contract.ts): redaction
 * dictionary, preview of every replacement, final check and download.
 */

/** What an export holds: a playbook (its chapters and lessons) or chosen lessons. */
export const exportSelectionSchema = z.union([
  z.strictObject({ playbookId: uuidSchema }),
  z.strictObject({ refs: z.array(lessonRefSchema).min(1).max(5_000) }),
]);
export type ExportSelection = z.infer<typeof exportSelectionSchema>;

export const exportRequestSchema = z.strictObject({
  selection: exportSelectionSchema,
  format: z.enum(EXPORT_FORMATS, { error: 'The format is md, html or pdf' }),
  /** Replace names with pseudonyms and refuse while the final scan finds anything. */
  sanitize: z.boolean().default(true),
  /** The highest marking the export may hold; the notebook's lowest level when omitted. */
  maxClassification: levelNameSchema.optional(),
  /** Findings of the final scan the person explicitly allows (not remembered). */
  allow: z.array(z.string().trim().min(1).max(REDACTION_LIMITS.term)).max(1_000).default([]),
  /** The reader's local date (YYYY-MM-DD) printed on the export; today in UTC when omitted. */
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});
export type ExportRequest = z.input<typeof exportRequestSchema>;

export const dictionaryEntrySchema = z.strictObject({
  term: z.string(),
  replacement: z.string(),
  category: z.enum(REDACTION_CATEGORIES),
  source: z.string(),
  enabled: z.boolean(),
});
const replacementSchema = z.strictObject({
  term: z.string(),
  replacement: z.string(),
  category: z.enum(REDACTION_CATEGORIES),
  count: z.number().int(),
});
export const findingSchema = z.strictObject({
  text: z.string(),
  kind: z.enum(FINDING_KINDS),
  count: z.number().int(),
  context: z.string(),
});

export const exportPreviewSchema = z.strictObject({
  fileName: z.string(),
  title: z.string(),
  cap: z.string(),
  sanitized: z.boolean(),
  chapters: z.number().int(),
  lessons: z.number().int(),
  /** Lessons above the cap, left out (their real titles: this preview stays on this machine). */
  leftOut: z.array(z.strictObject({ ref: z.string(), title: z.string(), classification: z.string() })),
  /** Refs that name no lesson any more (deleted, or an engagement not in this notebook). */
  missing: z.number().int(),
  /** Evidence links shown as withheld (above the cap or gone). */
  withheldEvidence: z.number().int(),
  replacements: z.array(replacementSchema),
  /** What the final scan still finds in the output; the export refuses until this is empty. */
  findings: z.array(findingSchema),
  /** The files the export holds (the Markdown folder's paths; one file otherwise). */
  files: z.array(z.string()),
});
export type ExportPreview = z.infer<typeof exportPreviewSchema>;

export const lessonExportCalls = {
  /** The redaction dictionary for a selection: entries built from its engagements, with the notebook's overrides applied. */
  'lessons.redactionDictionary': {
    request: z.strictObject({ selection: exportSelectionSchema }),
    response: z.strictObject({ entries: z.array(dictionaryEntrySchema), overrides: redactionOverridesSchema }),
  },
  /** Replaces the notebook-wide overrides (change a pseudonym, disable an entry, add a term). */
  'lessons.setRedactionOverrides': {
    request: z.strictObject({ overrides: redactionOverridesSchema }),
    response: z.strictObject({ overrides: redactionOverridesSchema }),
  },
  /** Adds (or changes) overrides, keeping the others (the CLI's --replace TEXT=PSEUDONYM, remembered). */
  'lessons.addRedactionOverrides': {
    request: z.strictObject({ overrides: redactionOverridesSchema }),
    response: z.strictObject({ overrides: redactionOverridesSchema }),
  },
  /** What the export would hold: counts, lessons left out by the cap, every replacement, the final scan's findings. */
  'lessons.exportPreview': { request: exportRequestSchema, response: exportPreviewSchema },
  /**
   * The export as a file to download once (GET /bundles/<token>): a .zip holding the Markdown
   * folder, one HTML file, or a PDF. Refuses (invalid_request, each finding in `details`) while the
   * final scan finds anything not allowed.
   */
  'lessons.exportDownload': {
    request: exportRequestSchema,
    response: z.strictObject({
      token: z.string(),
      expiresAt: z.string(),
      fileName: z.string(),
      bytes: z.number().int(),
      lessons: z.number().int(),
      leftOut: z.number().int(),
    }),
  },
} as const;
