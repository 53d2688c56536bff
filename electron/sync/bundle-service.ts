import type * as Y from 'yjs';
import { decodeBytes, encodeBytes } from '../../shared/bytes';
import { isAtOrBelow, levelRank } from '../../shared/classification';
import { readEngagement } from '../../shared/engagements/doc';
import { OutpostError } from '../../shared/errors';
import { type DocKind, docIdFor, docIdSchema, newId, parseDocId, uuidSchema } from '../../shared/ids';
import { readPlaybook } from '../../shared/lessons/playbook';
import { bodyFacts, noteBody, readNoteMeta } from '../../shared/notes/doc';
import {
  type BundleHeader,
  type BundlePayload,
  type BundleSecret,
  type DeviceKeyPair,
  inspectBundle,
  keyFingerprint,
  openBundle,
  sealBundle,
} from '../../shared/sync/bundle-format';
import { deltaForPeer, type PeerKnowledge } from '../../shared/sync/delta';
import type { HaveFile } from '../../shared/sync/have-file';
import { type SectionChange, sectionChanges } from '../../shared/sync/section-changes';
import type { AttachmentStore } from '../attachments/attachment-store';
import type { DocStore, ImportedDoc } from '../docs/doc-store';
import type { Queryable } from '../docs/projection';
import type { EngagementService } from '../engagements/engagement-service';
import type { Database } from '../notebook/database';
import type { DeviceIdentity } from '../notebook/identity';
import type { NotebookSettings } from '../notebook/settings';
import type { ConflictStore } from './conflict-store';
import type { Ledger } from './ledger';
import { nativeInflateLimited } from './native-inflate';
import { nativeVerify } from './native-verify';
import type { SenderTrust, TrustStore } from './trust-store';

/** The most a bundle may expand to when opened (its header states the exact size, up to this). */
export const MAX_EXPANDED_BYTES = 1024 * 1024 * 1024;

export type DeltaRequest = { kind: 'full' } | { kind: 'since-peer'; peerDeviceId: string } | { kind: 'have'; have: HaveFile };

export interface ExportRequest {
  engagementIds: string[];
  /**
   * Playbooks to carry as well. Under a cap, a playbook leaves only if every lesson it curates is
   * known here and marked at or below the cap (its chapter texts are written from those lessons).
   */
  playbookIds?: string[];
  delta: DeltaRequest;
  /** Nothing marked above this level leaves: such notes are withheld whole (title included). */
  maxClassification?: string;
  secret: BundleSecret;
  /** Where the bundle goes (recorded in the ledger). */
  fileName: string;
  /** scrypt cost (tests use a small one). */
  scrypt?: { N: number; r: number; p: number };
}

export interface ExportResult {
  bytes: Uint8Array;
  header: BundleHeader;
  docs: number;
  /** Documents left out because the peer already has them. */
  unchanged: number;
  /** Notes (and playbooks) left out by the classification cap. */
  withheld: number;
  attachments: number;
  /** Attachments referenced by a note but missing from this notebook. */
  missingAttachments: string[];
}

export interface ImportOptions {
  dryRun?: boolean;
  /** Trust an unknown sender's key as part of this import (the user confirmed its fingerprint). */
  trustSender?: boolean;
  fileName: string;
  /** Told how far a long import is (opening the bundle, merging documents, writing them). */
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  phase: 'opening' | 'merging' | 'writing';
  done: number;
  total: number;
}

export interface ImportedDocReport {
  docId: string;
  kind: string;
  created: boolean;
  changed: boolean;
  waiting: boolean;
  /** Note title or engagement codename after the merge. */
  label: string;
  engagementId: string;
  /** For an engagement: what changes in its map and stakeholder sections. */
  sections: SectionChange[];
}

export interface ImportReport {
  header: BundleHeader;
  fingerprint: string;
  trust: SenderTrust['status'];
  applied: boolean;
  /** When this bundle was imported before (a re-import changes nothing new). */
  previouslyImportedAt: string | null;
  docs: ImportedDocReport[];
  attachments: { received: number; new: number };
  /** Fields set concurrently here and by the bundle's side: one value overwrote the other. */
  conflicts: Array<{ docId: string; label: string; path: string; kept: unknown; overwritten: unknown; overwrittenHere: boolean }>;
}

export interface InspectReport {
  header: BundleHeader;
  signatureValid: boolean;
  fingerprint: string;
  trust: SenderTrust;
  previouslyImportedAt: string | null;
}

/**
 * Merge later: writes bundles of Yjs updates for engagements (whole, or only what a peer lacks,
 * never anything above a classification cap) and imports them — verified, decrypted, checked
 * and merged in full before anything is written, then applied in one transaction.
 */
export class BundleService {
  constructor(
    private readonly db: Database,
    private readonly docs: DocStore,
    private readonly engagements: EngagementService,
    private readonly attachments: AttachmentStore,
    private readonly settings: NotebookSettings,
    private readonly trust: TrustStore,
    private readonly ledger: Ledger,
    private readonly conflicts: ConflictStore,
    private readonly device: () => DeviceIdentity,
    private readonly keys: () => DeviceKeyPair,
  ) {}

  async export(request: ExportRequest): Promise<ExportResult> {
    const levels = this.settings.classificationLevels;
    const cap = request.maxClassification;
    if (cap !== undefined && levelRank(levels, cap) < 0)
      throw new OutpostError('invalid_request', `Unknown classification level "${cap}". Levels: ${levels.join(' < ')}`);
    const engagementIds = [...new Set(request.engagementIds)];
    const playbookIds = [...new Set(request.playbookIds ?? [])];
    if (!engagementIds.length && !playbookIds.length)
      throw new OutpostError('invalid_request', 'Choose at least one engagement or playbook to export');
    const engagements = [];
    for (const id of engagementIds) engagements.push(await this.engagements.get(id));
    for (const id of playbookIds) {
      if (!uuidSchema.safeParse(id).success || !(await this.docs.exists(docIdFor('playbook', id))))
        throw new OutpostError('not_found', `No playbook ${id.slice(0, 40)} in this notebook`);
    }
    if (request.delta.kind === 'since-peer' && !uuidSchema.safeParse(request.delta.peerDeviceId).success)
      throw new OutpostError('invalid_request', 'A peer is named by its device id');
    await this.docs.flush();

    const peerDeviceId =
      request.delta.kind === 'full' ? null : request.delta.kind === 'since-peer' ? request.delta.peerDeviceId : request.delta.have.deviceId;
    const peerState = request.delta.kind === 'since-peer' ? await this.ledger.peerState(request.delta.peerDeviceId) : null;
    const have = request.delta.kind === 'have' ? request.delta.have.docs : null;

    const payload: BundlePayload = { docs: [], attachments: [], senderState: [] };
    const sent: Array<{ docId: string; stateVector: Uint8Array; sentSnapshot: Uint8Array }> = [];
    const attachmentShas = new Set<string>();
    let unchanged = 0;
    let withheld = 0;
    const docIds: string[] = [];
    for (const engagement of engagements) {
      const noteIds = await this.db.query<{ doc_id: string }>('SELECT doc_id FROM notes WHERE engagement_id = $1::uuid ORDER BY doc_id', [
        engagement.id,
      ]);
      docIds.push(docIdFor('engagement', engagement.id), ...noteIds.rows.map((r) => r.doc_id));
    }
    docIds.push(...playbookIds.map((id) => docIdFor('playbook', id)));
    for (const docId of docIds) {
      const doc = await this.docs.currentCopy(docId);
      if (!doc) continue;
      try {
        const { kind } = parseDocId(docId);
        // Fail closed: a note whose marking this notebook does not know never leaves under a cap.
        if (kind === 'note' && cap !== undefined && !isAtOrBelow(levels, readNoteMeta(doc).classification, cap)) {
          withheld++;
          continue;
        }
        if (kind === 'playbook' && cap !== undefined && !(await this.playbookWithin(doc, cap))) {
          withheld++;
          continue;
        }
        const known: PeerKnowledge | undefined = peerState ? peerState.get(docId) : have ? { theirSnapshot: have.get(docId) } : undefined;
        const delta = deltaForPeer(doc, known);
        if (!delta) {
          unchanged++;
          continue;
        }
        payload.docs.push({ docId, update: delta.update });
        payload.senderState.push({ docId, stateVector: delta.stateVector });
        sent.push({ docId, stateVector: delta.stateVector, sentSnapshot: delta.snapshot });
        if (kind === 'note') for (const sha of bodyFacts(noteBody(doc)).attachments) attachmentShas.add(sha);
      } finally {
        doc.destroy();
      }
    }
    const missingAttachments: string[] = [];
    for (const sha of attachmentShas) {
      const stored = await this.attachments.read(sha);
      if (!stored) {
        missingAttachments.push(sha);
        continue;
      }
      payload.attachments.push({ sha256: sha, name: stored.info.name, mime: stored.info.mime, data: stored.data });
    }

    const device = this.device();
    const keys = this.keys();
    const header = {
      bundleId: newId(),
      createdAt: new Date().toISOString(),
      notebookId: this.settings.notebookId,
      sender: { deviceId: device.deviceId, name: device.name, publicKey: encodeBytes(keys.publicKey) },
      engagements: engagements.map((e) => ({ id: e.id, codename: e.codename, ceiling: e.ceiling })),
      playbooks: payload.docs.flatMap(({ docId }) => {
        const { kind, id } = parseDocId(docId);
        return kind === 'playbook' ? [id] : [];
      }),
      maxClassification: cap ?? null,
      delta:
        request.delta.kind === 'full'
          ? ({ kind: 'full' } as const)
          : ({ kind: request.delta.kind, peerDeviceId: peerDeviceId as string } as const),
    };
    const bytes = await sealBundle({ header, payload, secret: request.secret, signer: keys, scrypt: request.scrypt });
    const sealed = inspectBundle(bytes, { verify: nativeVerify }).header;
    await this.db.transaction(async (tx) => {
      await this.ledger.record(tx, {
        bundleId: sealed.bundleId,
        direction: 'sent',
        peerDeviceId,
        peerName:
          request.delta.kind === 'have' ? request.delta.have.deviceName : ((peerDeviceId && (await this.peerName(tx, peerDeviceId))) ?? ''),
        createdAt: sealed.createdAt,
        engagementIds,
        maxClassification: cap ?? null,
        delta: request.delta.kind,
        docs: payload.docs.length,
        changedDocs: payload.docs.length,
        attachments: payload.attachments.length,
        bytes: bytes.length,
        fileName: request.fileName,
      });
      // The peer is assumed to import what we send it; if it does not, a full export repairs that.
      if (peerDeviceId) await this.ledger.notePeerHas(tx, peerDeviceId, sent);
    });
    return {
      bytes,
      header: sealed,
      docs: payload.docs.length,
      unchanged,
      withheld,
      attachments: payload.attachments.length,
      missingAttachments,
    };
  }

  async inspect(bytes: Uint8Array): Promise<InspectReport> {
    const { header, signatureValid } = inspectBundle(bytes, { verify: nativeVerify });
    const trust = await this.trust.judge({ deviceId: header.sender.deviceId, publicKey: senderKey(header) });
    const previous = await this.ledger.find(header.bundleId, 'received');
    return {
      header,
      signatureValid,
      fingerprint: keyFingerprint(senderKey(header)),
      trust,
      previouslyImportedAt: previous?.recordedAt ?? null,
    };
  }

  /**
   * Imports a bundle, or with `dryRun` only says what it would do. Refusals (bad signature,
   * untrusted or revoked sender, wrong secret, damaged or oversized payload, classification the
   * notebook cannot hold) happen before anything is written.
   */
  async import(bytes: Uint8Array, secret: BundleSecret, options: ImportOptions): Promise<ImportReport> {
    const inspected = await this.inspect(bytes);
    const { header } = inspected;
    if (!inspected.signatureValid)
      throw new OutpostError('bundle_signature', "The bundle's signature does not match its sender's key: it was altered or damaged");
    this.checkTrust(inspected, options.trustSender === true);
    const levels = this.settings.classificationLevels;
    for (const engagement of header.engagements) {
      if (levelRank(levels, engagement.ceiling) < 0) {
        throw new OutpostError(
          'bundle_classification',
          `Engagement ${engagement.codename} is marked up to ${engagement.ceiling}, a level this notebook does not hold (${levels.join(' < ')}). Nothing was imported.`,
        );
      }
    }
    options.onProgress?.({ phase: 'opening', done: 0, total: 1 });
    const { payload } = await openBundle(bytes, secret, {
      maxExpandedBytes: MAX_EXPANDED_BYTES,
      inflate: nativeInflateLimited,
      verify: nativeVerify,
    });
    for (const doc of payload.docs) {
      if (!docIdSchema.safeParse(doc.docId).success)
        throw new OutpostError('bundle_invalid', `The bundle names an invalid document "${doc.docId.slice(0, 80)}"`);
    }
    const headerEngagements = new Set(header.engagements.map((e) => e.id));
    const reports = new Map<string, ImportedDocReport>();
    const conflicts: ImportReport['conflicts'] = [];
    const newFiles: string[] = [];
    let newAttachments = 0;
    try {
      const results = await this.docs.importUpdates(
        payload.docs,
        { deviceId: header.sender.deviceId, bundleId: header.bundleId },
        {
          dryRun: options.dryRun,
          progress: (phase, done, total) => options.onProgress?.({ phase, done, total }),
          describe: readFacts,
          check: async (docs) => {
            await this.checkImported(docs, header, headerEngagements);
            for (const item of docs) {
              reports.set(item.docId, toReport(item));
              for (const c of item.conflicts)
                conflicts.push({
                  docId: item.docId,
                  label: item.facts.label,
                  path: c.path,
                  kept: c.kept,
                  overwritten: c.overwritten,
                  overwrittenHere: c.overwrittenHere,
                });
            }
          },
          record: async (tx, docs) => {
            await this.conflicts.record(tx, { bundleId: header.bundleId, peerName: header.sender.name }, docs);
            for (const attachment of payload.attachments) {
              if (this.attachments.placeVerified(attachment.sha256, attachment.data)) {
                newFiles.push(attachment.sha256);
                newAttachments++;
              }
            }
            await this.attachments.recordVerified(
              tx,
              payload.attachments.map((a) => ({ sha256: a.sha256, size: a.data.length, mime: a.mime, name: a.name })),
            );
            if (options.trustSender && inspected.trust.status === 'unknown')
              await this.trust.trust({ deviceId: header.sender.deviceId, name: header.sender.name, publicKey: senderKey(header) }, tx);
            await this.ledger.record(tx, {
              bundleId: header.bundleId,
              direction: 'received',
              peerDeviceId: header.sender.deviceId,
              peerName: header.sender.name,
              createdAt: header.createdAt,
              engagementIds: header.engagements.map((e) => e.id),
              maxClassification: header.maxClassification,
              delta: header.delta.kind,
              docs: payload.docs.length,
              changedDocs: [...reports.values()].filter((r) => r.changed).length,
              attachments: payload.attachments.length,
              bytes: bytes.length,
              fileName: options.fileName,
            });
            if (inspected.trust.status !== 'self') {
              await this.ledger.notePeerHas(
                tx,
                header.sender.deviceId,
                payload.senderState
                  .filter((s) => docIdSchema.safeParse(s.docId).success)
                  .map((s) => ({ docId: s.docId, stateVector: s.stateVector })),
              );
            }
          },
        },
      );
      for (const result of results) {
        const report = reports.get(result.docId);
        if (report) Object.assign(report, { changed: result.changed, created: result.created, waiting: result.waiting });
      }
    } catch (error) {
      for (const sha of newFiles) this.attachments.discard(sha);
      throw error;
    }
    if (options.dryRun) {
      for (const attachment of payload.attachments) if (!(await this.attachments.info(attachment.sha256))) newAttachments++;
    }
    return {
      header,
      fingerprint: inspected.fingerprint,
      trust: inspected.trust.status,
      applied: !options.dryRun,
      previouslyImportedAt: inspected.previouslyImportedAt,
      docs: [...reports.values()],
      attachments: { received: payload.attachments.length, new: newAttachments },
      conflicts,
    };
  }

  private checkTrust(inspected: InspectReport, trustSender: boolean): void {
    const { trust, header, fingerprint } = inspected;
    const who = `${header.sender.name} (device ${header.sender.deviceId})`;
    if (trust.status === 'revoked')
      throw new OutpostError(
        'bundle_untrusted',
        `The bundle is signed by ${who}, whose key was revoked on ${trust.device.revokedAt?.slice(0, 10)}. Nothing was imported.`,
      );
    if (trust.status === 'key_mismatch')
      throw new OutpostError(
        'bundle_signature',
        `The bundle claims to come from ${who} but is signed with another key (${fingerprint}; trusted: ${trust.device.fingerprint}). Nothing was imported.`,
      );
    if (trust.status === 'unknown' && !trustSender)
      throw new OutpostError(
        'bundle_untrusted',
        `The bundle is signed by ${who}, which this notebook does not trust yet. Key fingerprint: ${fingerprint}. Compare it with the sender (in person or by phone), then import again trusting it: tick “Trust this device” when importing in Sync, or pass --trust to outpost bundle import.`,
      );
  }

  /** Refuses a merge whose notes this notebook may not hold, or that steps outside the bundle's own claims. */
  private async checkImported(docs: ImportedDoc<DocFacts>[], header: BundleHeader, headerEngagements: Set<string>): Promise<void> {
    const levels = this.settings.classificationLevels;
    const ceilings = new Map(header.engagements.map((e) => [e.id, e.ceiling]));
    const headerPlaybooks = new Set(header.playbooks);
    for (const { docId, facts } of docs) {
      if (facts.kind === 'playbook' && !headerPlaybooks.has(parseDocId(docId).id))
        throw new OutpostError('bundle_invalid', 'The bundle holds a playbook its header does not declare. Nothing was imported.');
      if (facts.kind !== 'engagement') continue;
      if (!headerEngagements.has(parseDocId(docId).id))
        throw new OutpostError('bundle_invalid', 'The bundle holds an engagement its header does not declare. Nothing was imported.');
      if (facts.ceiling && levelRank(levels, facts.ceiling) < 0)
        throw new OutpostError(
          'bundle_classification',
          `Engagement ${facts.label} is marked up to ${facts.ceiling}, a level this notebook does not hold. Nothing was imported.`,
        );
      if (facts.ceiling) ceilings.set(facts.engagementId, facts.ceiling);
    }
    for (const { facts, waiting } of docs) {
      if (facts.kind !== 'note') continue;
      if (!facts.engagementId && waiting) continue;
      const ceiling = ceilings.get(facts.engagementId) ?? (await this.localCeiling(facts.engagementId));
      if (!ceiling)
        throw new OutpostError(
          'bundle_invalid',
          `Note “${facts.label}” belongs to an engagement this notebook does not have. Nothing was imported.`,
        );
      if (!isAtOrBelow(levels, facts.classification, ceiling))
        throw new OutpostError(
          'bundle_classification',
          `Note “${facts.label}” is marked ${facts.classification || '(unmarked)'}, which this notebook cannot hold under the engagement's ceiling ${ceiling}. Nothing was imported.`,
        );
      if (header.maxClassification && !isAtOrBelow(levels, facts.classification, header.maxClassification))
        throw new OutpostError(
          'bundle_classification',
          `The bundle is capped at ${header.maxClassification} but holds a note marked ${facts.classification}. Nothing was imported.`,
        );
    }
  }

  /** Whether every lesson a playbook curates is known here and marked at or below `cap`. */
  private async playbookWithin(doc: Y.Doc, cap: string): Promise<boolean> {
    const refs = readPlaybook(doc).chapters.flatMap((chapter) => chapter.lessons);
    if (!refs.length) return true;
    const levels = this.settings.classificationLevels;
    const known = await this.db.query<{ ref: string; classification: string }>(
      'SELECT ref, classification FROM lessons WHERE ref = ANY($1::text[])',
      [refs],
    );
    const marking = new Map(known.rows.map((row) => [row.ref, row.classification]));
    return refs.every((ref) => {
      const classification = marking.get(ref);
      return classification !== undefined && isAtOrBelow(levels, classification, cap);
    });
  }

  private async localCeiling(engagementId: string): Promise<string | null> {
    if (!uuidSchema.safeParse(engagementId).success) return null;
    try {
      return (await this.engagements.get(engagementId)).ceiling;
    } catch {
      return null;
    }
  }

  private async peerName(tx: Queryable, deviceId: string): Promise<string | null> {
    const known = await tx.query<{ name: string }>('SELECT name FROM trusted_devices WHERE device_id = $1', [deviceId]);
    if (known.rows[0]) return known.rows[0].name;
    const seen = await tx.query<{ peer_name: string }>(
      "SELECT peer_name FROM bundle_ledger WHERE peer_device_id = $1 AND direction = 'received' ORDER BY recorded_at DESC LIMIT 1",
      [deviceId],
    );
    return seen.rows[0]?.peer_name ?? null;
  }
}

/** What an import needs to know of each merged document: for the preview and the checks. */
type DocFacts =
  | { kind: 'note'; label: string; engagementId: string; classification: string }
  | { kind: 'engagement'; label: string; engagementId: string; ceiling: string; sections: SectionChange[] }
  | { kind: 'playbook'; label: string; engagementId: '' };

function readFacts(_docId: string, kind: DocKind, merged: Y.Doc, before: Y.Doc | null): DocFacts {
  if (kind === 'playbook') return { kind, label: readPlaybook(merged).title, engagementId: '' };
  if (kind === 'note') {
    const meta = readNoteMeta(merged);
    return { kind, label: meta.title, engagementId: meta.engagementId, classification: meta.classification };
  }
  const { engagement } = readEngagement(merged);
  return {
    kind: 'engagement',
    label: engagement.codename,
    engagementId: engagement.id,
    ceiling: engagement.ceiling,
    sections: sectionChanges(before, merged),
  };
}

function toReport(item: ImportedDoc<DocFacts>): ImportedDocReport {
  return {
    docId: item.docId,
    kind: item.kind,
    created: item.created,
    changed: item.changed,
    waiting: item.waiting,
    label: item.facts.label,
    engagementId: item.facts.engagementId,
    sections: item.facts.kind === 'engagement' ? item.facts.sections : [],
  };
}

/** The sender's Ed25519 public key, as the header carries it (base64). */
function senderKey(header: BundleHeader): Uint8Array {
  return decodeBytes(header.sender.publicKey);
}
