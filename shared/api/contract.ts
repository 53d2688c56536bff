import { z } from 'zod';
import { base64Schema } from '../bytes';
import { classificationLevelsSchema, levelNameSchema } from '../classification';
import {
  ENGAGEMENT_SORTS,
  engagementCreateSchema,
  engagementPatchSchema,
  engagementSchema,
  engagementSummarySchema,
} from '../engagements/model';
import { docIdSchema, uuidSchema } from '../ids';
import { lessonCalls } from '../lessons/calls';
import { lessonExportCalls } from '../lessons/export-calls';
import {
  mapDownloadRequestSchema,
  mapDownloadResultSchema,
  mapExportRequestSchema,
  mapExportResultSchema,
  mapFindSystemsRequestSchema,
  mapFindSystemsResultSchema,
  mapImportPreviewSchema,
  mapImportRequestSchema,
  mapImportResultSchema,
} from '../map/calls';
import { EXTERNAL_LINK_MODES } from '../notes/link-policy';
import { NOTE_SORTS, noteCreateSchema, noteFilterSchema, notePatchSchema, noteSummarySchema, searchHitSchema } from '../notes/model';
import { audienceSchema, jargonListSchema, STAKEHOLDER_LIMITS } from '../stakeholders/model';
import { bundleHeaderSchema } from '../sync/bundle-format';

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
  /** `never`: offline mode, no link is opened outside the app. */
  externalLinks: z.enum(EXTERNAL_LINK_MODES),
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

// ---------------------------------------------------------------------------------------------
// Sync bundles (docs/bundle-format.md): export, upload + inspect + import, ledger, trusted devices

/** Bundle uploads (for import) travel in chunks of at most this many bytes. */
export const BUNDLE_CHUNK_BYTES = 1024 * 1024;
/** The largest bundle file an upload may announce (the same limit as `outpost bundle import`). */
export const MAX_BUNDLE_BYTES = 1024 * 1024 * 1024;
/** A bundle crossing an air gap must resist offline guessing (the CLI's MIN_PASSPHRASE_LENGTH). */
export const MIN_EXPORT_PASSPHRASE_LENGTH = 12;
export const MAX_PASSPHRASE_LENGTH = 1024;

const passphraseSchema = z
  .string()
  .min(1, 'Enter the passphrase')
  .max(MAX_PASSPHRASE_LENGTH, `A passphrase is at most ${MAX_PASSPHRASE_LENGTH} characters`);
/** A team key: exactly 32 bytes, as canonical base64 (44 characters, one "=" of padding). */
export const teamKeySchema = z.string().regex(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/, 'A team key is exactly 32 bytes (base64)');
const teamKeySecretSchema = z.strictObject({ kind: z.literal('team-key'), key: teamKeySchema });

/** The secret a bundle is opened with. */
export const bundleSecretSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('passphrase'), passphrase: passphraseSchema }),
  teamKeySecretSchema,
]);
export type BundleSecretInput = z.infer<typeof bundleSecretSchema>;

/** The secret a new bundle is sealed with: a passphrase must be long enough to resist guessing. */
const exportSecretSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('passphrase'),
    passphrase: passphraseSchema.refine(
      (value) => [...value].length >= MIN_EXPORT_PASSPHRASE_LENGTH,
      `Use a passphrase of at least ${MIN_EXPORT_PASSPHRASE_LENGTH} characters (several words are easiest)`,
    ),
  }),
  teamKeySecretSchema,
]);

export const TRUST_STATUSES = ['self', 'trusted', 'revoked', 'key_mismatch', 'unknown'] as const;
export type TrustStatus = (typeof TRUST_STATUSES)[number];

export const trustedDeviceSchema = z.strictObject({
  deviceId: z.string(),
  name: z.string(),
  fingerprint: z.string(),
  trustedAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type TrustedDeviceInfo = z.infer<typeof trustedDeviceSchema>;

export const bundleInspectSchema = z.strictObject({
  uploadId: z.string(),
  fileName: z.string(),
  size: z.number().int(),
  header: bundleHeaderSchema,
  signatureValid: z.boolean(),
  fingerprint: z.string(),
  trust: z.enum(TRUST_STATUSES),
  /** The trusted-devices entry for the sender's device id, if there is one. */
  trustedDevice: trustedDeviceSchema.nullable(),
  previouslyImportedAt: z.string().nullable(),
});
export type BundleInspection = z.infer<typeof bundleInspectSchema>;

export const importReportSchema = z.strictObject({
  header: bundleHeaderSchema,
  fingerprint: z.string(),
  trust: z.enum(TRUST_STATUSES),
  applied: z.boolean(),
  previouslyImportedAt: z.string().nullable(),
  docs: z.array(
    z.strictObject({
      docId: z.string(),
      kind: z.string(),
      created: z.boolean(),
      changed: z.boolean(),
      waiting: z.boolean(),
      /** Note title or engagement codename after the merge. */
      label: z.string(),
      engagementId: z.string(),
      /** For an engagement: entries added, changed and removed in its map and stakeholder sections. */
      sections: z.array(
        z.strictObject({
          section: z.string(),
          added: z.number().int().nonnegative(),
          changed: z.number().int().nonnegative(),
          removed: z.number().int().nonnegative(),
        }),
      ),
    }),
  ),
  attachments: z.strictObject({ received: z.number().int(), new: z.number().int() }),
  /** Fields set on both sides at once: one value was kept, the other is listed for review. */
  conflicts: z.array(
    z.strictObject({
      docId: z.string(),
      label: z.string(),
      path: z.string(),
      kept: z.unknown(),
      overwritten: z.unknown(),
      overwrittenHere: z.boolean(),
    }),
  ),
});
export type ImportReportInfo = z.infer<typeof importReportSchema>;

/** A concurrent field change found by an import, for review (electron/sync/conflict-store.ts). */
export const fieldConflictSchema = z.strictObject({
  id: z.number().int(),
  docId: z.string(),
  label: z.string(),
  path: z.string(),
  kept: z.unknown(),
  overwritten: z.unknown(),
  overwrittenHere: z.boolean(),
  peerName: z.string(),
  bundleId: z.string(),
  detectedAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolution: z.enum(['kept', 'restored']).nullable(),
});
export type FieldConflictInfo = z.infer<typeof fieldConflictSchema>;

export const bundleExportResultSchema = z.strictObject({
  /** Fetch the bundle with GET /bundles/<token> (once, within `expiresAt`). */
  token: z.string(),
  expiresAt: z.string(),
  fileName: z.string(),
  bundleId: z.string(),
  bytes: z.number().int(),
  docs: z.number().int(),
  /** Documents left out because the peer already has them. */
  unchanged: z.number().int(),
  /** Notes left out by the classification cap. */
  withheld: z.number().int(),
  attachments: z.number().int(),
  /** Attachments referenced by a note but missing from this notebook (sha256). */
  missingAttachments: z.array(z.string()),
});
export type BundleExportResult = z.infer<typeof bundleExportResultSchema>;

export const ledgerEntrySchema = z.strictObject({
  bundleId: z.string(),
  direction: z.enum(['sent', 'received']),
  peerDeviceId: z.string().nullable(),
  peerName: z.string(),
  createdAt: z.string(),
  recordedAt: z.string(),
  engagementIds: z.array(z.string()),
  maxClassification: z.string().nullable(),
  delta: z.string(),
  docs: z.number().int(),
  changedDocs: z.number().int(),
  attachments: z.number().int(),
  bytes: z.number().int(),
  fileName: z.string(),
});
export type LedgerEntryInfo = z.infer<typeof ledgerEntrySchema>;

// ---------------------------------------------------------------------------------------------
// Stakeholder translations (electron/stakeholders): briefs and the notebook-wide jargon list. The
// registry, cards and glossary live in the engagement's Y.Doc and are edited through its replica.

/** A brief's text is at most this long (a one-page brief is a few kilobytes). */
export const MAX_BRIEF_CHARS = 4 * 1024 * 1024;

const briefRequestSchema = z.strictObject({
  engagementId: uuidSchema,
  audience: audienceSchema,
  /** Card ids in the order wanted; every card with a rendering for the audience when omitted. */
  cardIds: z.array(uuidSchema).min(1, 'Choose at least one card').max(STAKEHOLDER_LIMITS.cards).optional(),
  /** The reader's local date (YYYY-MM-DD). */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
const omittedCardsSchema = z.array(z.strictObject({ id: z.string(), title: z.string() }));

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
  /** Starts uploading a bundle file for inspection and import; held for this connection only. */
  'bundles.uploadBegin': {
    request: z.strictObject({
      name: z.string().trim().min(1).max(255),
      size: z
        .number()
        .int()
        .min(1, 'The file is empty')
        .max(MAX_BUNDLE_BYTES, `Outpost reads bundles up to ${MAX_BUNDLE_BYTES / 1024 ** 3} GB; split the export by engagement`),
    }),
    response: z.strictObject({ uploadId: uuidSchema }),
  },
  'bundles.uploadChunk': {
    request: z.strictObject({
      uploadId: uuidSchema,
      index: z.number().int().nonnegative(),
      data: base64Schema.max(Math.ceil(BUNDLE_CHUNK_BYTES / 3) * 4 + 4),
    }),
    response: empty,
  },
  /** Forgets an uploaded bundle (also done when the connection closes, and after an import). */
  'bundles.uploadDiscard': { request: z.strictObject({ uploadId: uuidSchema }), response: empty },
  /** The readable header of an uploaded bundle, its signature and how this notebook regards its sender. */
  'bundles.inspect': { request: z.strictObject({ uploadId: uuidSchema }), response: bundleInspectSchema },
  /**
   * Imports an uploaded bundle, or with `dryRun` says what it would do and writes nothing. A dry
   * run also previews a bundle from a device not trusted yet (it trusts nobody); applying such a
   * bundle needs `trustSender`. Revoked devices and mismatched keys are refused either way.
   */
  'bundles.import': {
    request: z.strictObject({
      uploadId: uuidSchema,
      secret: bundleSecretSchema,
      dryRun: z.boolean().default(false),
      /** The user confirmed the unknown sender's key fingerprint. */
      trustSender: z.boolean().default(false),
    }),
    response: importReportSchema,
  },
  /** Seals a bundle; its bytes are then downloaded once from GET /bundles/<token>. */
  'bundles.export': {
    request: z.strictObject({
      // At least one engagement or playbook: the service says so when neither is chosen.
      engagementIds: z.array(uuidSchema).max(1000),
      playbookIds: z.array(uuidSchema).max(1000).default([]),
      delta: z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('full') }),
        z.strictObject({ kind: z.literal('since-peer'), peerDeviceId: uuidSchema }),
      ]),
      maxClassification: levelNameSchema.optional(),
      secret: exportSecretSchema,
    }),
    response: bundleExportResultSchema,
  },
  /** Bundles sent and received, newest first. */
  'bundles.ledger': { request: empty, response: z.strictObject({ entries: z.array(ledgerEntrySchema) }) },
  /** Devices whose bundles this notebook accepts (and revoked ones). */
  'devices.list': { request: empty, response: z.strictObject({ devices: z.array(trustedDeviceSchema) }) },
  'devices.revoke': { request: z.strictObject({ deviceId: uuidSchema }), response: trustedDeviceSchema },
  /** Concurrent field changes found by imports, not yet reviewed (or all of them). */
  'conflicts.list': {
    request: z.strictObject({ includeResolved: z.boolean().default(false) }),
    response: z.strictObject({ conflicts: z.array(fieldConflictSchema) }),
  },
  /** Keeps the value shown, or restores the overwritten one (a new edit that merges like any other). */
  'conflicts.resolve': {
    request: z.strictObject({ id: z.number().int().positive(), keep: z.enum(['shown', 'other']) }),
    response: fieldConflictSchema,
  },
  /** Environment map: what a CSV import would do (column mapping, rows, per-row errors); writes nothing. */
  'map.importPreview': { request: mapImportRequestSchema, response: mapImportPreviewSchema },
  /** Applies a CSV import only when no row is rejected: all rows in one change, or nothing. */
  'map.importApply': { request: mapImportRequestSchema, response: mapImportResultSchema },
  /** The map as Mermaid, JSON, SVG, or the inventory as Markdown / CSV. */
  'map.export': { request: mapExportRequestSchema, response: mapExportResultSchema },
  /** Systems of an engagement's map whose name contains the query (for `[[` links from notes). */
  'map.findSystems': { request: mapFindSystemsRequestSchema, response: mapFindSystemsResultSchema },
  /** Puts an export made in the renderer into the one-time download store (GET /bundles/<token>). */
  'map.download': { request: mapDownloadRequestSchema, response: mapDownloadResultSchema },
  /** A brief as HTML (self-contained, every field escaped) or Markdown. */
  'stakeholders.brief': {
    request: briefRequestSchema.extend({ format: z.enum(['html', 'md']) }),
    response: z.strictObject({ fileName: z.string(), content: z.string().max(MAX_BRIEF_CHARS), omitted: omittedCardsSchema }),
  },
  /**
   * A brief as a file to download once from GET /bundles/<token> (the one-time download store of
   * exported bundles): HTML, Markdown, or PDF printed by the main process with Chromium.
   */
  'stakeholders.briefDownload': {
    request: briefRequestSchema.extend({ format: z.enum(['html', 'md', 'pdf']) }),
    response: z.strictObject({
      token: z.string(),
      expiresAt: z.string(),
      fileName: z.string(),
      bytes: z.number().int(),
      omitted: omittedCardsSchema,
    }),
  },
  /** The notebook-wide jargon list that readability hints flag in renderings. */
  'stakeholders.jargon': { request: empty, response: z.strictObject({ terms: z.array(z.string()) }) },
  'stakeholders.setJargon': {
    request: z.strictObject({ terms: jargonListSchema }),
    response: z.strictObject({ terms: z.array(z.string()) }),
  },
  ...lessonCalls,
  ...lessonExportCalls,
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
  /** Playbook projections changed (an edit in another window, an import, a merge): playbook lists refresh. */
  'playbooks.changed': z.strictObject({ ids: z.array(z.string()) }),
  /**
   * The desktop app's system-wide quick-capture shortcut was pressed: the focused window opens
   * today's field log and appends a timestamped line (sent by Electron main, never by the host).
   */
  'capture.fieldLog': z.strictObject({}),
  /** A bundle was exported or imported, or a device's trust changed: the ledger and device lists should refresh. */
  'bundles.changed': z.strictObject({}),
  /** How far an import (or its preview) this connection asked for is; sent only to that connection. */
  'bundles.importProgress': z.strictObject({
    uploadId: uuidSchema,
    phase: z.enum(['opening', 'merging', 'writing']),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
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
export { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from './ipc-channels';
