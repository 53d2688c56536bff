import fs from 'node:fs';
import { OutpostError } from '../../shared/errors';
import { deviceNameSchema, type NotebookCheck } from '../../shared/notebook/calls';
import type { DeviceKeyPair } from '../../shared/sync/bundle-format';
import { parseOrThrow } from '../../shared/validation';
import { AttachmentStore } from '../attachments/attachment-store';
import { signatureProjection } from '../debugging/signature-projection';
import { DocStore } from '../docs/doc-store';
import type { Projection } from '../docs/projection';
import { checkProjections, rebuildProjections } from '../docs/projection-maintenance';
import { engagementProjection } from '../engagements/engagement-projection';
import { EngagementService } from '../engagements/engagement-service';
import { lessonProjection } from '../lessons/lesson-projection';
import { playbookProjection } from '../lessons/playbook-projection';
import { NoteHistory } from '../notes/note-history';
import { noteProjection } from '../notes/note-projection';
import { NoteService } from '../notes/note-service';
import { OcrService } from '../ocr/ocr-service';
import { BundleService } from '../sync/bundle-service';
import { ConflictStore } from '../sync/conflict-store';
import { loadOrCreateDeviceKeys } from '../sync/device-keys';
import { HubSync } from '../sync/hub-sync';
import { Ledger } from '../sync/ledger';
import { TrustStore } from '../sync/trust-store';
import { type Database, openDatabase } from './database';
import { type DeviceIdentity, loadOrCreateDeviceIdentity, saveDeviceIdentity } from './identity';
import { acquireNotebookLock, type NotebookLock } from './lock';
import { IdleMaintenance, refreshStatistics } from './maintenance';
import { SCHEMA_VERSION } from './migrations';
import { notebookLayout } from './paths';
import { assertOwnFolder, makeOwnerOnly, restrictNewFiles } from './permissions';
import { NotebookSettings } from './settings';

export interface OpenNotebookOptions {
  /** Who is opening it, shown to a second process that is refused: "app", "web host", "cli". */
  kind: string;
  /** Start a new database from this dump instead of running initdb (tests and benchmarks). */
  template?: Blob;
  /** This process will serve the notebook's command channel (electron/api/local-channel.ts): a CLI waits for it instead of being refused. */
  serveCommands?: boolean;
}

const PROJECTIONS: Projection[] = [
  engagementProjection as unknown as Projection,
  noteProjection as unknown as Projection,
  lessonProjection as unknown as Projection,
  playbookProjection as unknown as Projection,
  signatureProjection as unknown as Projection,
];

/**
 * An open notebook folder: the lock, the database, the device identity, and the services on
 * top. Only one process holds it at a time. Everything that touches the notebook goes through here.
 */
export class Notebook {
  private closed = false;
  private readonly maintenance: IdleMaintenance;

  private constructor(
    readonly dir: string,
    readonly db: Database,
    readonly lock: NotebookLock,
    private identity: DeviceIdentity,
    readonly settings: NotebookSettings,
    readonly docs: DocStore,
    readonly engagements: EngagementService,
    readonly notes: NoteService,
    readonly attachments: AttachmentStore,
  ) {
    this.maintenance = new IdleMaintenance(db, docs);
    this.trust = new TrustStore(db, () => ({ deviceId: this.identity.deviceId, publicKey: this.keys.publicKey }));
    this.ledger = new Ledger(db);
    this.conflicts = new ConflictStore(db, docs);
    this.history = new NoteHistory(db, docs, () => ({ deviceId: this.identity.deviceId, name: this.identity.name }));
    this.hub = new HubSync({
      db,
      docs,
      conflicts: this.conflicts,
      levels: () => settings.classificationLevels,
      device: () => ({ ...this.keys, deviceId: this.identity.deviceId, name: this.identity.name }),
    });
    this.ocr = new OcrService(db, docs, attachments);
    this.bundles = new BundleService(
      db,
      docs,
      engagements,
      attachments,
      settings,
      this.trust,
      this.ledger,
      this.conflicts,
      () => this.identity,
      () => this.keys,
    );
  }

  readonly trust: TrustStore;
  readonly ledger: Ledger;
  readonly conflicts: ConflictStore;
  readonly history: NoteHistory;
  readonly bundles: BundleService;
  /** The team hub: its settings, and its live sync in a process that keeps the notebook open. */
  readonly hub: HubSync;
  /** Reads the text in screenshots (OCR) in the background, in a process that keeps the notebook open. */
  readonly ocr: OcrService;
  private deviceKeys: DeviceKeyPair | null = null;

  /** The device's signing keys, created the first time they are needed (first bundle). */
  get keys(): DeviceKeyPair {
    this.deviceKeys ??= loadOrCreateDeviceKeys(notebookLayout(this.dir).deviceKey);
    return this.deviceKeys;
  }

  static async open(dir: string, options: OpenNotebookOptions): Promise<Notebook> {
    const layout = notebookLayout(dir);
    restrictNewFiles();
    try {
      fs.mkdirSync(layout.root, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new OutpostError('notebook_invalid', `Cannot create the notebook folder ${dir}: ${(error as Error).message}`);
    }
    // Before anything is read or written in it: a folder of another account is refused, and
    // whatever an older version or a copy left readable to others becomes owner-only.
    assertOwnFolder(layout.root);
    makeOwnerOnly(layout.root);
    fs.mkdirSync(layout.attachments, { recursive: true, mode: 0o700 });
    const lock = acquireNotebookLock(dir, options.kind, { commands: options.serveCommands ?? false });
    // A dead holder's command channel: this process holds the lock now, so nobody answers there.
    fs.rmSync(layout.channel, { force: true });
    if (process.platform !== 'win32') fs.rmSync(layout.socket, { force: true });
    let db: Database | undefined;
    try {
      const identity = loadOrCreateDeviceIdentity(layout.device);
      const fresh = !fs.existsSync(layout.database);
      db = await openDatabase(layout.database, fresh && options.template ? { template: options.template } : {});
      // PGlite made its files with the process umask; where that could not be set (a worker
      // thread), mend them now.
      makeOwnerOnly(layout.database);
      const settings = await NotebookSettings.load(db);
      const docs = new DocStore(db, identity.deviceId, PROJECTIONS);
      const engagements = new EngagementService(db, docs, settings);
      let notebook: Notebook | null = null;
      const notes = new NoteService(db, docs, settings, engagements, () => notebook?.device ?? identity);
      const attachments = new AttachmentStore(layout.attachments, db, settings);
      await attachments.sweep();
      // Projections a crash left owed (after an import, or typing just before it) are written in
      // the background; lists refresh as they land, and `flush`/`close` wait for them.
      void docs.catchUpProjections();
      notebook = new Notebook(dir, db, lock, identity, settings, docs, engagements, notes, attachments);
      // Only a process that keeps the notebook open syncs with a team hub (never a one-off CLI run).
      if (options.serveCommands) {
        await notebook.hub.start();
        notebook.ocr.start();
      }
      return notebook;
    } catch (error) {
      await db?.close().catch(() => {});
      lock.release();
      throw error;
    }
  }

  get device(): DeviceIdentity {
    return this.identity;
  }

  setDeviceName(name: string): void {
    const next = { ...this.identity, name: parseOrThrow(deviceNameSchema, name, 'device name') };
    saveDeviceIdentity(notebookLayout(this.dir).device, next);
    this.identity = next;
  }

  async setClassificationLevels(levels: string[]): Promise<void> {
    await this.settings.setClassificationLevels(levels, await this.engagements.levelsInUse());
  }

  async rebuildProjections() {
    const report = await rebuildProjections(this.db, this.docs, PROJECTIONS);
    // A rebuild rewrites every projection row: reclaim the old versions and refresh statistics.
    await refreshStatistics(this.db);
    return report;
  }

  checkProjections() {
    return checkProjections(this.db, this.docs, PROJECTIONS);
  }

  /** What `outpost doctor` reports of an open notebook, without changing it. */
  async check(): Promise<NotebookCheck[]> {
    const checks: NotebookCheck[] = [
      { name: 'schema', ok: true, detail: `version ${SCHEMA_VERSION} (current)` },
      { name: 'device', ok: true, detail: `${this.device.name} (${this.device.deviceId})` },
    ];
    const counts = await this.db.query<{ docs: number; updates: number }>(
      'SELECT (SELECT count(*)::int FROM docs) AS docs, (SELECT count(*)::int FROM doc_updates) AS updates',
    );
    const { docs, updates } = counts.rows[0] ?? { docs: 0, updates: 0 };
    checks.push({ name: 'documents', ok: true, detail: `${docs} documents, ${updates} logged updates` });
    const problems = await this.checkProjections();
    checks.push({
      name: 'projections',
      ok: problems.length === 0,
      detail: problems.length ? `${problems.join('; ')} — run: outpost projections rebuild` : 'consistent with the update log',
    });
    return checks;
  }

  /** Saves what is pending, closes the database, then releases the lock. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.attachments.abortUploads();
      await this.hub.stop();
      await this.ocr.stop();
      await this.maintenance.stop();
      await this.docs.close();
      await this.db.close();
      // Best effort: a file that cannot be mended now is refused at the next open, with its name.
      try {
        makeOwnerOnly(this.dir);
      } catch {}
    } finally {
      this.lock.release();
    }
  }
}
