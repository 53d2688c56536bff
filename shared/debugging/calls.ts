import { z } from 'zod';
import type { CallSpec } from '../api/call-spec';
import { uuidSchema } from '../ids';
import { LOG_KINDS } from './kinds';

/** What "seen before" reads at most: a log or trace pasted or piped in (the rest is not examined). */
export const SEEN_BEFORE_MAX_CHARS = 10 * 1024 * 1024;

const matchSchema = z.strictObject({
  noteId: z.string(),
  title: z.string(),
  engagementId: z.string(),
  codename: z.string(),
  classification: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** `exact`: the same template (same error, other variables); `near`: similar wording or the same crash site. */
  match: z.enum(['exact', 'near']),
  /** 1 for an exact match; the templates' word overlap (Jaccard) for a near one. */
  similarity: z.number(),
  /** The matched signature as one line: "Type: template  @ frames". */
  signature: z.string(),
  /** The note's Resolution / Fix / Root cause section, if it has one. */
  resolution: z.string(),
});
export type SeenBeforeMatch = z.infer<typeof matchSchema>;

/** A lesson whose evidence is a matching note: what the team learned from meeting this error. */
const lessonMatchSchema = z.strictObject({
  lessonId: z.string(),
  title: z.string(),
  engagementId: z.string(),
  codename: z.string(),
  classification: z.string(),
  recommendation: z.string(),
  /** The matching note the lesson cites, and how it matched. */
  noteId: z.string(),
  match: z.enum(['exact', 'near']),
});
export type SeenBeforeLesson = z.infer<typeof lessonMatchSchema>;

export const seenBeforeResponseSchema = z.strictObject({
  /** The level matches may be shown up to: the engagement's ceiling, or the lowest level without one. */
  ceiling: z.string(),
  /** The signatures found in the text. */
  signatures: z.array(z.strictObject({ kind: z.enum(LOG_KINDS), signature: z.string(), lines: z.number().int() })),
  matches: z.array(matchSchema),
  /** Lessons citing a matching note as evidence (exact matches first). */
  lessons: z.array(lessonMatchSchema),
  /** Matches in notes (and lessons) marked above the ceiling: only that they exist, and at which level. */
  withheld: z.array(z.strictObject({ level: z.string(), count: z.number().int() })),
});
export type SeenBeforeResult = z.infer<typeof seenBeforeResponseSchema>;

/** Reading text in images (OCR), in the background: how far it got, and what could not be read. */
export const ocrProgressSchema = z.strictObject({
  /** Images in the notebook (inline image types). */
  total: z.number().int(),
  /** Read (text found or not). */
  done: z.number().int(),
  /** Could not be read (not an image, too large, damaged): reported and skipped. */
  failed: z.number().int(),
  /** Not read yet. */
  waiting: z.number().int(),
  /** This process is reading images now (the app or the browser host; a CLI on its own reads none). */
  running: z.boolean(),
  /** The latest failures, newest first. */
  failures: z.array(z.strictObject({ sha256: z.string(), name: z.string(), error: z.string(), at: z.string() })).max(20),
});
export type OcrProgress = z.infer<typeof ocrProgressSchema>;

export const TIMELINE_KINDS = ['log', 'hypothesis', 'tried', 'resolution'] as const;

/** One moment of an incident: a log line's timestamp, or when a hypothesis or the resolution was written. */
export const timelineEntrySchema = z.strictObject({
  /** The instant in UTC (ISO 8601); null when it cannot be known. */
  at: z.string().nullable(),
  kind: z.enum(TIMELINE_KINDS),
  /** The log line, the hypothesis, or the resolution (cut). */
  text: z.string(),
  /** The timestamp as the log wrote it ('' for the note's own moments). */
  raw: z.string(),
  /** What was assumed or is uncertain (no time zone, no year, day/month order, arrived later). */
  flags: z.array(z.string()),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const timelineSchema = z.strictObject({
  entries: z.array(timelineEntrySchema).max(1000),
  /** Entries with a flag: read with care. */
  flagged: z.number().int(),
});
export type IncidentTimelineResult = z.infer<typeof timelineSchema>;

export const debuggingEvents = {
  /** OCR progress changed (throttled; while images are being read). */
  'ocr.progress': ocrProgressSchema,
} satisfies Record<string, z.ZodType>;

export const debuggingCalls = {
  'ocr.status': { request: z.strictObject({}), response: ocrProgressSchema },
  /**
   * An incident note's timeline, oldest first: the timestamps of its log blocks (normalised to
   * UTC, uncertain ones flagged), when each hypothesis was written down and ticked off as tried,
   * and when the resolution was written (from the note's update log).
   */
  'debugging.timeline': { request: z.strictObject({ noteId: uuidSchema }), response: timelineSchema },
  /**
   * Notes in every engagement whose logs or traces hold the same error as `text` (or as the log
   * blocks of note `noteId`), or a similar one, best first, with their resolution. Matches above the ceiling of `engagementId` (the
   * engagement being worked in; the lowest level when omitted) are withheld: counted, never shown.
   */
  'debugging.seenBefore': {
    request: z
      .strictObject({
        /** A log or trace pasted or piped in. */
        text: z.string().max(SEEN_BEFORE_MAX_CHARS, 'The text is larger than 10 MB; paste the error and its trace only').optional(),
        /** Or a note: its own signatures, looked up in every other note. */
        noteId: uuidSchema.optional(),
        engagementId: uuidSchema.optional(),
        limit: z.number().int().min(1).max(100).default(20),
      })
      .refine((r) => (r.text === undefined) !== (r.noteId === undefined), 'Give the text to look up, or a note'),
    response: seenBeforeResponseSchema,
  },
} satisfies Record<string, CallSpec>;
