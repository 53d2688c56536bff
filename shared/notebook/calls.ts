import { z } from 'zod';
import { type CallSpec, empty } from '../api/call-spec';
import { classificationLevelsSchema } from '../classification';
import { EXTERNAL_LINK_MODES } from '../notes/link-policy';

/** The notebook's own contract calls: its settings and identity, and links opened outside the app. */

export const deviceNameSchema = z.string().trim().min(1, 'Give this device a name').max(80, 'A device name is at most 80 characters');

export const notebookInfoSchema = z.strictObject({
  notebookId: z.string(),
  path: z.string(),
  schemaVersion: z.number().int(),
  /** This device: its id and name, and the Ed25519 key a hub admin adds as a member (with its fingerprint). */
  device: z.strictObject({ id: z.string(), name: z.string(), publicKey: z.string(), fingerprint: z.string() }),
  classificationLevels: z.array(z.string()),
  attachmentMaxBytes: z.number().int(),
  /** `never`: offline mode, no link is opened outside the app. */
  externalLinks: z.enum(EXTERNAL_LINK_MODES),
});
export type NotebookInfo = z.infer<typeof notebookInfoSchema>;

export const checkSchema = z.strictObject({ name: z.string(), ok: z.boolean(), detail: z.string() });
export type NotebookCheck = z.infer<typeof checkSchema>;

export const notebookCalls = {
  /** Recomputes every projection from the update log (rows per table). */
  'notebook.rebuildProjections': {
    request: empty,
    response: z.strictObject({ tables: z.array(z.strictObject({ table: z.string(), rows: z.number().int() })) }),
  },
  /** Checks the open notebook without changing it: schema, identity, documents, projections against the log. */
  'notebook.check': { request: empty, response: z.strictObject({ checks: z.array(checkSchema) }) },
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
  'notebook.setExternalLinks': { request: z.strictObject({ mode: z.enum(EXTERNAL_LINK_MODES) }), response: notebookInfoSchema },
  /**
   * A link the user clicked, to open outside the app: refused in offline mode; in the desktop app
   * the main process asks (naming the host) and opens it; in browser mode the page asks itself.
   */
  'links.openExternal': {
    request: z.strictObject({ url: z.string().min(1).max(8192) }),
    response: z.strictObject({
      outcome: z.enum(['opened', 'declined', 'confirm-in-page']),
      host: z.string(),
      message: z.string(),
      detail: z.string(),
    }),
  },
} satisfies Record<string, CallSpec>;

export const notebookEvents = {
  /** Notebook settings (device name, classification levels) changed. */
  'notebook.changed': notebookInfoSchema,
  /**
   * The desktop app's system-wide quick-capture shortcut was pressed: the focused window opens
   * today's field log and appends a timestamped line (sent by Electron main, never by the host).
   */
  'capture.fieldLog': z.strictObject({}),
} satisfies Record<string, z.ZodType>;
