import { z } from 'zod';
import { type CallSpec, empty } from '../api/call-spec';
import { DOWNLOAD_READ_BYTES, downloadTicketSchema, downloadTokenSchema } from '../api/downloads';
import { base64Schema } from '../bytes';
import { levelNameSchema } from '../classification';
import { docIdSchema, uuidSchema } from '../ids';
import { bundleHeaderSchema } from './bundle-format';

/** Sync's contract calls: replicas' Yjs sync with the notebook, and bundles, trusted devices and field conflicts. */

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

/** A file name recorded in the ledger: one path segment, no control characters. */
const bundleFileNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[^\p{Cc}/\\]+$/u, 'A file name without "/", "\\" or control characters');

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

export const syncCalls = {
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
        /** Only what a peer's "have" file (uploaded with bundles.uploadBegin/uploadChunk) lacks. */
        z.strictObject({ kind: z.literal('have'), uploadId: uuidSchema }),
      ]),
      maxClassification: levelNameSchema.optional(),
      secret: exportSecretSchema,
      /** The name the file is saved under, for the ledger (the CLI's -o); codenames and the date otherwise. */
      fileName: bundleFileNameSchema.optional(),
    }),
    response: bundleExportResultSchema,
  },
  /** What this notebook holds (a "have" file, no content), so a peer sends only what is missing; downloaded once. */
  'bundles.haveExport': {
    request: empty,
    response: downloadTicketSchema.extend({ docs: z.number().int() }),
  },
  /**
   * A piece of a one-time download this connection was given (a bundle, a brief, an export): the
   * CLI writes the file itself. The download is gone once its last piece is read.
   */
  'downloads.read': {
    request: z.strictObject({
      token: downloadTokenSchema,
      offset: z.number().int().nonnegative(),
      length: z.number().int().min(1).max(DOWNLOAD_READ_BYTES),
    }),
    response: z.strictObject({ data: base64Schema, size: z.number().int() }),
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
} satisfies Record<string, CallSpec>;

export const syncEvents = {
  /** A sync-protocol message for a document this connection has open. */
  'sync.message': z.strictObject({ docId: docIdSchema, message: base64Schema }),
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
