import * as Y from 'yjs';
import { OutpostError } from '../../shared/errors';
import { docIdFor, uuidSchema } from '../../shared/ids';
import { applyNotePatch, noteBodyJSON, readNoteMeta, replaceNoteBody } from '../../shared/notes/doc';
import { type DiffPart, diffMarkdown, groupVersions, type NoteVersion } from '../../shared/notes/history';
import { noteJSONToMarkdown } from '../../shared/notes/markdown';
import type { DocStore } from '../docs/doc-store';
import type { Database } from '../notebook/database';

export interface NoteVersionInfo extends NoteVersion {
  /** Who: this device's name, or the name of the device a bundle came from. */
  source: string;
}

export interface NoteAtVersion {
  upto: number;
  title: string;
  markdown: string;
}

/**
 * A note's history, read from its update log (every row is kept: snapshots only spare replaying
 * it): versions at each local editing session and each import, the note as of any of them, a diff
 * between two, and restore — which writes the old title and body as a new edit, so it merges with
 * everyone else's like any other.
 */
export class NoteHistory {
  constructor(
    private readonly db: Database,
    private readonly docs: DocStore,
    private readonly device: () => { deviceId: string; name: string },
  ) {}

  async versions(noteId: string): Promise<NoteVersionInfo[]> {
    const docId = await this.docId(noteId);
    await this.docs.flush(docId, { projections: false });
    const rows = await this.db.query<{
      seq: string | number;
      received_at: Date;
      device_id: string;
      bundle_id: string | null;
      peer_name: string | null;
      device_name: string | null;
      via_hub: string | null;
    }>(
      `SELECT u.seq, u.received_at, u.device_id, u.bundle_id, u.via_hub, l.peer_name, coalesce(t.name, h.name) AS device_name
       FROM doc_updates u LEFT JOIN bundle_ledger l ON l.bundle_id = u.bundle_id AND l.direction = 'received'
       LEFT JOIN trusted_devices t ON t.device_id::text = u.device_id
       LEFT JOIN hub_devices h ON h.device_id = u.device_id
       WHERE u.doc_id = $1 ORDER BY u.seq`,
      [docId],
    );
    // Another device's edits that a team hub relayed: its name (from the hub's index) and the path.
    const others = new Map(
      rows.rows.map((r) => [r.device_id, `${r.device_name ?? `device ${r.device_id.slice(0, 8)}`}${r.via_hub ? ' via team hub' : ''}`]),
    );
    const peers = new Map(rows.rows.filter((r) => r.bundle_id).map((r) => [r.bundle_id as string, r.peer_name ?? 'another device']));
    const me = this.device();
    const versions = groupVersions(
      rows.rows.map((r) => ({
        seq: Number(r.seq),
        receivedAt: new Date(r.received_at).toISOString(),
        deviceId: r.device_id,
        bundleId: r.bundle_id,
      })),
    );
    return versions.map((v) => ({
      ...v,
      source: v.bundleId
        ? (peers.get(v.bundleId) ?? 'another device')
        : v.deviceId === me.deviceId
          ? me.name
          : (others.get(v.deviceId) ?? `device ${v.deviceId.slice(0, 8)}`),
    }));
  }

  async at(noteId: string, upto: number): Promise<NoteAtVersion> {
    const doc = await this.replay(await this.docId(noteId), upto);
    try {
      return { upto, title: readNoteMeta(doc).title, markdown: noteJSONToMarkdown(noteBodyJSON(doc)) };
    } finally {
      doc.destroy();
    }
  }

  async diff(noteId: string, from: number, to: number): Promise<DiffPart[]> {
    const [before, after] = [await this.at(noteId, from), await this.at(noteId, to)];
    const title = (t: string) => `# ${t}\n\n`;
    return diffMarkdown(title(before.title) + before.markdown, title(after.title) + after.markdown);
  }

  /** Brings back the title and body of version `upto` as a new edit; metadata such as tags and marking stay. */
  async restore(noteId: string, upto: number): Promise<void> {
    const docId = await this.docId(noteId);
    const old = await this.replay(docId, upto);
    try {
      const live = await this.docs.open(docId);
      live.transact(() => {
        replaceNoteBody(live, noteBodyJSON(old));
        const title = readNoteMeta(old).title;
        if (title && title !== readNoteMeta(live).title) applyNotePatch(live, { title });
      });
      await this.docs.flush(docId);
    } finally {
      old.destroy();
    }
  }

  /** The document as it was after log row `upto`, replayed from the log alone. */
  private async replay(docId: string, upto: number): Promise<Y.Doc> {
    const rows = await this.db.query<{ data: Uint8Array }>('SELECT data FROM doc_updates WHERE doc_id = $1 AND seq <= $2 ORDER BY seq', [
      docId,
      upto,
    ]);
    if (!rows.rows.length) throw new OutpostError('not_found', `This note has no version ${upto}`);
    const doc = new Y.Doc({ gc: true });
    Y.transact(doc, () => {
      for (const row of rows.rows) Y.applyUpdate(doc, row.data);
    });
    return doc;
  }

  private async docId(noteId: string): Promise<string> {
    const docId = docIdFor('note', noteId);
    if (!uuidSchema.safeParse(noteId).success || !(await this.docs.exists(docId)))
      throw new OutpostError('not_found', `No note with id ${noteId}`);
    return docId;
  }
}
