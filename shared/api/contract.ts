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
});
export type NotebookInfo = z.infer<typeof notebookInfoSchema>;

export const calls = {
  'notebook.info': { request: empty, response: notebookInfoSchema },
  'notebook.setClassificationLevels': {
    request: z.strictObject({ levels: classificationLevelsSchema }),
    response: notebookInfoSchema,
  },
  'notebook.setDeviceName': { request: z.strictObject({ name: deviceNameSchema }), response: notebookInfoSchema },
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
  /** Engagement projections changed; lists should refresh. */
  'engagements.changed': z.strictObject({ ids: z.array(z.string()) }),
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
