import { OutpostError } from '../../shared/errors';
import { docIdFor, parseDocId } from '../../shared/ids';
import { readNoteMeta } from '../../shared/notes/doc';
import type { HubEditor, HubStatus } from '../../shared/sync/hub-calls';
import type { DocStore } from '../docs/doc-store';
import type { Database } from '../notebook/database';
import type { ConflictStore } from './conflict-store';
import { EngagementHubSync } from './hub-engagement';
import { fetchChallenge, type HubDevice, HubSession, normalizeHubUrl } from './hub-session';
import { type HubSettings, loadHubSettings, saveHubSettings } from './hub-settings';

/** Status events are sent at most this often. */
const STATUS_EVERY_MS = 250;

export interface HubSyncDeps {
  db: Database;
  docs: DocStore;
  conflicts: ConflictStore;
  levels: () => readonly string[];
  device: () => HubDevice;
}

/**
 * The notebook's side of the team hub: its settings, and, in a process that keeps the notebook
 * open (the app, the browser host), the live sync of every engagement whose switch is on. Nothing
 * connects until a hub is configured and an engagement turned on.
 */
export class HubSync {
  private settings: HubSettings | null = null;
  private session: HubSession | null = null;
  private readonly engagements = new Map<string, EngagementHubSync>();
  private connection: HubStatus['connection'] = 'off';
  private since: string | null = null;
  private lastError: string | null = null;
  private running = false;
  private readonly listeners = new Set<(status: HubStatus) => void>();
  private statusTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly noteEngagement = new Map<string, string>();
  private unsubscribe: (() => void) | null = null;
  /** Notes open in an editor, by the renderer connections (windows, tabs) that have them open. */
  private readonly editing = new Map<string, Set<string>>();
  private readonly editorListeners = new Set<(docId: string, editors: HubEditor[]) => void>();

  constructor(private readonly deps: HubSyncDeps) {}

  onStatus(listener: (status: HubStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Who else edits a note open here changed (or it stopped syncing: nobody). */
  onEditors(listener: (docId: string, editors: HubEditor[]) => void): () => void {
    this.editorListeners.add(listener);
    return () => this.editorListeners.delete(listener);
  }

  /**
   * A renderer connection opened a note in its editor, or closed it. While any connection has it
   * open, the hub's other clients see this device editing it; the answer is who else is.
   */
  async setEditing(connectionId: string, docId: string, editing: boolean): Promise<HubEditor[]> {
    if (parseDocId(docId).kind !== 'note') return [];
    const connections = this.editing.get(docId) ?? new Set<string>();
    if (editing) connections.add(connectionId);
    else connections.delete(connectionId);
    if (connections.size) this.editing.set(docId, connections);
    else this.editing.delete(docId);
    const engagementId = await this.engagementOf(docId);
    const sync = engagementId ? this.engagements.get(engagementId) : undefined;
    return sync?.setEditing(docId, connections.size > 0) ?? [];
  }

  /** A renderer connection went away: the notes it had open are no longer edited by it. */
  async releaseConnection(connectionId: string): Promise<void> {
    for (const [docId, connections] of [...this.editing])
      if (connections.has(connectionId)) await this.setEditing(connectionId, docId, false);
  }

  /** Starts syncing what the settings say (a long-lived process calls this once). */
  async start(): Promise<void> {
    this.running = true;
    this.settings = await loadHubSettings(this.deps.db);
    if (!this.unsubscribe) {
      // Typing is relayed as soon as it is logged; documents created or imported here are told by onChange.
      const logged = this.deps.docs.onLogged((docId) => void this.localChange(docId, true));
      const changed = this.deps.docs.onChange((docId) => void this.localChange(docId, false));
      this.unsubscribe = () => {
        logged();
        changed();
      };
    }
    await this.apply();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.teardown();
  }

  async status(): Promise<HubStatus> {
    this.settings ??= await loadHubSettings(this.deps.db);
    const codenames = await this.codenames();
    const configured = this.settings;
    return {
      configured: !!configured,
      url: configured?.url ?? null,
      fingerprint: configured?.fingerprint ?? null,
      running: this.running,
      connection: this.connection,
      since: this.since,
      ceiling: this.session?.policy?.ceiling ?? null,
      lastError: this.lastError,
      engagements: (configured?.engagements ?? []).map((engagementId) => {
        const state = this.engagements.get(engagementId)?.state();
        return {
          engagementId,
          codename: codenames.get(engagementId) ?? engagementId.slice(0, 8),
          waiting: state?.waiting ?? 0,
          withheld: state?.withheld ?? 0,
          received: state?.received ?? 0,
          refused: state?.refused ?? [],
          teammates: state?.teammates ?? [],
        };
      }),
    };
  }

  async connect(urlText: string, trust: boolean, engagementId?: string): Promise<HubStatus> {
    const url = normalizeHubUrl(urlText);
    const { hubFingerprint } = await fetchChallenge(url.http);
    const current = await loadHubSettings(this.deps.db);
    const known = current && current.url === url.ws ? current.fingerprint : null;
    if (known !== hubFingerprint && !trust)
      throw new OutpostError(
        'hub_untrusted',
        known
          ? `The hub at ${url.ws} answers with key ${hubFingerprint}, not the trusted ${known}. If it was rebuilt on purpose, connect again trusting its new key (--trust).`
          : `The hub at ${url.ws} has key fingerprint ${hubFingerprint}. Compare it with what \`outpost hub serve\` printed on the hub, then trust it (outpost hub connect --trust, or “Trust this hub” in Sync).`,
      );
    const engagements = new Set(current?.url === url.ws ? current.engagements : []);
    // An engagement this notebook does not have yet is allowed: joining brings it from the hub.
    if (engagementId) engagements.add(engagementId);
    await this.save({ url: url.ws, fingerprint: hubFingerprint, engagements: [...engagements] });
    return this.status();
  }

  async setEngagement(engagementId: string, enabled: boolean): Promise<HubStatus> {
    const current = await loadHubSettings(this.deps.db);
    if (!current) throw new OutpostError('invalid_request', 'No team hub is configured: connect to one first (outpost hub connect URL).');
    const engagements = new Set(current.engagements);
    if (enabled) engagements.add(engagementId);
    else engagements.delete(engagementId);
    await this.save({ ...current, engagements: [...engagements] });
    return this.status();
  }

  async disconnect(): Promise<HubStatus> {
    await this.save(null);
    return this.status();
  }

  /** How many documents arrived from the hub since the sync started (in memory: no database query). */
  receivedCount(): number {
    let total = 0;
    for (const sync of this.engagements.values()) total += sync.state().received;
    return total;
  }

  /** When the latest import from the hub committed (performance.now(); 0: none yet). */
  lastArrival(): number {
    return Math.max(0, ...[...this.engagements.values()].map((sync) => sync.lastArrival));
  }

  /** Resolves once nothing is waiting in any engagement (tests and benchmarks). */
  async settled(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const all = [...this.engagements.values()];
      for (const e of all) await e.drained();
      if (this.connection === 'connected' && all.every((e) => e.idle)) return;
      if (Date.now() > deadline) throw new OutpostError('internal', 'The hub sync did not settle in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async save(settings: HubSettings | null): Promise<void> {
    await saveHubSettings(this.deps.db, settings);
    this.settings = settings;
    await this.apply();
  }

  /** Brings the running sync in line with the settings. */
  private async apply(): Promise<void> {
    const settings = this.settings;
    if (!this.running || !settings?.engagements.length) {
      await this.teardown();
      return;
    }
    if (this.session && (this.session.url.ws !== settings.url || this.session.pinned !== settings.fingerprint)) await this.teardown();
    if (!this.session) {
      this.session = new HubSession(normalizeHubUrl(settings.url), settings.fingerprint, this.deps.device, (status) =>
        this.connectionChanged(status),
      );
      this.setConnection('connecting');
      // The ceiling is known before anything is sent (a note is only sent below it).
      try {
        await this.session.token();
        this.lastError = null;
      } catch (error) {
        this.lastError = (error as Error).message;
      }
    }
    const session = this.session;
    for (const [id, sync] of this.engagements) {
      if (settings.engagements.includes(id)) continue;
      await sync.stop();
      this.engagements.delete(id);
    }
    for (const id of settings.engagements) {
      if (this.engagements.has(id)) continue;
      const sync = new EngagementHubSync(
        id,
        session,
        { ...this.deps, deviceId: this.deps.device().deviceId },
        () => this.statusChanged(),
        (docId, editors) => this.editorsChanged(docId, editors),
      );
      this.engagements.set(id, sync);
      for (const docId of this.editing.keys()) if ((await this.engagementOf(docId)) === id) sync.setEditing(docId, true);
    }
    this.statusChanged();
  }

  private async teardown(): Promise<void> {
    if (this.engagements.size) for (const docId of this.editing.keys()) this.editorsChanged(docId, []);
    const stopping = [...this.engagements.values()].map((sync) => sync.stop());
    this.engagements.clear();
    this.session?.destroy();
    this.session = null;
    this.setConnection('off');
    await Promise.all(stopping);
  }

  private connectionChanged(status: 'connecting' | 'connected' | 'disconnected'): void {
    if (!this.session) return;
    this.setConnection(
      status === 'connected' ? 'connected' : status === 'connecting' && this.connection !== 'offline' ? 'connecting' : 'offline',
    );
  }

  private setConnection(connection: HubStatus['connection']): void {
    if (connection === this.connection) return;
    this.connection = connection;
    this.since = connection === 'off' ? null : new Date().toISOString();
    this.statusChanged();
  }

  private statusChanged(): void {
    if (this.statusTimer || !this.listeners.size) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      void this.status().then((status) => {
        for (const listener of this.listeners) listener(status);
      });
    }, STATUS_EVERY_MS);
  }

  private editorsChanged(docId: string, editors: HubEditor[]): void {
    if (!this.editing.has(docId)) return;
    for (const listener of this.editorListeners) listener(docId, editors);
  }

  /** The engagement a document belongs to (a note's, remembered; null for a playbook or a note not here). */
  private async engagementOf(docId: string): Promise<string | undefined> {
    const { kind, id } = parseDocId(docId);
    if (kind === 'engagement') return id;
    if (kind !== 'note') return undefined;
    let engagementId = this.noteEngagement.get(docId);
    if (!engagementId) {
      engagementId = (await this.deps.docs.read(docId, (doc) => readNoteMeta(doc).engagementId)) || undefined;
      if (engagementId) this.noteEngagement.set(docId, engagementId);
    }
    return engagementId;
  }

  private async localChange(docId: string, typed: boolean): Promise<void> {
    if (!this.engagements.size) return;
    const engagementId = await this.engagementOf(docId);
    const sync = engagementId ? this.engagements.get(engagementId) : undefined;
    await sync?.localChange(docId, typed).catch((error) => {
      this.lastError = (error as Error).message;
      this.statusChanged();
    });
  }

  private async codenames(): Promise<Map<string, string>> {
    const ids = this.settings?.engagements ?? [];
    if (!ids.length) return new Map();
    const result = await this.deps.db.query<{ id: string; codename: string }>(
      'SELECT id::text AS id, codename FROM engagements WHERE doc_id = ANY($1::text[])',
      [ids.map((id) => docIdFor('engagement', id))],
    );
    return new Map(result.rows.map((r) => [r.id, r.codename]));
  }
}
