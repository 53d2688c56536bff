import { z } from 'zod';
import { base64Schema } from '../bytes';
import { classificationLevelsSchema } from '../classification';
import {
  ENGAGEMENT_SORTS,
  engagementCreateSchema,
  engagementPatchSchema,
  engagementSchema,
  engagementSummarySchema,
} from '../engagements/model';
import { docIdSchema, uuidSchema } from '../ids';
import { NOTE_SORTS, noteCreateSchema, noteFilterSchema, notePatchSchema, noteSummarySchema, searchHitSchema } from '../notes/model';

/**
 * The one contract between the renderer and the main process. Each call has a request and a
 * response schema; the main process validates requests against it before any handler runs,
 * the Electron preload exposes exactly these calls, and the renderer's client is typed from it.
 * The same contract is served over IPC (Electron) and over a loopback WebSocket (browser mode).
 */
interface CallSpec {
  request: z.ZodType;
  response: z.ZodType;
}

const empty = z.strictObject({});

export const deviceNameSchema = z.string().trim().min(1, 'Give this device a name').max(80, 'A device name is at most 80 characters');

export const notebookInfoSchema = z.strictObject({
  notebookId: z.string(),
  path: z.string(),
  schemaVersion: z.number().int(),
  device: z.strictObject({ id: z.string(), name: z.string() }),
  classificationLevels: z.array(z.string()),
  attachmentMaxBytes: z.number().int(),
});
export type NotebookInfo = z.infer<typeof notebookInfoSchema>;

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

export const calls = {
  'notebook.info': { request: empty, response: notebookInfoSchema },
  'notebook.setClassificationLevels': {
    request: z.strictObject({ levels: classificationLevelsSchema }),
    response: notebookInfoSchema,
  },
  'notebook.setDeviceName': { request: z.strictObject({ name: deviceNameSchema }), response: notebookInfoSchema },
  'notebook.setAttachmentLimit': {
    request: z.strictObject({
      bytes: z
        .number()
        .int()
        .min(1024)
        .max(2 * 1024 * 1024 * 1024),
    }),
    response: notebookInfoSchema,
  },
  'engagements.list': {
    request: z.strictObject({
      includeArchived: z.boolean().default(false),
      sort: z.enum(ENGAGEMENT_SORTS).default('updated'),
    }),
    response: z.strictObject({ engagements: z.array(engagementSummarySchema) }),
  },
  'engagements.get': { request: z.strictObject({ id: uuidSchema }), response: engagementSchema },
  'engagements.create': { request: engagementCreateSchema, response: engagementSchema },
  'engagements.update': {
    request: z.strictObject({ id: uuidSchema, patch: engagementPatchSchema }),
    response: engagementSchema,
  },
  'notes.create': { request: noteCreateSchema, response: noteSummarySchema },
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
  'attachments.info': {
    request: z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
    response: attachmentInfoSchema.nullable(),
  },
  /** One message of Yjs' sync protocol (y-protocols/sync) for one document; replies come back. */
  'sync.message': {
    request: z.strictObject({ docId: docIdSchema, message: base64Schema }),
    response: z.strictObject({ replies: z.array(base64Schema) }),
  },
  /** Stop receiving a document's updates on this connection. */
  'sync.close': { request: z.strictObject({ docId: docIdSchema }), response: empty },
} satisfies Record<string, CallSpec>;

/** Pushed from main to every connected renderer. */
export const events = {
  /** A sync-protocol message for a document this connection has open. */
  'sync.message': z.strictObject({ docId: docIdSchema, message: base64Schema }),
  /** Notebook settings (device name, classification levels) changed. */
  'notebook.changed': notebookInfoSchema,
  /** Note projections changed; note lists, backlinks and search results should refresh. */
  'notes.changed': z.strictObject({ ids: z.array(z.string()) }),
  /** Engagement projections changed; lists should refresh. */
  'engagements.changed': z.strictObject({ ids: z.array(z.string()) }),
  /**
   * The desktop app's system-wide quick-capture shortcut was pressed: the focused window opens
   * today's field log and appends a timestamped line (sent by Electron main, never by the host).
   */
  'capture.fieldLog': z.strictObject({}),
} satisfies Record<string, z.ZodType>;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallRequest<N extends CallName> = z.input<Calls[N]['request']>;
export type ParsedRequest<N extends CallName> = z.output<Calls[N]['request']>;
export type CallResponse<N extends CallName> = z.output<Calls[N]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

/** Electron IPC channels: one for calls, one for events. Nothing else crosses the bridge. */
export const IPC_CALL_CHANNEL = 'outpost:call';
export const IPC_EVENT_CHANNEL = 'outpost:event';
