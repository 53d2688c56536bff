import { decodeBytes, encodeBytes } from '../../shared/bytes';
import { OutpostError } from '../../shared/errors';
import type { BundleSecret } from '../../shared/sync/bundle-format';
import type { BundleSecretInput, FieldConflictInfo, LedgerEntryInfo, TrustedDeviceInfo } from '../../shared/sync/calls';
import { decodeHaveFile } from '../../shared/sync/have-file';
import type { Notebook } from '../notebook/notebook';
import type { DeltaRequest } from '../sync/bundle-service';
import { type BundleTransfers, bundleFileName } from '../sync/bundle-transfers';
import type { ConflictRecord } from '../sync/conflict-store';
import { haveFileOf } from '../sync/have-export';
import type { LedgerEntry } from '../sync/ledger';
import type { TrustedDevice } from '../sync/trust-store';
import type { Handlers } from './handlers';

export type BundleCallName =
  | 'bundles.uploadBegin'
  | 'bundles.uploadChunk'
  | 'bundles.uploadDiscard'
  | 'bundles.inspect'
  | 'bundles.import'
  | 'bundles.export'
  | 'bundles.haveExport'
  | 'downloads.read'
  | 'bundles.ledger'
  | 'devices.list'
  | 'devices.revoke'
  | 'conflicts.list'
  | 'conflicts.resolve';

const PROGRESS_INTERVAL_MS = 100;

/** An uploaded "have" file's text: UTF-8, or it is not one. */
function haveText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new OutpostError('invalid_request', 'This is not an Outpost "have" file (it is not UTF-8 text)');
  }
}

function toSecret(secret: BundleSecretInput): BundleSecret {
  if (secret.kind === 'passphrase') return { kind: 'passphrase', passphrase: secret.passphrase };
  const key = decodeBytes(secret.key);
  if (key.length !== 32) throw new OutpostError('invalid_request', 'A team key is exactly 32 bytes');
  return { kind: 'team-key', key };
}

// The services' records may grow fields; the contract's responses are strict, so copy what it names.
const deviceInfo = (d: TrustedDevice): TrustedDeviceInfo => ({
  deviceId: d.deviceId,
  name: d.name,
  fingerprint: d.fingerprint,
  trustedAt: d.trustedAt,
  revokedAt: d.revokedAt,
});

const ledgerInfo = (e: LedgerEntry): LedgerEntryInfo => ({
  bundleId: e.bundleId,
  direction: e.direction,
  peerDeviceId: e.peerDeviceId,
  peerName: e.peerName,
  createdAt: e.createdAt,
  recordedAt: e.recordedAt,
  engagementIds: e.engagementIds,
  maxClassification: e.maxClassification,
  delta: e.delta,
  docs: e.docs,
  changedDocs: e.changedDocs,
  attachments: e.attachments,
  bytes: e.bytes,
  fileName: e.fileName,
});

const conflictInfo = (c: ConflictRecord): FieldConflictInfo => ({
  id: c.id,
  docId: c.docId,
  label: c.label,
  path: c.path,
  kept: c.kept,
  overwritten: c.overwritten,
  overwrittenHere: c.overwrittenHere,
  peerName: c.peerName,
  bundleId: c.bundleId,
  detectedAt: c.detectedAt,
  resolvedAt: c.resolvedAt,
  resolution: c.resolution,
});

/**
 * Sync bundles over the contract: uploads held per connection (transfers), export to a one-time
 * download token, import (or its dry-run preview), the ledger and the trusted devices.
 * `changed` tells every connection to refresh its ledger and device lists.
 */
export function createBundleHandlers(notebook: Notebook, transfers: BundleTransfers, changed: () => void): Pick<Handlers, BundleCallName> {
  return {
    'bundles.uploadBegin': async ({ name, size }, connection) => ({ uploadId: transfers.uploads.begin(connection.id, name, size) }),
    'bundles.uploadChunk': async ({ uploadId, index, data }, connection) => {
      transfers.uploads.chunk(connection.id, uploadId, index, decodeBytes(data));
      return {};
    },
    'bundles.uploadDiscard': async ({ uploadId }, connection) => {
      transfers.uploads.discard(connection.id, uploadId);
      return {};
    },
    'bundles.inspect': async ({ uploadId }, connection) => {
      const upload = transfers.uploads.get(connection.id, uploadId);
      const report = await notebook.bundles.inspect(upload.bytes);
      return {
        uploadId,
        fileName: upload.name,
        size: upload.bytes.length,
        header: report.header,
        signatureValid: report.signatureValid,
        fingerprint: report.fingerprint,
        trust: report.trust.status,
        trustedDevice: 'device' in report.trust ? deviceInfo(report.trust.device) : null,
        previouslyImportedAt: report.previouslyImportedAt,
      };
    },
    'bundles.import': async ({ uploadId, secret, dryRun, trustSender }, connection) => {
      const upload = transfers.uploads.get(connection.id, uploadId);
      // A preview writes nothing and trusts nobody, so it also shows what a device not trusted yet
      // sent: that is what the person decides on. Applying it needs their explicit trustSender.
      // At most one progress event per PROGRESS_INTERVAL_MS, and every change of phase.
      let last = { phase: '', at: 0 };
      const report = await notebook.bundles.import(upload.bytes, toSecret(secret), {
        dryRun,
        trustSender: dryRun || trustSender,
        fileName: upload.name,
        onProgress: ({ phase, done, total }) => {
          const now = Date.now();
          if (phase === last.phase && now - last.at < PROGRESS_INTERVAL_MS) return;
          last = { phase, at: now };
          connection.emit('bundles.importProgress', { uploadId, phase, done, total });
        },
      });
      if (!dryRun) {
        transfers.uploads.discard(connection.id, uploadId);
        changed();
      }
      return {
        header: report.header,
        fingerprint: report.fingerprint,
        trust: report.trust,
        applied: report.applied,
        previouslyImportedAt: report.previouslyImportedAt,
        docs: report.docs.map(({ docId, kind, created, changed, waiting, label, engagementId, sections }) => ({
          docId,
          kind,
          created,
          changed,
          waiting,
          label,
          engagementId,
          sections: sections.map(({ section, added, changed, removed }) => ({ section, added, changed, removed })),
        })),
        attachments: { received: report.attachments.received, new: report.attachments.new },
        conflicts: report.conflicts.map(({ docId, label, path, kept, overwritten, overwrittenHere }) => ({
          docId,
          label,
          path,
          kept,
          overwritten,
          overwrittenHere,
        })),
      };
    },
    'bundles.export': async ({ engagementIds, playbookIds, delta, maxClassification, secret, fileName: chosen }, connection) => {
      const codenames: string[] = [];
      for (const id of new Set(engagementIds)) codenames.push((await notebook.engagements.get(id)).codename);
      const fileName = chosen ?? bundleFileName(codenames.length ? codenames : ['playbooks']);
      let request: DeltaRequest = delta.kind === 'have' ? { kind: 'full' } : delta;
      if (delta.kind === 'have') {
        const upload = transfers.uploads.get(connection.id, delta.uploadId);
        request = { kind: 'have', have: decodeHaveFile(haveText(upload.bytes)) };
        transfers.uploads.discard(connection.id, delta.uploadId);
      }
      const result = await notebook.bundles.export({
        engagementIds,
        playbookIds,
        delta: request,
        ...(maxClassification !== undefined && { maxClassification }),
        secret: toSecret(secret),
        fileName,
      });
      const { token, expiresAt } = transfers.downloads.put(connection.id, { bytes: result.bytes, fileName });
      changed();
      return {
        token,
        expiresAt,
        fileName,
        bundleId: result.header.bundleId,
        bytes: result.bytes.length,
        docs: result.docs,
        unchanged: result.unchanged,
        withheld: result.withheld,
        attachments: result.attachments,
        missingAttachments: result.missingAttachments,
      };
    },
    'bundles.haveExport': async (_request, connection) => {
      const { text, docs } = await haveFileOf(notebook);
      const bytes = new TextEncoder().encode(text);
      const fileName = `${notebook.device.name.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 100) || 'notebook'}.have`;
      return { ...transfers.downloads.put(connection.id, { fileName, bytes }), fileName, bytes: bytes.length, docs };
    },
    'downloads.read': async ({ token, offset, length }, connection) => {
      const part = transfers.downloads.read(connection.id, token, offset, length);
      return { data: encodeBytes(part.data), size: part.size };
    },
    'bundles.ledger': async () => ({ entries: (await notebook.ledger.list()).map(ledgerInfo) }),
    'devices.list': async () => ({ devices: (await notebook.trust.list()).map(deviceInfo) }),
    'devices.revoke': async ({ deviceId }) => {
      const device = await notebook.trust.revoke(deviceId);
      changed();
      return deviceInfo(device);
    },
    'conflicts.list': async ({ includeResolved }) => ({
      conflicts: (await notebook.conflicts.list({ includeResolved })).map(conflictInfo),
    }),
    'conflicts.resolve': async ({ id, keep }) => {
      const resolved = await notebook.conflicts.resolve(id, keep === 'shown' ? 'kept' : 'restored');
      changed();
      return conflictInfo(resolved);
    },
  };
}
