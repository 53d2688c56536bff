import { createHash } from 'node:crypto';
import path from 'node:path';
import type { JSONContent } from '@tiptap/core';
import * as Y from 'yjs';
import { isAtOrBelow } from '../../shared/classification';
import { initEngagementDoc } from '../../shared/engagements/doc';
import { codenameSchema } from '../../shared/engagements/model';
import { OutpostError } from '../../shared/errors';
import { docIdFor, newId, parseDocId } from '../../shared/ids';
import { bindFiles } from '../../shared/import/body';
import type { FileReport, FolderMode, ImportIssue, ImportKind, ImportProgress, ImportReport } from '../../shared/import/model';
import { type PlannedNote, planNotes } from '../../shared/import/plan';
import { initNoteDoc, noteMetaMap, noteTagsMap, replaceNoteBody } from '../../shared/notes/doc';
import { noteSchema } from '../../shared/notes/schema';
import type { AttachmentStore } from '../attachments/attachment-store';
import type { DocStore, IncomingUpdate } from '../docs/doc-store';
import type { Database } from '../notebook/database';
import type { DeviceIdentity } from '../notebook/identity';
import type { NotebookSettings } from '../notebook/settings';
import { loadEnex } from './enex-source';
import { loadJoplin } from './joplin-source';
import { loadMarkdownFolder } from './markdown-source';
import type { LoadedSource } from './source';

export interface ImportRequest {
  kind: ImportKind;
  /** A folder (Markdown, Obsidian, Joplin RAW), a .jex or an .enex file, on this machine. */
  path: string;
  engagementId?: string | undefined;
  /** Import into a new engagement of this codename instead. */
  newEngagement?: string | undefined;
  folders: FolderMode;
  overwrite: boolean;
  dryRun: boolean;
  /** Import the notes that can be, leaving out those with errors (otherwise any error refuses the import). */
  skipInvalid: boolean;
}

export type ProgressListener = (progress: Omit<ImportProgress, 'runId'>) => void;

interface ExistingRow {
  source_key: string;
  doc_id: string;
  content_hash: string;
  state_vector: Uint8Array;
}

interface StoredFile {
  sha256: string;
  size: number;
  mime: string;
  name: string;
}

/** Where one imported source file went, for import_sources. */
interface PlannedRecord {
  key: string;
  docId: string;
  hash: string;
  vector: Uint8Array;
}

interface EngagementTarget {
  id: string;
  ceiling: string;
  /** A new engagement: its codename (created in the import's transaction). */
  create: string | null;
}

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/**
 * Imports notes from other tools (shared/import for the conversion): reads the source, plans every
 * note, compares with what earlier imports of the same source wrote (import_sources), and writes
 * everything — new notes, updated notes, new engagements, attachments, the source records — in
 * one DocStore import: all of it or nothing. Lists and search catch up right after.
 */
export class ImportService {
  constructor(
    private readonly db: Database,
    private readonly docs: DocStore,
    private readonly attachments: AttachmentStore,
    private readonly settings: NotebookSettings,
    private readonly device: () => DeviceIdentity,
  ) {}

  async run(request: ImportRequest, progress: ProgressListener = () => {}): Promise<ImportReport> {
    const levels = this.settings.classificationLevels;
    const sourcePath = path.resolve(request.path);
    const sourceName = path.basename(sourcePath);
    const home = await this.homeEngagement(request);
    progress({ phase: 'reading', done: 0, total: 0 });
    const source = await this.load(request.kind, sourcePath, (done, total) => progress({ phase: 'reading', done, total }));
    const existing = new Map<string, ExistingRow>();
    if (!home.create) {
      const rows = await this.db.query<ExistingRow>(
        `SELECT source_key, doc_id, content_hash, state_vector FROM import_sources
         WHERE engagement_id = $1::uuid AND source_kind = $2 AND source_name = $3`,
        [home.id, request.kind, sourceName],
      );
      for (const row of rows.rows) existing.set(row.source_key, row);
    }
    const present = await this.presentDocs([...existing.values()].map((r) => r.doc_id));
    const plan = planNotes(source.notes, source.resolver, {
      folders: request.folders,
      idFor: (key) => {
        const row = existing.get(key);
        return row && present.has(row.doc_id) ? parseDocId(row.doc_id).id : newId();
      },
    });
    const engagements = await this.folderEngagements(plan, home, request.folders);

    this.checkPlan(plan, source, request, (note) => engagements.get(note.engagementFolder) ?? home);

    const placed: string[] = [];
    try {
      const stored = await this.storeFiles(plan, source, request, placed, progress);
      const report = this.emptyReport(request, sourcePath);
      const incoming: IncomingUpdate[] = [];
      const records: PlannedRecord[] = [];
      const device = this.device();
      const now = new Date().toISOString();
      for (const note of plan) {
        const file: FileReport = {
          path: note.path,
          title: note.title,
          action: 'skip',
          links: note.links,
          attachments: note.files.length,
          issues: note.issues,
        };
        report.files.push(file);
        if (hasError(note.issues)) continue;
        const target = engagements.get(note.engagementFolder) ?? home;
        const classification = note.classification ?? (levels[0] as string);
        const body = bindFiles(note.json, (f) => stored.get(f) ?? null);
        const hash = sha256(JSON.stringify([target.id, note.title, note.type, classification, [...note.tags].sort(), body]));
        const row = existing.get(note.key);
        const planned = await this.noteChange(
          note,
          { target, classification, body, hash, now, device, overwrite: request.overwrite },
          row && present.has(row.doc_id) ? row : null,
        );
        file.action = planned.action;
        if (planned.update) incoming.push(planned.update);
        if (planned.record) records.push(planned.record);
      }
      for (const [, target] of engagements) if (target.create) report.newEngagements.push(target.create);
      if (home.create) report.newEngagements.unshift(home.create);
      summarize(report, plan, source.issues, stored);
      if (request.dryRun) return report;

      for (const target of new Set([home, ...engagements.values()])) {
        if (!target.create) continue;
        const doc = new Y.Doc({ gc: true });
        initEngagementDoc(doc, target.id, { client: 'Imported', codename: target.create, ceiling: target.ceiling }, now);
        incoming.unshift({ docId: docIdFor('engagement', target.id), update: Y.encodeStateAsUpdate(doc) });
        doc.destroy();
      }
      await this.commit(
        incoming,
        records,
        [...stored.values()].filter((f): f is StoredFile => !!f),
        { home, request, sourceName, placed },
        progress,
      );
      progress({ phase: 'done', done: records.length, total: records.length });
      report.noteIds = records.map((r) => parseDocId(r.docId).id);
      return report;
    } finally {
      for (const sha of placed) this.attachments.discard(sha);
    }
  }

  /**
   * Per note: classification under its engagement's ceiling, referenced files (sizes first: nothing
   * over the limit is read), a body that fits the schema. Any error refuses the whole import,
   * unless the user asked for what converts (or only a preview).
   */
  private checkPlan(
    plan: PlannedNote[],
    source: LoadedSource,
    request: ImportRequest,
    targetOf: (note: PlannedNote) => EngagementTarget,
  ): void {
    const levels = this.settings.classificationLevels;
    const fileLimit = this.settings.attachmentMaxBytes;
    for (const note of plan) {
      if (hasError(note.issues)) continue;
      const target = targetOf(note);
      if (note.classification && !isAtOrBelow(levels, note.classification, target.ceiling))
        note.issues.push(error(note, `Marked ${note.classification}, above the engagement's ceiling (${target.ceiling})`));
      for (const file of note.files) {
        const size = source.sizeOf(file);
        if (size === null) note.issues.push(warning(note, `${file} is not in the source; left out`));
        else if (size > fileLimit)
          note.issues.push(error(note, `${file} is ${mb(size)}; attachments are limited to ${mb(fileLimit)} (change it in Settings)`));
      }
      try {
        noteSchema().nodeFromJSON(note.json).check();
      } catch (e) {
        note.issues.push(error(note, `The converted body does not fit the note schema: ${(e as Error).message}`));
      }
    }
    const errors =
      plan.flatMap((n) => n.issues).filter((i) => i.severity === 'error').length +
      source.issues.filter((i) => i.severity === 'error').length;
    if (errors && !request.skipInvalid && !request.dryRun) {
      const lines = [...source.issues, ...plan.flatMap((n) => n.issues)]
        .filter((i) => i.severity === 'error')
        .map((i) => `${i.path}: ${i.message}`);
      throw new OutpostError(
        'invalid_request',
        `${errors} problem${errors === 1 ? '' : 's'} in the source; nothing was imported. Fix them, or import the rest: tick “Import what converts” in the Import notes dialog, or pass --skip-invalid to outpost import.`,
        lines.slice(0, 500),
      );
    }
  }

  /**
   * The files the importable notes reference, hashed once each and, for a real import, placed in
   * the attachment store (`placed` lists what to discard if the import then fails). A file that
   * cannot be read is left out with a warning on the notes that use it.
   */
  private async storeFiles(
    plan: PlannedNote[],
    source: LoadedSource,
    request: ImportRequest,
    placed: string[],
    progress: ProgressListener,
  ): Promise<Map<string, StoredFile | null>> {
    const fileLimit = this.settings.attachmentMaxBytes;
    const stored = new Map<string, StoredFile | null>();
    const wanted = [...new Set(plan.filter((n) => !hasError(n.issues)).flatMap((n) => n.files))].filter((f) => {
      const size = source.sizeOf(f);
      return size !== null && size <= fileLimit;
    });
    for (const [index, file] of wanted.entries()) {
      if (index % 50 === 0) progress({ phase: 'converting', done: index, total: wanted.length });
      try {
        const bytes = await source.read(file);
        const sha = sha256(bytes.data);
        if (!request.dryRun && this.attachments.placeVerified(sha, bytes.data)) placed.push(sha);
        stored.set(file, { sha256: sha, size: bytes.data.length, mime: bytes.mime, name: bytes.name });
      } catch (e) {
        stored.set(file, null);
        for (const note of plan.filter((n) => n.files.includes(file)))
          note.issues.push(warning(note, `${file} could not be read (${(e as Error).message}); left out`));
      }
    }
    return stored;
  }

  /**
   * What one note's import does: a new note; or, for a note an earlier import wrote (`row`), an
   * update, nothing (unchanged), or nothing because it was edited here since (unless overwrite).
   */
  private async noteChange(
    note: PlannedNote,
    ctx: {
      target: EngagementTarget;
      classification: string;
      body: JSONContent;
      hash: string;
      now: string;
      device: DeviceIdentity;
      overwrite: boolean;
    },
    row: ExistingRow | null,
  ): Promise<{ action: FileReport['action']; update?: IncomingUpdate; record?: PlannedRecord }> {
    const docId = docIdFor('note', note.id);
    const { classification, body, hash } = ctx;
    if (row) {
      const current = await this.currentDoc(row.doc_id);
      try {
        const vector = Y.encodeStateVector(current);
        const edited = !bytesEqual(vector, row.state_vector);
        if (edited && !ctx.overwrite) return { action: 'edited' };
        if (!edited && row.content_hash === hash) return { action: 'unchanged' };
        replaceNote(current, note, classification, body);
        return {
          action: 'update',
          update: { docId, update: Y.encodeStateAsUpdate(current, vector) },
          record: { key: note.key, docId, hash, vector: Y.encodeStateVector(current) },
        };
      } finally {
        current.destroy();
      }
    }
    const doc = new Y.Doc({ gc: true });
    try {
      initNoteDoc(
        doc,
        {
          id: note.id,
          engagementId: ctx.target.id,
          title: note.title,
          type: note.type,
          classification,
          tags: note.tags,
          pinned: false,
          createdAt: note.createdAt ?? ctx.now,
          authorId: ctx.device.deviceId,
          authorName: ctx.device.name,
        },
        body,
      );
      return {
        action: 'create',
        update: { docId, update: Y.encodeStateAsUpdate(doc) },
        record: { key: note.key, docId, hash, vector: Y.encodeStateVector(doc) },
      };
    } finally {
      doc.destroy();
    }
  }

  /**
   * One DocStore import: the documents, the files' records and where each source file went
   * (import_sources), all or nothing; then waits until lists and search have caught up.
   */
  private async commit(
    incoming: IncomingUpdate[],
    records: PlannedRecord[],
    usedFiles: StoredFile[],
    {
      home,
      request,
      sourceName,
      placed,
    }: { home: EngagementTarget; request: ImportRequest; sourceName: string /** Emptied once committed. */; placed: string[] },
    progress: ProgressListener,
  ): Promise<void> {
    const device = this.device();
    let written = 0;
    const ours = new Set(records.map((r) => r.docId));
    const stop = this.docs.onChange((docId) => {
      if (!ours.has(docId)) return;
      written++;
      if (written % 100 === 0 || written === ours.size) progress({ phase: 'indexing', done: written, total: ours.size });
    });
    try {
      await this.docs.importUpdates(
        incoming,
        { deviceId: device.deviceId, bundleId: null },
        {
          describe: () => null,
          progress: (phase, done, total) => {
            if (phase === 'writing') progress({ phase: 'writing', done, total });
          },
          record: async (tx) => {
            await this.attachments.recordVerified(tx, usedFiles);
            for (let start = 0; start < records.length; start += 500) {
              const batch = records.slice(start, start + 500);
              await tx.query(
                `INSERT INTO import_sources (engagement_id, source_kind, source_name, source_key, doc_id, content_hash, state_vector)
                 SELECT $1::uuid, $2, $3, k, d, h, v FROM unnest($4::text[], $5::text[], $6::text[], $7::bytea[]) AS t(k, d, h, v)
                 ON CONFLICT (engagement_id, source_kind, source_name, source_key)
                 DO UPDATE SET doc_id = EXCLUDED.doc_id, content_hash = EXCLUDED.content_hash,
                               state_vector = EXCLUDED.state_vector, imported_at = now()`,
                [
                  home.id,
                  request.kind,
                  sourceName,
                  batch.map((r) => r.key),
                  batch.map((r) => r.docId),
                  batch.map((r) => r.hash),
                  batch.map((r) => r.vector),
                ],
              );
            }
          },
        },
      );
      placed.length = 0; // committed: the files are the notebook's now
      progress({ phase: 'writing', done: incoming.length, total: incoming.length });
      await this.docs.catchUpProjections();
      await this.docs.flush();
    } finally {
      stop();
    }
  }

  private async load(kind: ImportKind, sourcePath: string, onFile: (done: number, total: number) => void): Promise<LoadedSource> {
    const options = { levels: this.settings.classificationLevels, fileMaxBytes: this.settings.attachmentMaxBytes, onFile };
    if (kind === 'markdown' || kind === 'obsidian') return loadMarkdownFolder(sourcePath, options);
    if (kind === 'joplin') return loadJoplin(sourcePath, options);
    return loadEnex(sourcePath, options);
  }

  private async homeEngagement(request: ImportRequest): Promise<EngagementTarget> {
    if (request.newEngagement !== undefined) {
      const codename = codenameSchema.safeParse(request.newEngagement.trim());
      if (!codename.success) throw new OutpostError('invalid_request', codename.error.issues[0]?.message ?? 'Invalid codename');
      const taken = await this.db.query('SELECT 1 FROM engagements WHERE lower(codename) = lower($1)', [codename.data]);
      if (taken.rows.length) throw new OutpostError('conflict', `An engagement is already named ${codename.data}`);
      return { id: newId(), ceiling: this.highestLevel(), create: codename.data };
    }
    if (!request.engagementId) throw new OutpostError('invalid_request', 'Name the engagement to import into, or a new one');
    const rows = await this.db.query<{ ceiling: string }>('SELECT ceiling FROM engagements WHERE id = $1::uuid', [request.engagementId]);
    const row = rows.rows[0];
    if (!row) throw new OutpostError('not_found', `No engagement with id ${request.engagementId}`);
    return { id: request.engagementId, ceiling: row.ceiling, create: null };
  }

  /** A new engagement may hold anything imported into it: its ceiling is the notebook's highest level. */
  private highestLevel(): string {
    const levels = this.settings.classificationLevels;
    return levels[levels.length - 1] as string;
  }

  /** Folders as engagements: each top folder names an engagement by codename, found or created. */
  private async folderEngagements(
    plan: PlannedNote[],
    home: EngagementTarget,
    folders: FolderMode,
  ): Promise<Map<string | null, EngagementTarget>> {
    const targets = new Map<string | null, EngagementTarget>([[null, home]]);
    if (folders !== 'engagements') return targets;
    for (const note of plan) {
      const folder = note.engagementFolder;
      if (folder === null || targets.has(folder)) continue;
      const codename = folder
        .normalize('NFC')
        .replace(/[^\p{L}\p{N} ._-]+/gu, '-')
        .replace(/^[^\p{L}\p{N}]+/u, '')
        .slice(0, 64);
      const parsed = codenameSchema.safeParse(codename);
      if (!parsed.success) {
        targets.set(folder, home);
        continue;
      }
      const found = await this.db.query<{ id: string; ceiling: string }>(
        'SELECT id, ceiling FROM engagements WHERE lower(codename) = lower($1)',
        [parsed.data],
      );
      const row = found.rows[0];
      targets.set(
        folder,
        row ? { id: row.id, ceiling: row.ceiling, create: null } : { id: newId(), ceiling: this.highestLevel(), create: parsed.data },
      );
    }
    return targets;
  }

  private async presentDocs(docIds: string[]): Promise<Set<string>> {
    if (!docIds.length) return new Set();
    const rows = await this.db.query<{ doc_id: string }>('SELECT doc_id FROM docs WHERE doc_id = ANY($1::text[])', [docIds]);
    return new Set(rows.rows.map((r) => r.doc_id));
  }

  /** The note as it is now, pending edits included (a scratch copy: the live one is not touched). */
  private async currentDoc(docId: string): Promise<Y.Doc> {
    await this.docs.flush(docId, { projections: false });
    const live = await this.docs.open(docId);
    const copy = new Y.Doc({ gc: true });
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(live));
    return copy;
  }

  private emptyReport(request: ImportRequest, source: string): ImportReport {
    return {
      kind: request.kind,
      source,
      dryRun: request.dryRun,
      notes: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      edited: 0,
      skipped: 0,
      links: 0,
      unresolvedLinks: 0,
      attachments: 0,
      attachmentBytes: 0,
      errors: 0,
      warnings: 0,
      newEngagements: [],
      files: [],
      noteIds: [],
    };
  }
}

function replaceNote(doc: Y.Doc, note: PlannedNote, classification: string, body: JSONContent): void {
  doc.transact(() => {
    const meta = noteMetaMap(doc);
    for (const [key, value] of [
      ['title', note.title],
      ['type', note.type],
      ['classification', classification],
    ] as const)
      if (meta.get(key) !== value) meta.set(key, value);
    const tags = noteTagsMap(doc);
    for (const tag of [...tags.keys()]) if (!note.tags.includes(tag)) tags.delete(tag);
    for (const tag of note.tags) if (!tags.has(tag)) tags.set(tag, true);
  });
  replaceNoteBody(doc, body);
}

function summarize(report: ImportReport, plan: PlannedNote[], sourceIssues: ImportIssue[], stored: Map<string, StoredFile | null>): void {
  for (const file of report.files) {
    if (file.action === 'create') report.created++;
    else if (file.action === 'update') report.updated++;
    else if (file.action === 'unchanged') report.unchanged++;
    else if (file.action === 'edited') report.edited++;
    else report.skipped++;
  }
  const imported = plan.filter((n) => !hasError(n.issues));
  report.notes = imported.length;
  report.links = imported.reduce((sum, n) => sum + n.links, 0);
  report.unresolvedLinks = imported.reduce((sum, n) => sum + n.unresolved, 0);
  const files = [...stored.values()].filter((f): f is StoredFile => !!f);
  report.attachments = new Set(files.map((f) => f.sha256)).size;
  report.attachmentBytes = [...new Map(files.map((f) => [f.sha256, f.size])).values()].reduce((a, b) => a + b, 0);
  const all = [...sourceIssues, ...plan.flatMap((n) => n.issues)];
  report.errors = all.filter((i) => i.severity === 'error').length;
  report.warnings = all.length - report.errors;
  if (sourceIssues.length)
    report.files.unshift(
      ...sourceIssues.map((issue) => ({ path: issue.path, title: '', action: 'skip' as const, links: 0, attachments: 0, issues: [issue] })),
    );
}

const hasError = (issues: ImportIssue[]) => issues.some((i) => i.severity === 'error');
const error = (note: PlannedNote, message: string): ImportIssue => ({ path: note.path, severity: 'error', message });
const warning = (note: PlannedNote, message: string): ImportIssue => ({ path: note.path, severity: 'warning', message });
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
