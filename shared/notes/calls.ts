import { z } from 'zod';
import { type CallSpec, empty } from '../api/call-spec';
import { base64Schema } from '../bytes';
import { uuidSchema } from '../ids';
import { NOTE_SORTS, noteCreateSchema, noteFilterSchema, notePatchSchema, noteSummarySchema, searchHitSchema } from './model';

/** Notes' contract calls: notes, their search, history and attachments. */

export const attachmentInfoSchema = z.strictObject({
  sha256: z.string(),
  size: z.number().int(),
  mime: z.string(),
  name: z.string(),
});
export type AttachmentInfo = z.infer<typeof attachmentInfoSchema>;

/** Attachment uploads travel in chunks of at most this many bytes. */
export const ATTACHMENT_CHUNK_BYTES = 1024 * 1024;

const noteCountsSchema = z.strictObject({
  total: z.number().int(),
  byType: z.record(z.string(), z.number().int()),
  tags: z.array(z.strictObject({ tag: z.string(), count: z.number().int() })),
});

// ---------------------------------------------------------------------------------------------
// Note history (electron/notes/note-history.ts): versions from the update log, diffs, restore

export const noteVersionSchema = z.strictObject({
  /** The last update-log row of this version: the note "as of" it. */
  upto: z.number().int(),
  from: z.string(),
  to: z.string(),
  kind: z.enum(['session', 'import']),
  deviceId: z.string(),
  bundleId: z.string().nullable(),
  /** How many updates (changes) the version holds. */
  rows: z.number().int(),
  /** Who: a device name, or the name of the device a bundle came from. */
  source: z.string(),
});
export type NoteVersionEntry = z.infer<typeof noteVersionSchema>;

/** A diff sent to the renderer carries at most this much text; the rest is cut and `truncated` says so. */
export const MAX_DIFF_CHARS = 512 * 1024;
/** …and at most this many parts. */
export const MAX_DIFF_PARTS = 20_000;

export const diffPartSchema = z.strictObject({
  kind: z.enum(['same', 'added', 'removed']),
  text: z.string().max(MAX_DIFF_CHARS),
});

/** A captured entry's text; more than this is attached as a text file instead (as pasting does). */
export const MAX_CAPTURE_CHARS = 1_000_000;

const captureEntrySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), text: z.string().min(1, 'Nothing to log').max(MAX_CAPTURE_CHARS) }),
  z.strictObject({
    kind: z.literal('code'),
    text: z.string().min(1, 'Nothing to log').max(MAX_CAPTURE_CHARS),
    language: z
      .string()
      .regex(/^[a-z0-9+#._-]{1,40}$/i)
      .optional(),
  }),
  z.strictObject({
    kind: z.literal('attachment'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    name: z.string().trim().min(1).max(255),
    size: z.number().int().nonnegative(),
    mime: z.string().max(255),
  }),
]);

/** An attachment's bytes are read in pieces of at most this many bytes. */
export const ATTACHMENT_READ_BYTES = 1024 * 1024;

export const noteCalls = {
  'notes.create': { request: noteCreateSchema, response: noteSummarySchema },
  /** A note by id, or by exact title (any case) within an engagement or the notebook; ambiguity is refused with the candidates. */
  'notes.resolve': {
    request: z.strictObject({ ref: z.string().trim().min(1).max(500), engagementId: uuidSchema.optional() }),
    response: z.strictObject({ id: uuidSchema }),
  },
  /** A note's title and body as Markdown, now or as of a version (`upto`, see notes.history). */
  'notes.markdown': {
    request: z.strictObject({ id: uuidSchema, upto: z.number().int().positive().optional() }),
    response: z.strictObject({
      title: z.string(),
      markdown: z.string(),
      /** The current body's `[[links]]` in the order the Markdown shows them (an export names their targets). */
      links: z.array(z.strictObject({ id: z.string(), kind: z.enum(['note', 'system']), label: z.string() })).optional(),
    }),
  },
  /**
   * Quick capture: appends a timestamped entry (a line, a code block, an attachment) to today's
   * field log of the engagement (else the one last shown; see shared/notes/capture.ts).
   */
  'notes.capture': {
    request: z.strictObject({
      engagementId: uuidSchema.optional(),
      /** The user's local date (YYYY-MM-DD) and time (HH:MM): the field log is the day on site. */
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      time: z.string().regex(/^\d{2}:\d{2}$/),
      entry: captureEntrySchema,
    }),
    response: noteSummarySchema,
  },
  'notes.get': { request: z.strictObject({ id: uuidSchema }), response: noteSummarySchema },
  'notes.update': { request: z.strictObject({ id: uuidSchema, patch: notePatchSchema }), response: noteSummarySchema },
  'notes.list': {
    request: noteFilterSchema.extend({
      sort: z.enum(NOTE_SORTS).default('updated'),
      limit: z.number().int().min(1).max(5000).default(500),
    }),
    response: z.strictObject({ notes: z.array(noteSummarySchema), counts: noteCountsSchema }),
  },
  'notes.backlinks': { request: z.strictObject({ id: uuidSchema }), response: z.strictObject({ notes: z.array(noteSummarySchema) }) },
  'notes.search': {
    request: z.strictObject({
      query: z.string().max(500, 'A search is at most 500 characters'),
      filter: noteFilterSchema.default({}),
      limit: z.number().int().min(1).max(100).default(20),
    }),
    response: z.strictObject({ hits: z.array(searchHitSchema) }),
  },
  /** Today's field log of an engagement (created when missing). `date` is the user's local date. */
  'notes.fieldLog': {
    request: z.strictObject({ engagementId: uuidSchema, date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
    response: noteSummarySchema,
  },
  /** A note's versions (each local editing session and each import), newest first. */
  'notes.history': { request: z.strictObject({ id: uuidSchema }), response: z.strictObject({ versions: z.array(noteVersionSchema) }) },
  /** A line diff of the note (title and Markdown body) between two versions, by their `upto`. */
  'notes.diff': {
    request: z.strictObject({ id: uuidSchema, from: z.number().int().positive(), to: z.number().int().positive() }),
    response: z.strictObject({ parts: z.array(diffPartSchema).max(MAX_DIFF_PARTS), truncated: z.boolean() }),
  },
  /** Brings back a version's title and body as a new edit (it merges like any other; nothing is lost). */
  'notes.restore': { request: z.strictObject({ id: uuidSchema, upto: z.number().int().positive() }), response: noteSummarySchema },
  'attachments.begin': {
    request: z.strictObject({
      name: z.string().trim().min(1).max(255),
      mime: z.string().max(255),
      size: z.number().int().nonnegative(),
    }),
    response: z.strictObject({ uploadId: uuidSchema }),
  },
  'attachments.chunk': {
    request: z.strictObject({
      uploadId: uuidSchema,
      index: z.number().int().nonnegative(),
      data: base64Schema.max(Math.ceil(ATTACHMENT_CHUNK_BYTES / 3) * 4 + 4),
    }),
    response: empty,
  },
  'attachments.commit': { request: z.strictObject({ uploadId: uuidSchema }), response: attachmentInfoSchema },
  /** A piece of an attachment's bytes (an export, the CLI beside a running app). */
  'attachments.read': {
    request: z.strictObject({
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      offset: z.number().int().nonnegative(),
      length: z.number().int().min(1).max(ATTACHMENT_READ_BYTES),
    }),
    response: z.strictObject({ data: base64Schema, size: z.number().int() }),
  },
  'attachments.info': {
    request: z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
    response: attachmentInfoSchema.nullable(),
  },
} satisfies Record<string, CallSpec>;

export const noteEvents = {
  /** Note projections changed; note lists, backlinks and search results should refresh. */
  'notes.changed': z.strictObject({ ids: z.array(z.string()) }),
} satisfies Record<string, z.ZodType>;
