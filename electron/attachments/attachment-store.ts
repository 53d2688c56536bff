import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { OutpostError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { formatBytes } from '../../shared/notes/nodes';
import type { Queryable } from '../docs/projection';
import type { Database } from '../notebook/database';
import type { NotebookSettings } from '../notebook/settings';

export interface AttachmentInfo {
  sha256: string;
  size: number;
  mime: string;
  name: string;
}

interface Upload {
  id: string;
  name: string;
  mime: string;
  expected: number;
  received: number;
  nextIndex: number;
  hash: Hash;
  tmp: string;
  fd: number;
  owner: string;
}

/** MIME types shown inline; everything else is only ever offered as a download. */
export const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * Files pasted or dropped into notes, stored once by content (sha256) under attachments/ab/<sha>.
 * Uploads arrive in chunks (no giant frames over IPC or the WebSocket), are written to a temporary
 * file while hashed, and only an upload whose size and hash check out is renamed into place —
 * an aborted or oversized upload leaves nothing behind.
 */
export class AttachmentStore {
  private readonly uploads = new Map<string, Upload>();

  constructor(
    private readonly dir: string,
    private readonly db: Database,
    private readonly settings: NotebookSettings,
  ) {}

  begin(owner: string, name: string, mime: string, size: number): string {
    this.checkSize(size, name);
    fs.mkdirSync(path.join(this.dir, 'tmp'), { recursive: true });
    const id = newId();
    const tmp = path.join(this.dir, 'tmp', `${id}.part`);
    const fd = fs.openSync(tmp, 'wx', 0o600);
    this.uploads.set(id, { id, name, mime, expected: size, received: 0, nextIndex: 0, hash: createHash('sha256'), tmp, fd, owner });
    return id;
  }

  chunk(owner: string, uploadId: string, index: number, data: Uint8Array): void {
    const upload = this.upload(owner, uploadId);
    if (index !== upload.nextIndex) {
      this.abort(uploadId);
      throw new OutpostError(
        'invalid_request',
        `Upload chunk ${index} arrived out of order (expected ${upload.nextIndex}); the upload was cancelled`,
      );
    }
    if (upload.received + data.length > upload.expected) {
      this.abort(uploadId);
      throw new OutpostError('invalid_request', 'The upload is larger than announced; it was cancelled');
    }
    fs.writeSync(upload.fd, data);
    upload.hash.update(data);
    upload.received += data.length;
    upload.nextIndex++;
  }

  async commit(owner: string, uploadId: string): Promise<AttachmentInfo> {
    const upload = this.upload(owner, uploadId);
    this.uploads.delete(uploadId);
    try {
      if (upload.received !== upload.expected) {
        throw new OutpostError('invalid_request', `The upload is incomplete (${upload.received} of ${upload.expected} bytes)`);
      }
      fs.fsyncSync(upload.fd);
      fs.closeSync(upload.fd);
      const sha256 = upload.hash.digest('hex');
      const target = this.pathOf(sha256);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (fs.existsSync(target)) fs.rmSync(upload.tmp, { force: true });
      else fs.renameSync(upload.tmp, target);
      await this.db.query('INSERT INTO attachments (sha256, size, mime, name) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING', [
        sha256,
        upload.received,
        upload.mime,
        upload.name,
      ]);
      return (await this.info(sha256)) as AttachmentInfo;
    } catch (error) {
      try {
        fs.closeSync(upload.fd);
      } catch {
        // already closed
      }
      fs.rmSync(upload.tmp, { force: true });
      throw error;
    }
  }

  /** Stores a whole file at once (CLI, tests). */
  async put(name: string, mime: string, data: Uint8Array): Promise<AttachmentInfo> {
    const id = this.begin('local', name, mime, data.length);
    this.chunk('local', id, 0, data);
    return this.commit('local', id);
  }

  /**
   * Places a file whose sha256 was already verified (an imported bundle), without recording it:
   * the caller records it in its own transaction. Returns whether the file is new, so a failed
   * import can take it away again (`discard`).
   */
  placeVerified(sha256: string, data: Uint8Array): boolean {
    const target = this.pathOf(sha256);
    if (fs.existsSync(target)) return false;
    fs.mkdirSync(path.join(this.dir, 'tmp'), { recursive: true });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = path.join(this.dir, 'tmp', `${newId()}.part`);
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.writeSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
    return true;
  }

  discard(sha256: string): void {
    fs.rmSync(this.pathOf(sha256), { force: true });
  }

  /** Records attachments placed by `placeVerified`, inside the caller's transaction. */
  async recordVerified(tx: Queryable, items: Array<{ sha256: string; size: number; mime: string; name: string }>): Promise<void> {
    for (const item of items) {
      await tx.query('INSERT INTO attachments (sha256, size, mime, name) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING', [
        item.sha256,
        item.size,
        item.mime,
        item.name,
      ]);
    }
  }

  /**
   * Removes what a crash can leave behind: partial uploads, and files placed for an import or an
   * upload whose transaction never committed (no row names them). Run when the notebook opens,
   * before any upload can be in progress.
   */
  async sweep(): Promise<number> {
    fs.rmSync(path.join(this.dir, 'tmp'), { recursive: true, force: true });
    const known = new Set((await this.db.query<{ sha256: string }>('SELECT sha256 FROM attachments')).rows.map((r) => r.sha256));
    let removed = 0;
    for (const prefix of fs.existsSync(this.dir) ? fs.readdirSync(this.dir) : []) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const name of fs.readdirSync(path.join(this.dir, prefix))) {
        if (/^[0-9a-f]{64}$/.test(name) && !known.has(name)) {
          fs.rmSync(path.join(this.dir, prefix, name), { force: true });
          removed++;
        }
      }
    }
    return removed;
  }

  /** The stored bytes of an attachment, or null when this notebook does not have it. */
  async read(sha256: string): Promise<{ info: AttachmentInfo; data: Uint8Array } | null> {
    const info = await this.info(sha256);
    if (!info) return null;
    return { info, data: new Uint8Array(fs.readFileSync(this.pathOf(sha256))) };
  }

  /** Up to `length` bytes of an attachment from `offset` (an export in pieces), or null when this notebook does not have it. */
  async readPart(sha256: string, offset: number, length: number): Promise<{ info: AttachmentInfo; data: Uint8Array } | null> {
    const info = await this.info(sha256);
    if (!info) return null;
    const data = new Uint8Array(Math.max(0, Math.min(length, info.size - offset)));
    if (!data.length) return { info, data };
    const fd = fs.openSync(this.pathOf(sha256), 'r');
    try {
      const read = fs.readSync(fd, data, 0, data.length, offset);
      return { info, data: data.subarray(0, read) };
    } finally {
      fs.closeSync(fd);
    }
  }

  abort(uploadId: string): void {
    const upload = this.uploads.get(uploadId);
    if (!upload) return;
    this.uploads.delete(uploadId);
    try {
      fs.closeSync(upload.fd);
    } catch {
      // already closed
    }
    fs.rmSync(upload.tmp, { force: true });
  }

  /** Cancels the uploads of a connection that went away (or all of them). */
  abortUploads(owner?: string): void {
    for (const upload of [...this.uploads.values()]) if (!owner || upload.owner === owner) this.abort(upload.id);
  }

  async info(sha256: string): Promise<AttachmentInfo | null> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
    const result = await this.db.query<{ sha256: string; size: string | number; mime: string; name: string }>(
      'SELECT sha256, size, mime, name FROM attachments WHERE sha256 = $1',
      [sha256],
    );
    const row = result.rows[0];
    if (!row || !fs.existsSync(this.pathOf(sha256))) return null;
    return { sha256: row.sha256, size: Number(row.size), mime: row.mime, name: row.name };
  }

  pathOf(sha256: string): string {
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }

  private upload(owner: string, uploadId: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.owner !== owner) throw new OutpostError('not_found', 'No such upload in progress (it may have been cancelled)');
    return upload;
  }

  private checkSize(size: number, name: string): void {
    const max = this.settings.attachmentMaxBytes;
    if (size > max) {
      throw new OutpostError(
        'invalid_request',
        `“${name}” is ${formatBytes(size)}; attachments are limited to ${formatBytes(max)} (change the limit in Settings)`,
      );
    }
  }
}
